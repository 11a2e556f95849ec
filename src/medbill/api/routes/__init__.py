"""The /api/v1 routes, one module per resource."""

from __future__ import annotations

from fastapi import APIRouter

from medbill.api.routes import account, encounters, patients, setup

router = APIRouter()
for module in (account, setup, patients, encounters):
    router.include_router(module.router)
