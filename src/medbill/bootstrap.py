"""The composition root: Settings (MEDBILL_* environment, .env) → engine, unit of work, hasher, clock → Deps."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import Engine

from medbill.adapters.db.engine import make_engine
from medbill.adapters.db.uow import SqlUnitOfWorkFactory
from medbill.adapters.passwords import Argon2PasswordHasher
from medbill.services.base import Deps, SystemClock
from medbill.services.job_ports import Dispatcher
from medbill.services.ports import Clearinghouse, Clock

if TYPE_CHECKING:
    from celery import Celery

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
    broker_url: str = ""  # Celery broker (amqp://guest:guest@127.0.0.1:5672//, redis://…); empty: jobs run in-process
    queue_name: str = "medbill"  # the broker queue the workers of this installation take chunks from


@dataclass(frozen=True, slots=True)
class Container:
    settings: Settings
    engine: Engine
    deps: Deps
    secret_key: str
    shared: dict[str, Any] = field(default_factory=dict)  # built once on first use: the job dispatcher

    def close(self) -> None:
        closing = self.shared.pop("dispatcher", None)
        if closing is not None and hasattr(closing, "close"):
            closing.close()
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


class ContainerResources:
    """What a job's chunks need beyond the database, built from the container (clearinghouse connections)."""

    def __init__(self, container: Container) -> None:
        self._container = container

    def clearinghouse(self, name: str | None) -> Clearinghouse:
        return clearinghouse(self._container, name)


def celery_app(container: Container) -> Celery:
    """The Celery application for ``MEDBILL_BROKER_URL`` (tasks are registered on it by ``medbill.jobs``)."""
    from medbill.adapters.queue.celery import make_celery
    from medbill.domain.errors import ValidationError

    if not container.settings.broker_url:
        raise ValidationError("set MEDBILL_BROKER_URL to the broker the workers use", field="broker_url")
    return make_celery(container.settings.broker_url, queue=container.settings.queue_name)


def dispatcher(container: Container) -> Dispatcher:
    """Celery when a broker is configured, else the chunks run in the calling process."""
    from medbill.services.jobs import InProcessDispatcher

    found: Dispatcher | None = container.shared.get("dispatcher")
    if found is None:
        if container.settings.broker_url:
            from medbill.adapters.queue.celery import CeleryDispatcher

            found = CeleryDispatcher(celery_app(container))  # one broker connection pool per process
        else:
            found = InProcessDispatcher(container.deps, ContainerResources(container))
        container.shared["dispatcher"] = found
    return found
