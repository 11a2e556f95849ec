"""What a guarantor owes, read from the ledger: patients grouped by guarantor, each visit as the statement shows it
(charges, what insurance did, what the patient owes and why), aging, unapplied credits, and the statement built from
them. ``services/statements.py`` runs these over a practice; this module only reads and computes."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from medbill.codesets import cpt, reference
from medbill.domain.encounters import Encounter
from medbill.domain.errors import ValidationError
from medbill.domain.ledger import EntryKind, LedgerEntry, PatientShare
from medbill.domain.parties import Address, Patient, PersonName, Practice
from medbill.domain.statements import (
    Aging,
    Owed,
    OwedReason,
    Statement,
    StatementLine,
    StatementParty,
    StatementRules,
    StatementVisit,
    age_balances,
    owed_reason,
)
from medbill.services.accounts import VisitAccount, visit_accounts
from medbill.services.ports import UnitOfWork

DEFAULT_DESCRIPTION = "Professional service"


def person(name: PersonName) -> str:
    """A name as a letter is addressed: ``Clara M Cedar Jr``."""
    return " ".join(part for part in (name.first, name.middle, name.last, name.suffix) if part)


def address_lines(address: Address) -> tuple[str, ...]:
    zip_code = f"{address.zip[:5]}-{address.zip[5:]}" if address.has_zip_plus_4 else address.zip
    return tuple(line for line in (address.line1, address.line2, f"{address.city}, {address.state} {zip_code}") if line)


def practice_party(practice: Practice) -> StatementParty:
    """The practice as the statement's header and remit-to address; refused when it has no mailing address."""
    if practice.address is None:
        raise ValidationError(
            "statements need the practice's mailing address (the remit-to address); add it to the practice",
            field="practice.address",
        )
    return StatementParty(name=practice.name, address_lines=address_lines(practice.address), phone=practice.phone or "")


def _norm(text: str | None) -> str:
    return " ".join((text or "").lower().split())


def guarantor_key(patient: Patient) -> str:
    """The same person at the same address is the same guarantor, whichever patient names them; a patient with no
    guarantor is their own (keyed by their id, so two patients with one name stay apart)."""
    g = patient.guarantor
    if g is None:
        identity = f"patient|{patient.id}"
    else:
        name, a = g.name, g.address
        parts = (name.last, name.first, name.middle, name.suffix, a.line1, a.line2, a.city, a.state, a.zip[:5])
        identity = "guarantor|" + "|".join(_norm(p) for p in parts)
    return hashlib.sha256(identity.encode()).hexdigest()


@dataclass(frozen=True, slots=True, kw_only=True)
class GuarantorGroup:
    """One statement's addressee and the patients whose visits it lists."""

    key: str
    party: StatementParty
    patients: tuple[Patient, ...]

    @property
    def patient_ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.patients)

    @property
    def account_number(self) -> str:
        """The guarantor's account: the lowest account number of the patients they answer for."""
        return min(p.account_number for p in self.patients)


def _party_of(patient: Patient) -> StatementParty:
    g = patient.guarantor
    if g is None:
        return StatementParty(name=person(patient.name), address_lines=address_lines(patient.address))
    return StatementParty(name=person(g.name), address_lines=address_lines(g.address), phone=g.phone or "")


def guarantor_groups(patients: Iterable[Patient]) -> list[GuarantorGroup]:
    """Patients grouped by guarantor, in account-number order (patients in a group likewise)."""
    by_key: dict[str, list[Patient]] = {}
    for patient in patients:
        by_key.setdefault(guarantor_key(patient), []).append(patient)
    groups = []
    for key, members in by_key.items():
        members.sort(key=lambda p: (p.account_number, p.id))
        groups.append(GuarantorGroup(key=key, party=_party_of(members[0]), patients=tuple(members)))
    groups.sort(key=lambda g: (g.account_number, g.key))
    return groups


def description(code: str) -> str:
    """A service's words: the practice's licensed CPT descriptor, the HCPCS Level II short descriptor, or a
    generic phrase (CPT descriptors are never shipped)."""
    found = cpt.descriptor(code)
    if found:
        return found
    ref = reference.hcpcs().get(code)
    return ref.description if ref and ref.description else DEFAULT_DESCRIPTION


def line_owed(entries: Iterable[LedgerEntry]) -> dict[OwedReason, int]:
    """Why the patient owes what the payers put on them for one line: transfers to the patient by reason (CARC 96/204
    under an ``other`` share reads *not covered*), less what went back to insurance for a next payer (taken from the
    reasons in statement order). Entries in time order."""
    amounts = dict.fromkeys(OwedReason, 0)
    net = 0
    for entry in entries:
        if entry.kind is EntryKind.TRANSFER_TO_PATIENT:
            share = entry.patient_share or PatientShare.OTHER
            amounts[owed_reason(share, reason_code=entry.reason_code)] += entry.amount_cents
            net += entry.amount_cents
        elif entry.kind is EntryKind.TRANSFER_TO_INSURANCE:
            back = entry.amount_cents
            net -= back
            for reason in OwedReason:
                take = min(back, max(amounts[reason], 0))
                amounts[reason] -= take
                back -= take
            amounts[OwedReason.OTHER] -= back  # more went back than was on the patient: seen below
    if any(cents < 0 for cents in amounts.values()):
        if net < 0:
            raise ValidationError("more was moved back to insurance than the payers put on the patient", field="owed")
        amounts = {**dict.fromkeys(OwedReason, 0), OwedReason.OTHER: net}
    return amounts


def _sum(entries: Iterable[LedgerEntry], *kinds: EntryKind) -> int:
    return sum(e.amount_cents for e in entries if e.kind in kinds)


def statement_visit(visit: VisitAccount, *, patient_name: str, provider_name: str) -> StatementVisit:
    """One visit's figures split into the insurance and patient buckets (see ``domain/statements.py``)."""
    entries = [e for line in visit.lines for e in line.entries]
    owed: dict[OwedReason, int] = dict.fromkeys(OwedReason, 0)
    for line in visit.lines:
        for reason, cents in line_owed(line.entries).items():
            owed[reason] += cents
    lines = tuple(
        StatementLine(
            procedure_code=line.procedure_code or "SVC",
            description=description(line.procedure_code) if line.procedure_code else DEFAULT_DESCRIPTION,
            charge_cents=line.balance.charges_cents,
        )
        for line in visit.lines
    )
    return StatementVisit(
        date_of_service=visit.date_of_service,
        patient_name=patient_name,
        provider_name=provider_name,
        lines=lines,
        charges_cents=visit.balance.charges_cents,
        insurance_paid_cents=_sum(entries, EntryKind.PAYER_PAYMENT),
        insurance_adjusted_cents=_sum(entries, EntryKind.CONTRACTUAL_ADJUSTMENT, EntryKind.OTHER_ADJUSTMENT),
        insurance_pending_cents=visit.balance.insurance_cents,
        owed=Owed.of(owed.items()),
        patient_paid_cents=_sum(entries, EntryKind.PATIENT_PAYMENT) - _sum(entries, EntryKind.REFUND),
        patient_adjusted_cents=_sum(entries, EntryKind.PATIENT_WRITE_OFF),
        patient_balance_cents=visit.balance.patient_cents,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class GuarantorAccount:
    """Everything a statement to one guarantor would say except its number, dates and message."""

    group: GuarantorGroup
    visits: tuple[StatementVisit, ...]
    aging: Aging
    credits_cents: int
    oldest_responsible_on: date | None  # of the visits with a balance: drives the dunning message

    @property
    def balance_cents(self) -> int:
        return sum(v.patient_balance_cents for v in self.visits)

    @property
    def amount_due_cents(self) -> int:
        return max(0, self.balance_cents - self.credits_cents)


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountBook:
    """What ``guarantor_account`` reads, for many patients read at once (a statement run reads by the hundred, not
    three queries per patient)."""

    entries: Mapping[str, Sequence[LedgerEntry]]  # by patient, in ledger order
    encounters: Mapping[str, Sequence[Encounter]]  # by patient
    credits: Mapping[str, int]  # unapplied patient payments by patient


def account_book(uow: UnitOfWork, practice_id: str, patient_ids: Sequence[str]) -> AccountBook:
    return AccountBook(
        entries=uow.ledger.for_patients(practice_id, patient_ids),
        encounters=uow.encounters.for_patients(practice_id, patient_ids),
        credits=uow.statements.credits_by_patient(practice_id, patient_ids),
    )


def guarantor_account(
    uow: UnitOfWork,
    practice_id: str,
    group: GuarantorGroup,
    *,
    today: date,
    providers: Mapping[str, str],
    as_of: datetime | None = None,
    book: AccountBook | None = None,
) -> GuarantorAccount:
    """The guarantor's open items from the ledger: each visit where the patient has a balance or insurance still owes
    (entries up to ``as_of`` when given), aged by the day the patient became responsible, less unapplied credits.
    ``book`` holds the group's patients' rows when read ahead (``account_book``); else they are read here."""
    visits: list[StatementVisit] = []
    aging: list[tuple[date, int]] = []
    oldest: date | None = None
    for patient in group.patients:
        entries: Sequence[LedgerEntry]
        if book is None:
            entries = uow.ledger.for_patient(practice_id, patient.id)
            found = uow.encounters.for_patient(practice_id, patient.id)
        else:
            entries, found = book.entries.get(patient.id, ()), book.encounters.get(patient.id, ())
        if as_of is not None:
            entries = [e for e in entries if e.at <= as_of]
        encounters = {e.id: e for e in found}
        codes = {(e.id, line.line_number): line.procedure_code for e in encounters.values() for line in e.lines}
        dates = {e.id: e.date_of_service for e in encounters.values()}
        for account in visit_accounts(entries, codes, dates):
            if account.balance.patient_cents == 0 and account.balance.insurance_cents <= 0:
                continue
            encounter = encounters.get(account.encounter_id)
            provider = providers.get(encounter.rendering_provider_id, "") if encounter else ""
            visit = statement_visit(account, patient_name=person(patient.name), provider_name=provider)
            visits.append(visit)
            since = account.responsible_on or account.date_of_service
            aging.append((since, visit.patient_balance_cents))
            if visit.patient_balance_cents > 0 and (oldest is None or since < oldest):
                oldest = since
    visits.sort(key=lambda v: (v.date_of_service, v.patient_name))
    return GuarantorAccount(
        group=group,
        visits=tuple(visits),
        aging=age_balances(aging, today),
        credits_cents=uow.statements.credits(practice_id, group.patient_ids)
        if book is None
        else sum(book.credits.get(patient_id, 0) for patient_id in group.patient_ids),
        oldest_responsible_on=oldest,
    )


def build_statement(
    account: GuarantorAccount,
    *,
    practice: Practice,
    statement_number: str,
    statement_date: date,
    rules: StatementRules,
    message: str = "",
) -> Statement:
    """The statement to the guarantor: the practice as header and remit-to, due ``rules.due_in_days`` later."""
    header = practice_party(practice)
    return Statement(
        statement_number=statement_number,
        account_number=account.group.account_number,
        statement_date=statement_date,
        due_date=rules.due_date(statement_date),
        practice=header,
        remit_to=header,
        guarantor=account.group.party,
        visits=account.visits,
        credits_cents=account.credits_cents,
        aging=account.aging,
        amount_due_cents=account.amount_due_cents,
        message=message,
    )
