"""The composition root: Settings (MEDBILL_* environment, .env) → engine, unit of work, hasher, clock → Deps."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import Engine

from medbill.adapters.db.engine import make_engine
from medbill.adapters.db.uow import SqlUnitOfWorkFactory
from medbill.adapters.passwords import Argon2PasswordHasher
from medbill.services.base import Deps, SystemClock
from medbill.services.ports import Clearinghouse, Clock

if TYPE_CHECKING:
    from medbill.adapters.clearinghouse.sandbox.sftp_mailbox import SandboxOverSftp

DEFAULT_DATABASE_URL = "sqlite:///./medbill.db"


class FixedClock:
    """A clock that always says the same moment (``MEDBILL_CLOCK_AT``)."""

    def __init__(self, at: datetime) -> None:
        self._at = at if at.tzinfo else at.replace(tzinfo=UTC)

    def now(self) -> datetime:
        return self._at

    def today(self) -> date:
        return self._at.astimezone(UTC).date()


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MEDBILL_", env_file=".env", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    secret_key: str = ""  # signs web session cookies; a random one per process when empty
    cookie_secure: bool = False  # send the session cookie over HTTPS only (set it behind TLS)
    session_minutes: int = 480
    fast_password_hashing: bool = False  # tests only
    sandbox_dir: Path = Path("./medbill-sandbox")  # the sandbox payer's mailbox (the demo's clearinghouse)
    clearinghouse_config: Path | None = None  # TOML of named connections (SFTP, directory, HTTP); None: the sandbox
    clock_at: datetime | None = None  # run as of this moment (tests, demos, replaying a day); None: the real clock
    underpayment_tolerance_cents: int = 100  # a paid line this far below the contracted amount is not queued
    kpi_targets: str = ""  # the practice's own KPI targets, e.g. "clean_claim_rate=0.97,days_in_ar=35"


@dataclass(frozen=True, slots=True)
class Container:
    settings: Settings
    engine: Engine
    deps: Deps
    secret_key: str

    def close(self) -> None:
        self.engine.dispose()


def build(settings: Settings | None = None, *, clock: Clock | None = None) -> Container:
    settings = settings or Settings()
    engine = make_engine(settings.database_url)
    deps = Deps(
        uow=SqlUnitOfWorkFactory(engine),
        clock=clock or (FixedClock(settings.clock_at) if settings.clock_at else SystemClock()),
        hasher=Argon2PasswordHasher(fast=settings.fast_password_hashing),
    )
    return Container(
        settings=settings, engine=engine, deps=deps, secret_key=settings.secret_key or secrets.token_urlsafe(32)
    )


def migrate(settings: Settings | None = None) -> None:
    """Bring the database named by MEDBILL_DATABASE_URL to the newest schema."""
    from medbill.adapters.db.migrate import upgrade  # Alembic loads only when a migration runs

    upgrade((settings or Settings()).database_url)


def migrate_container(container: Container) -> None:
    from medbill.adapters.db.migrate import upgrade_engine

    upgrade_engine(container.engine)


def sandbox_clearinghouse(container: Container, *, fresh: bool = False) -> Clearinghouse:
    """The sandbox payer as a clearinghouse mailbox in ``MEDBILL_SANDBOX_DIR`` (it answers 837s at once).

    ``fresh`` empties the mailbox first: a new demo database starts its control numbers (and file names) again.
    """
    import shutil

    from medbill.adapters.clearinghouse.sandbox.adapter import SandboxClearinghouse

    if fresh and container.settings.sandbox_dir.exists():
        shutil.rmtree(container.settings.sandbox_dir)
    return SandboxClearinghouse(container.settings.sandbox_dir, now=container.deps.clock.now)


def sandbox_over_sftp(
    container: Container, *, fresh: bool = False, why: Callable[[str], None] | None = None
) -> tuple[SandboxOverSftp, Callable[[], None]] | None:
    """The sandbox payer behind a real SFTP server: a loopback sshd chrooted at ``MEDBILL_SANDBOX_DIR``, reached
    with the SFTP adapter (pinned host key, generated client key), and a function that stops the server (call it,
    always). None when sshd cannot be started here (not root, no openssh-server); the reason goes to ``why``."""
    from medbill.adapters.clearinghouse.sandbox.adapter import SandboxClearinghouse
    from medbill.adapters.clearinghouse.sandbox.sftp_mailbox import SandboxOverSftp
    from medbill.adapters.clearinghouse.sandbox.sshd import start_sandbox_sshd
    from medbill.adapters.clearinghouse.sftp import SftpClearinghouse

    sandbox = sandbox_clearinghouse(container, fresh=fresh)
    assert isinstance(sandbox, SandboxClearinghouse)
    server = start_sandbox_sshd(sandbox.root, why=why)
    if server is None:
        return None
    sftp = SftpClearinghouse(server.sftp_config(sandbox.name), environ={}, now=container.deps.clock.now)
    return SandboxOverSftp(sandbox, sftp), server.stop


def clearinghouse(container: Container, name: str | None = None) -> Clearinghouse:
    """The mailbox called ``name`` in ``MEDBILL_CLEARINGHOUSE_CONFIG`` (the only one when not named); the sandbox
    payer when no connections are configured (or when ``name`` is ``sandbox`` and no connection has that name)."""
    from medbill.adapters.clearinghouse.config import load_configs
    from medbill.adapters.clearinghouse.factory import build_clearinghouse
    from medbill.domain.errors import ValidationError

    path = container.settings.clearinghouse_config
    configs = load_configs(path) if path is not None else {}
    if (name is None and not configs) or (name == "sandbox" and name not in configs):
        return sandbox_clearinghouse(container)
    if name is None:
        if len(configs) != 1:
            raise ValidationError(f"name one of the mailboxes: {', '.join(sorted(configs))}", field="mailbox")
        return build_clearinghouse(next(iter(configs.values())))
    if name not in configs:
        known = ", ".join(sorted([*configs, "sandbox"]))
        raise ValidationError(f"no clearinghouse connection called {name!r} (known: {known})", field="mailbox")
    return build_clearinghouse(configs[name])
