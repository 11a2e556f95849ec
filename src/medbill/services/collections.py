"""Collections status of patient accounts: set where an account stands (reminder, final notice, collections, agency,
settled) with a note, and list the accounts in collections with what each patient owes. Setting needs the
write-off permission (billers and admins decide to send an account out); every change is audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from medbill.domain.audit import AuditAction
from medbill.domain.collections import AccountCollections, CollectionStatus
from medbill.domain.fields import parse_enum
from medbill.domain.ledger import balance
from medbill.domain.users import Actor, Permission
from medbill.services.base import Deps, record_audit

__all__ = ["CollectionStatus", "CollectionsAccount", "collections_list", "set_collections_status"]


@dataclass(frozen=True, slots=True, kw_only=True)
class CollectionsAccount:
    """An account in collections: its status, the patient it belongs to, and what the patient owes now."""

    record: AccountCollections
    account_number: str
    patient_name: str
    patient_balance_cents: int


def set_collections_status(
    deps: Deps, actor: Actor, patient_id: str, status: str | CollectionStatus, note: str
) -> AccountCollections:
    """Put the account at ``status``; ``since`` moves to today only when the status changes (a new note does not)."""
    actor.require(Permission.BALANCE_WRITE_OFF)
    which = parse_enum(CollectionStatus, status, "status")
    with deps.uow() as uow:
        uow.patients.get(actor.practice_id, patient_id)  # NotFound for another practice's patient
        current = uow.collections.get(actor.practice_id, patient_id)
        since = current.since if current is not None and current.status is which else deps.clock.today()
        record = AccountCollections(
            practice_id=actor.practice_id,
            patient_id=patient_id,
            status=which,
            since=since,
            note=note,
            updated_by=actor.username,
        )
        uow.collections.put(record)
        before = current.status.value if current is not None else "none"
        detail = f"collections status {before} -> {which.value}"
        record_audit(uow, deps, actor, AuditAction.UPDATE, "patient", patient_id, detail)
        uow.commit()
    return record


def collections_status(deps: Deps, actor: Actor, patient_id: str) -> AccountCollections | None:
    """Where the patient's account stands in collections; None: in no collections step."""
    actor.require(Permission.PATIENT_READ)
    with deps.uow() as uow:
        uow.patients.get(actor.practice_id, patient_id)
        return uow.collections.get(actor.practice_id, patient_id)


def collections_list(
    deps: Deps, actor: Actor, *, status: str | CollectionStatus | None = None, include_settled: bool = False
) -> Sequence[CollectionsAccount]:
    """Accounts with a collections status (settled ones only when asked, or when ``status`` is settled), longest in
    their status first; the listing is audited (it names patients)."""
    actor.require(Permission.PATIENT_READ)
    which = parse_enum(CollectionStatus, status, "status") if status else None
    out: list[CollectionsAccount] = []
    with deps.uow() as uow:
        for record in uow.collections.list(actor.practice_id, status=which):
            if which is None and record.status is CollectionStatus.SETTLED and not include_settled:
                continue
            patient = uow.patients.get(actor.practice_id, record.patient_id)
            owed = balance(uow.ledger.for_patient(actor.practice_id, record.patient_id)).patient_cents
            out.append(
                CollectionsAccount(
                    record=record,
                    account_number=patient.account_number,
                    patient_name=patient.name.display(),
                    patient_balance_cents=owed,
                )
            )
        detail = f"collections status={which.value if which else '*'} results={len(out)}"
        record_audit(uow, deps, actor, AuditAction.SEARCH, "patient", None, detail)
        uow.commit()
    return out
