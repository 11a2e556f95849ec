"""Users and how they prove who they are: passwords (argon2 behind a port), API tokens (hashed at rest), audit."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from medbill.domain.audit import AuditAction, AuditEvent
from medbill.domain.errors import AuthenticationFailed, Conflict, NotFound, PermissionDenied
from medbill.domain.fields import parse_enum
from medbill.domain.users import Actor, ApiToken, Permission, Role, User, check_password_strength
from medbill.services.base import Deps, record_audit

TOKEN_PREFIX = "mbt_"
MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
# Verified against when a username does not exist, so a wrong username costs as long as a wrong password.
_DUMMY_PASSWORD = "not-a-real-password-0"


def hash_token(token: str) -> str:
    """Tokens are 256 random bits, so one SHA-256 is enough at rest (no stretching needed, unlike passwords)."""
    return hashlib.sha256(token.encode()).hexdigest()


def actor_for(user: User, source: str) -> Actor:
    return Actor(user_id=user.id, username=user.username, practice_id=user.practice_id, role=user.role, source=source)


def _create_user(
    deps: Deps, practice_id: str, username: str, display_name: str, role: str, password: str, audit_as: Actor
) -> User:
    check_password_strength(password)
    user = User(
        practice_id=practice_id,
        username=username,
        display_name=display_name,
        role=parse_enum(Role, role, "role"),
        password_hash=deps.hasher.hash(password),
    )
    with deps.uow() as uow:
        uow.practices.get(practice_id)
        if uow.users.by_username(user.username) is not None:
            raise Conflict("that username is taken", field="username")
        uow.users.add(user)
        record_audit(uow, deps, audit_as, AuditAction.CREATE, "user", user.id, f"role={user.role.value}")
        uow.commit()
    return user


def create_user(deps: Deps, actor: Actor, *, username: str, display_name: str, role: str, password: str) -> User:
    """An admin adds a user to their own practice."""
    actor.require(Permission.USER_ADMIN)
    return _create_user(deps, actor.practice_id, username, display_name, role, password, actor)


def operator(practice_id: str, source: str = "cli") -> Actor:
    """The actor for someone with direct access to the database and the command line (not a signed-in user)."""
    return Actor(user_id="", username="operator", practice_id=practice_id, role=Role.ADMIN, source=source)


def bootstrap_user(
    deps: Deps, *, practice_id: str, username: str, display_name: str, role: str, password: str, source: str = "cli"
) -> User:
    """An operator with access to the database (``medbill users create``) adds a user; audited as the operator."""
    return _create_user(deps, practice_id, username, display_name, role, password, operator(practice_id, source))


def authenticate(deps: Deps, *, username: str, password: str, source: str) -> Actor:
    """The actor for a username and password, or AuthenticationFailed that does not say which was wrong.

    After MAX_FAILED_LOGINS failures within LOCKOUT, the account refuses sign-ins until the window passes (the
    count comes from the audit log, so it holds across processes and servers).
    """
    with deps.uow() as uow:
        user = uow.users.by_username(username.strip().lower())
        if user is None:
            deps.hasher.verify(deps.hasher.hash(_DUMMY_PASSWORD), password)
            raise AuthenticationFailed("unknown username or wrong password")
        failures = uow.audit.count(
            user.practice_id,
            entity_type="user",
            entity_id=user.id,
            action=AuditAction.LOGIN_FAILED,
            since=deps.clock.now() - LOCKOUT,
        )
        if failures >= MAX_FAILED_LOGINS:
            raise AuthenticationFailed(
                f"too many failed sign-ins; try again in {int(LOCKOUT.total_seconds() // 60)} minutes"
            )
        ok = user.active and deps.hasher.verify(user.password_hash, password)
        uow.audit.append(
            AuditEvent(
                practice_id=user.practice_id,
                at=deps.clock.now(),
                user_id=user.id,
                username=user.username,
                action=AuditAction.LOGIN if ok else AuditAction.LOGIN_FAILED,
                entity_type="user",
                entity_id=user.id,
                source=source,
            )
        )
        uow.commit()
    if not ok:
        raise AuthenticationFailed("unknown username or wrong password")
    return actor_for(user, source)


def create_token(deps: Deps, actor: Actor, *, name: str, user_id: str | None = None) -> tuple[ApiToken, str]:
    """A new API token for the actor (or, for an admin, another user of the practice); the secret is returned once."""
    target = user_id or actor.user_id
    if target != actor.user_id:
        actor.require(Permission.USER_ADMIN)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with deps.uow() as uow:
        user = uow.users.get(target)
        if user.practice_id != actor.practice_id:
            raise NotFound("no user with that id in this practice", field="user_id")
        token = ApiToken(
            practice_id=user.practice_id,
            user_id=user.id,
            name=name.strip()[:60] or "token",
            token_hash=hash_token(secret),
            prefix=secret[:10],
            created_at=deps.clock.now(),
        )
        uow.tokens.add(token)
        record_audit(uow, deps, actor, AuditAction.TOKEN_CREATED, "token", token.id, f"user={user.id}")
        uow.commit()
    return token, secret


def revoke_token(deps: Deps, actor: Actor, token_id: str) -> None:
    with deps.uow() as uow:
        token = uow.tokens.get(actor.practice_id, token_id)
        if token.user_id != actor.user_id and not actor.can(Permission.USER_ADMIN):
            raise PermissionDenied("only an admin may revoke another user's token")
        uow.tokens.revoke(token_id, deps.clock.now())
        record_audit(uow, deps, actor, AuditAction.TOKEN_REVOKED, "token", token_id)
        uow.commit()


def actor_for_token(deps: Deps, secret: str, source: str) -> Actor:
    """The actor a bearer token stands for, or AuthenticationFailed when it is unknown, revoked or its user inactive."""
    if not secret.startswith(TOKEN_PREFIX):
        raise AuthenticationFailed("that is not a medbill API token")
    wanted = hash_token(secret)
    with deps.uow() as uow:
        token = uow.tokens.by_hash(wanted)
        if token is None or not hmac.compare_digest(token.token_hash, wanted):
            raise AuthenticationFailed("unknown API token")
        if not token.active:
            raise AuthenticationFailed("this API token was revoked")
        user = uow.users.get(token.user_id)
    if not user.active:
        raise AuthenticationFailed("the token's user is deactivated")
    return actor_for(user, source)


def list_tokens(deps: Deps, actor: Actor) -> Sequence[ApiToken]:
    with deps.uow() as uow:
        return uow.tokens.for_user(actor.user_id)


def list_users(deps: Deps, actor: Actor) -> Sequence[User]:
    actor.require(Permission.USER_ADMIN)
    with deps.uow() as uow:
        return uow.users.list(actor.practice_id)


def deactivate_user(deps: Deps, actor: Actor, user_id: str) -> User:
    actor.require(Permission.USER_ADMIN)
    with deps.uow() as uow:
        user = uow.users.get(user_id)
        if user.practice_id != actor.practice_id:
            raise NotFound("no user with that id in this practice", field="user_id")
        updated = replace(user, active=False)
        uow.users.update(updated)
        record_audit(uow, deps, actor, AuditAction.UPDATE, "user", user_id, "deactivated")
        uow.commit()
    return updated


def audit_trail(
    deps: Deps, actor: Actor, *, entity_type: str | None = None, entity_id: str | None = None, limit: int = 100
) -> Sequence[AuditEvent]:
    actor.require(Permission.AUDIT_READ)
    with deps.uow() as uow:
        return uow.audit.list(actor.practice_id, entity_type=entity_type, entity_id=entity_id, limit=limit)


def actor_for_user(deps: Deps, user_id: str, source: str, *, session_issued_at: datetime | None = None) -> Actor:
    """The actor for a user id kept in a web session, refused when the user is gone or deactivated, or when the
    session was issued before the user signed out everywhere."""
    with deps.uow() as uow:
        try:
            user = uow.users.get(user_id)
        except NotFound:
            raise AuthenticationFailed("your session has ended; sign in again") from None
    if not user.active:
        raise AuthenticationFailed("this user is deactivated")
    cutoff = user.sessions_valid_after
    if cutoff is not None and session_issued_at is not None and session_issued_at < cutoff:
        raise AuthenticationFailed("you were signed out; sign in again")
    return actor_for(user, source)


def end_sessions(deps: Deps, actor: Actor) -> None:
    """Sign the actor out everywhere: every web session issued until now stops working, copies included."""
    with deps.uow() as uow:
        user = uow.users.get(actor.user_id)
        uow.users.update(replace(user, sessions_valid_after=deps.clock.now()))
        record_audit(uow, deps, actor, AuditAction.LOGOUT, "user", user.id)
        uow.commit()


def bootstrap_token(deps: Deps, *, username: str, name: str, source: str = "cli") -> tuple[ApiToken, str]:
    """An operator issues an API token for a user (``medbill tokens create``); audited as the operator."""
    with deps.uow() as uow:
        user = uow.users.by_username(username.strip().lower())
    if user is None:
        raise NotFound("no user with that username", field="username")
    operator = Actor(user_id=user.id, username="operator", practice_id=user.practice_id, role=Role.ADMIN, source=source)
    return create_token(deps, operator, name=name, user_id=user.id)
