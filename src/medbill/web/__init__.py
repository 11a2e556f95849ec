"""The web UI for billers, coders and the front desk: server-rendered Jinja2 pages with htmx, over the services."""

from __future__ import annotations

from fastapi import FastAPI


def install(app: FastAPI) -> None:
    """Mount the web UI's routes, static files and session handling on ``app``."""
