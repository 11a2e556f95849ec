"""What every service needs (unit of work, clock, hasher) and the audit helper every service writes through."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from medbill.domain.audit import AuditAction, AuditEvent
from medbill.domain.users import Actor
from medbill.services.ports import Clock, PasswordHasher, UnitOfWork, UnitOfWorkFactory


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return self.now().date()


@dataclass(frozen=True, slots=True, kw_only=True)
class Deps:
    """The ports a service call runs against; built once by bootstrap, faked in unit tests."""

    uow: UnitOfWorkFactory
    clock: Clock
    hasher: PasswordHasher


def record_audit(
    uow: UnitOfWork,
    deps: Deps,
    actor: Actor,
    action: AuditAction,
    entity_type: str,
    entity_id: str | None,
    detail: str = "",
) -> None:
    """Append an audit row inside the caller's transaction, so the row exists exactly when the act does."""
    uow.audit.append(audit_event(deps, actor, action, entity_type, entity_id, detail))


def audit_event(
    deps: Deps, actor: Actor, action: AuditAction, entity_type: str, entity_id: str | None, detail: str = ""
) -> AuditEvent:
    """The row ``record_audit`` appends, for a bulk call that appends many at once (``uow.audit.append_many``)."""
    return AuditEvent(
        practice_id=actor.practice_id,
        at=deps.clock.now(),
        user_id=actor.user_id or None,
        username=actor.username,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        source=actor.source,
        detail=detail,
    )
