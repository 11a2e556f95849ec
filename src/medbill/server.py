"""The ASGI application that `medbill serve` runs: the REST API and the web UI over one container."""

from __future__ import annotations

from fastapi import FastAPI

from medbill import api, web
from medbill.api.app import install as install_api
from medbill.bootstrap import Container


def create_app(container: Container) -> FastAPI:
    app = FastAPI(
        title="medbill",
        version="0.1.0",
        summary="Medical billing and coding: registration to the last reconciled cent.",
        openapi_url=f"{api.app.API_PREFIX}/openapi.json",
        docs_url=f"{api.app.API_PREFIX}/docs",
        redoc_url=None,
    )
    app.state.container = container
    install_api(app)
    web.install(app)
    return app
