"""Helpers for tests: a fixed clock, throwaway PostgreSQL databases, a seeded practice, sample drafts."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import create_engine, text

from medbill.bootstrap import Container, Settings, build, migrate_container
from medbill.domain.users import Actor
from medbill.services import encounters, patients, setup, users
from medbill.services.encounters import FeeScheduleDraft
from medbill.services.patients import CoverageDraft, PatientDraft
from medbill.services.setup import AddressDraft, FacilityDraft, PayerDraft, ProviderDraft

PG_ADMIN_URL = os.environ.get("MEDBILL_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PASSWORD = "correct horse battery"


class FixedClock:
    def __init__(self, now: datetime = datetime(2026, 11, 26, 15, 30, tzinfo=UTC)) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current

    def today(self) -> date:
        return self.current.date()


# Migrating a fresh database through every revision costs about a second on PostgreSQL; each test process migrates
# one template per database kind instead and copies it (PostgreSQL CREATE DATABASE … TEMPLATE, a SQLite file copy).
# The copies are exactly what the migrations build, and tests/integration/test_migrations.py checks them.
_MIGRATED: set[str] = set()  # URLs made from a template: already at the newest revision
_templates: dict[str, str] = {}


def _pg_url(name: str) -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def _pg_template() -> str:
    if "postgresql" not in _templates:
        from medbill.adapters.db.migrate import upgrade

        name = f"medbill_template_{uuid.uuid4().hex[:12]}"
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        upgrade(_pg_url(name))
        atexit.register(drop_pg_database, name)
        _templates["postgresql"] = name
    return _templates["postgresql"]


def _sqlite_template() -> Path:
    if "sqlite" not in _templates:
        from medbill.adapters.db.migrate import upgrade

        folder = Path(tempfile.mkdtemp(prefix="medbill-template-"))
        upgrade(f"sqlite:///{folder / 'template.db'}")
        atexit.register(shutil.rmtree, folder, True)
        _templates["sqlite"] = str(folder / "template.db")
    return Path(_templates["sqlite"])


def create_pg_database(*, migrated: bool = True) -> tuple[str, str]:
    """A new PostgreSQL database on the local server, at the newest revision (or empty); returns (url, name)."""
    name = f"medbill_test_{uuid.uuid4().hex[:12]}"
    template = f' TEMPLATE "{_pg_template()}"' if migrated else ""
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"{template}'))
    admin.dispose()
    url = _pg_url(name)
    if migrated:
        _MIGRATED.add(url)
    return url, name


def migrated_sqlite_url(path: Path) -> str:
    """A SQLite file at ``path`` at the newest revision, copied from the process's template."""
    shutil.copyfile(_sqlite_template(), path)
    url = f"sqlite:///{path}"
    _MIGRATED.add(url)
    return url


def drop_pg_database(name: str) -> None:
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def make_container(url: str, clock: FixedClock) -> Container:
    if url.startswith("sqlite:///") and url not in _MIGRATED and not Path(url.removeprefix("sqlite:///")).exists():
        url = migrated_sqlite_url(Path(url.removeprefix("sqlite:///")))
    container = build(Settings(database_url=url, fast_password_hashing=True, secret_key="test-secret"), clock=clock)
    if url not in _MIGRATED:
        migrate_container(container)
    return container


@dataclass(frozen=True, slots=True)
class Practice:
    """A seeded practice: an admin actor, a biller, a rendering provider, a facility, two payers, a fee schedule."""

    container: Container
    admin: Actor
    biller: Actor
    provider_id: str
    facility_id: str
    medicare_id: str
    commercial_id: str


def ALDER_ADDRESS() -> AddressDraft:
    return AddressDraft(line1="12 Maple St", city="Springfield", state="IL", zip="62701")


def patient_draft(**overrides: object) -> PatientDraft:
    values: dict[str, object] = {
        "last_name": "Alder",
        "first_name": "Ada",
        "birth_date": date(1950, 3, 14),
        "sex": "F",
        "address": ALDER_ADDRESS(),
        "phone": "217-555-0142",
    }
    values.update(overrides)
    return PatientDraft(**values)  # type: ignore[arg-type]


def seed_practice(container: Container) -> Practice:
    deps = container.deps
    practice = setup.create_practice(
        deps,
        name="Test Family Practice",
        npi="1234567893",
        tin="47-1234567",
        address=AddressDraft(line1="1 Main St", city="Springfield", state="IL", zip="627011234"),
    )
    users.bootstrap_user(
        deps, practice_id=practice.id, username="admin", display_name="Admin", role="admin", password=PASSWORD
    )
    users.bootstrap_user(
        deps, practice_id=practice.id, username="biller", display_name="Bea Biller", role="biller", password=PASSWORD
    )
    admin = users.authenticate(deps, username="admin", password=PASSWORD, source="test")
    biller = users.authenticate(deps, username="biller", password=PASSWORD, source="test")
    provider = setup.add_provider(
        deps,
        admin,
        ProviderDraft(
            kind="individual",
            last_name="Okafor",
            first_name="Ruth",
            npi="1245319599",
            taxonomy="207Q00000X",
            roles=("rendering", "referring"),
        ),
    )
    facility = setup.add_facility(deps, admin, FacilityDraft(name="Main Clinic", address=ALDER_ADDRESS()))
    medicare = setup.add_payer(
        deps, admin, PayerDraft(name="Medicare B", payer_id="MCRB1", claim_filing_indicator="MB")
    )
    commercial = setup.add_payer(
        deps,
        admin,
        PayerDraft(name="Acme Health", payer_id="ACME1", claim_filing_indicator="CI", timely_filing_days=180),
    )
    encounters.add_fee_schedule(
        deps,
        admin,
        FeeScheduleDraft(
            name="Standard",
            effective_from=date(2026, 1, 1),
            entries=(("99213", "", 14000), ("99214", "", 20500), ("36415", "", 1500), ("93000", "", 5500)),
        ),
    )
    encounters.add_fee_schedule(
        deps,
        admin,
        FeeScheduleDraft(
            name="Acme contract",
            payer_id=commercial.id,
            effective_from=date(2026, 1, 1),
            entries=(("99213", "", 12000),),
        ),
    )
    return Practice(container, admin, biller, provider.id, facility.id, medicare.id, commercial.id)


def register_with_coverage(p: Practice, **overrides: object) -> tuple[str, str]:
    deps = p.container.deps
    patient = patients.register_patient(deps, p.biller, patient_draft(**overrides))
    coverage = patients.add_coverage(
        deps,
        p.biller,
        patient.id,
        CoverageDraft(
            payer_id=p.commercial_id,
            order="primary",
            member_id="ACM123456789",
            effective_from=date(2026, 1, 1),
            copay_cents=2500,
            deductible_cents=150000,
            coinsurance_percent="20",
        ),
    )
    return patient.id, coverage.id
