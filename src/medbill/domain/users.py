"""Users, roles and the permissions each role grants; the acting user travels with every service call."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from medbill.domain.errors import PermissionDenied, ValidationError
from medbill.domain.fields import new_id, require_text
from medbill.domain.fields import set_field as _set


class Role(StrEnum):
    ADMIN = "admin"
    BILLER = "biller"
    CODER = "coder"
    FRONT_DESK = "front_desk"
    VIEWER = "viewer"


class Permission(StrEnum):
    PATIENT_READ = "patient.read"
    PATIENT_WRITE = "patient.write"
    COVERAGE_WRITE = "coverage.write"
    ENCOUNTER_READ = "encounter.read"
    ENCOUNTER_WRITE = "encounter.write"
    SETUP_READ = "setup.read"  # providers, facilities, payers, fee schedules
    SETUP_WRITE = "setup.write"
    CLAIMS_SUBMIT = "claims.submit"  # send files to and poll a clearinghouse
    ELIGIBILITY_CHECK = "eligibility.check"  # send a 270 and take in its 271 (the front desk's check before a visit)
    REMITTANCE_POST = "remittance.post"  # import and post 835s and paper EOBs, work the payment queues
    PATIENT_PAYMENT = "patient_payment.post"  # take a patient's payment, set up a plan
    BALANCE_WRITE_OFF = "balance.write_off"  # write off a small balance, refund a credit
    STATEMENTS_RUN = "statements.run"
    USER_ADMIN = "user.admin"
    AUDIT_READ = "audit.read"


_READ = {Permission.PATIENT_READ, Permission.ENCOUNTER_READ, Permission.SETUP_READ}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.BILLER: frozenset(
        _READ
        | {
            Permission.PATIENT_WRITE,
            Permission.COVERAGE_WRITE,
            Permission.ENCOUNTER_WRITE,
            Permission.SETUP_WRITE,
            Permission.CLAIMS_SUBMIT,
            Permission.ELIGIBILITY_CHECK,
            Permission.REMITTANCE_POST,
            Permission.PATIENT_PAYMENT,
            Permission.BALANCE_WRITE_OFF,
            Permission.STATEMENTS_RUN,
        }
    ),
    Role.CODER: frozenset(_READ | {Permission.ENCOUNTER_WRITE}),
    Role.FRONT_DESK: frozenset(
        _READ
        | {
            Permission.PATIENT_WRITE,
            Permission.COVERAGE_WRITE,
            Permission.PATIENT_PAYMENT,
            Permission.ELIGIBILITY_CHECK,
        }
    ),
    Role.VIEWER: frozenset(_READ),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class User:
    id: str = field(default_factory=new_id)
    practice_id: str
    username: str
    display_name: str
    role: Role
    password_hash: str
    active: bool = True
    sessions_valid_after: datetime | None = None  # web sessions issued before this are void (logout everywhere)

    def __post_init__(self) -> None:
        username = self.username.strip().lower()
        if not 3 <= len(username) <= 40 or not username.replace(".", "").replace("_", "").replace("-", "").isalnum():
            raise ValidationError(
                "a username is 3 to 40 letters, digits, dots, dashes or underscores", field="username"
            )
        _set(self, "username", username)
        _set(self, "display_name", require_text(self.display_name, "display_name", max_length=80))


def check_password_strength(password: str) -> None:
    if len(password) < 10:
        raise ValidationError("a password has at least 10 characters", field="password")
    if len(password) > 256:
        raise ValidationError("a password has at most 256 characters", field="password")


@dataclass(frozen=True, slots=True, kw_only=True)
class ApiToken:
    """A bearer token for the API; only its hash is stored, the token itself is shown once."""

    id: str = field(default_factory=new_id)
    practice_id: str
    user_id: str
    name: str
    token_hash: str
    prefix: str  # the first characters, to recognise a token in a list without storing it
    created_at: datetime
    revoked_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True, slots=True, kw_only=True)
class Actor:
    """Who is acting, for which practice, from where: the first argument of every service."""

    user_id: str
    username: str
    practice_id: str
    role: Role
    source: str = "system"  # "api 127.0.0.1", "web 10.0.0.5", "cli"

    def can(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise PermissionDenied(f"the {self.role.value} role may not do this (needs {permission.value})")
