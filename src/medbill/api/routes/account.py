"""Who am I, my API tokens, and the audit trail (admins)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Response

from medbill.api.deps import ActorDep, DepsDep
from medbill.api.schemas import AuditOut, MeOut, NewTokenOut, TokenIn, TokenOut
from medbill.services import users

router = APIRouter(tags=["account"])


@router.get("/me", response_model=MeOut)
def me(actor: ActorDep) -> MeOut:
    return MeOut(user_id=actor.user_id, username=actor.username, role=actor.role.value, practice_id=actor.practice_id)


@router.get("/tokens", response_model=list[TokenOut])
def list_tokens(deps: DepsDep, actor: ActorDep) -> list[TokenOut]:
    return [
        TokenOut(id=t.id, name=t.name, prefix=t.prefix, created_at=t.created_at, revoked_at=t.revoked_at)
        for t in users.list_tokens(deps, actor)
    ]


@router.post("/tokens", response_model=NewTokenOut, status_code=201)
def create_token(body: TokenIn, deps: DepsDep, actor: ActorDep) -> NewTokenOut:
    token, secret = users.create_token(deps, actor, name=body.name)
    return NewTokenOut(
        id=token.id, name=token.name, prefix=token.prefix, created_at=token.created_at, revoked_at=None, token=secret
    )


@router.delete("/tokens/{token_id}", status_code=204)
def revoke_token(token_id: str, deps: DepsDep, actor: ActorDep) -> Response:
    users.revoke_token(deps, actor, token_id)
    return Response(status_code=204)


@router.get("/audit", response_model=list[AuditOut])
def audit(
    deps: DepsDep,
    actor: ActorDep,
    entity_type: str | None = None,
    entity_id: str | None = None,
    limit: int = Query(100, ge=1, le=1000),
) -> list[AuditOut]:
    return [
        AuditOut(
            id=e.id,
            at=e.at,
            username=e.username,
            action=e.action.value,
            entity_type=e.entity_type,
            entity_id=e.entity_id,
            source=e.source,
            detail=e.detail,
        )
        for e in users.audit_trail(deps, actor, entity_type=entity_type, entity_id=entity_id, limit=limit)
    ]
