"""The audit trail: who read or changed which patient, claim or payment, when and from where (HIPAA §164.312(b))."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from medbill.domain.fields import new_id


class AuditAction(StrEnum):
    READ = "read"
    SEARCH = "search"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGOUT = "logout"
    TOKEN_CREATED = "token_created"
    TOKEN_REVOKED = "token_revoked"
    FORCE = "force"  # an admin overrode a blocking check (a claim with scrubber errors batched anyway)


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditEvent:
    """One append-only row. ``detail`` names fields and counts, never PHI values."""

    id: str = field(default_factory=new_id)
    practice_id: str
    at: datetime
    user_id: str | None
    username: str
    action: AuditAction
    entity_type: str  # patient, coverage, encounter, user, token, practice …
    entity_id: str | None
    source: str
    detail: str = ""
