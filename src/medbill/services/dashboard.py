"""What needs a person today: the counts and recent work the home screen shows, read in one audited query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from medbill.domain.audit import AuditAction
from medbill.domain.users import Actor, Permission
from medbill.services.base import Deps, record_audit


@dataclass(frozen=True, slots=True, kw_only=True)
class RecentEncounter:
    encounter_id: str
    patient_id: str
    patient_name: str
    account_number: str
    date_of_service: date
    provider_name: str
    total_charge_cents: int


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkSummary:
    patients: int
    encounters_today: int
    charges_today_cents: int
    payers: int
    providers: int
    recent: tuple[RecentEncounter, ...]


def work_summary(deps: Deps, actor: Actor, *, recent: int = 15) -> WorkSummary:
    """Counts for today (UTC) and the latest encounters with their patients' names; one audit row per view."""
    actor.require(Permission.ENCOUNTER_READ)
    actor.require(Permission.PATIENT_READ)
    pid = actor.practice_id
    start_of_day = datetime.combine(deps.clock.today(), time.min, tzinfo=deps.clock.now().tzinfo)
    with deps.uow() as uow:
        count_today, cents_today = uow.encounters.totals_since(pid, start_of_day)
        encounters = uow.encounters.recent(pid, recent)
        providers = {p.id: p for p in uow.providers.list(pid)}
        rows = []
        for e in encounters:
            patient = uow.patients.get(pid, e.patient_id)
            provider = providers.get(e.rendering_provider_id)
            rows.append(
                RecentEncounter(
                    encounter_id=e.id,
                    patient_id=patient.id,
                    patient_name=patient.name.display(),
                    account_number=patient.account_number,
                    date_of_service=e.date_of_service,
                    provider_name=provider.display_name() if provider else "",
                    total_charge_cents=e.total_charge_cents,
                )
            )
        summary = WorkSummary(
            patients=uow.patients.count(pid),
            encounters_today=count_today,
            charges_today_cents=cents_today,
            payers=len(uow.payers.list(pid)),
            providers=len(providers),
            recent=tuple(rows),
        )
        record_audit(
            uow,
            deps,
            actor,
            AuditAction.SEARCH,
            "encounter",
            None,
            f"home summary; patients shown={len({r.patient_id for r in rows})}",
        )
        uow.commit()
    return summary
