"""The `medbill` command line: one Typer app whose sub-apps are the doors' verbs."""

from __future__ import annotations

from medbill.cli.app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
