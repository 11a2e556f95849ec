"""Request-scoped dependencies: the container's Deps and the Actor behind the bearer token."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from medbill.bootstrap import Container
from medbill.domain.errors import AuthenticationFailed
from medbill.domain.users import Actor
from medbill.services.base import Deps
from medbill.services.users import actor_for_token

_bearer = HTTPBearer(auto_error=False, description="An API token from `medbill tokens create` or POST /tokens")


def get_deps(request: Request) -> Deps:
    container: Container = request.app.state.container
    return container.deps


def current_actor(
    request: Request,
    deps: Annotated[Deps, Depends(get_deps)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    if credentials is None:
        raise AuthenticationFailed("send an API token as 'Authorization: Bearer <token>'")
    client = request.client.host if request.client else "unknown"
    return actor_for_token(deps, credentials.credentials, f"api {client}")


DepsDep = Annotated[Deps, Depends(get_deps)]
ActorDep = Annotated[Actor, Depends(current_actor)]
