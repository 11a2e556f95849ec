"""Patient statements: run a practice's statement cycle (one statement per guarantor, each stored with its PDF),
holds on a patient's statements, and reading what was sent (listing, the PDF, the email body)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from medbill.domain.audit import AuditAction
from medbill.domain.errors import NotFound, ValidationError
from medbill.domain.fields import new_id
from medbill.domain.statements import DecisionCode, Statement, StatementRules, statement_decision
from medbill.domain.users import Actor, Permission
from medbill.formats.pdf.statement import render_statement
from medbill.formats.statement_email import statement_html, statement_text
from medbill.services.base import Deps, record_audit
from medbill.services.ports import StatementHold, StatementRecord, StatementRunRecord, UnitOfWork
from medbill.services.statement_accounts import (
    GuarantorAccount,
    GuarantorGroup,
    account_book,
    build_statement,
    guarantor_account,
    guarantor_groups,
    person,
    practice_party,
)

STATEMENT_COUNTER = "statement"
CANNOT_BUILD = "cannot_build"  # the ledger of one account does not add up: reported, the run goes on
SKIP_CODES = (
    DecisionCode.ON_HOLD.value,
    DecisionCode.NOTHING_DUE.value,
    DecisionCode.BELOW_MINIMUM.value,
    DecisionCode.IN_CYCLE.value,
    CANNOT_BUILD,
)
MAX_HOLD_REASON = 500


@dataclass(frozen=True, slots=True, kw_only=True)
class SentStatement:
    statement_id: str
    statement_number: str
    guarantor_name: str
    patient_ids: tuple[str, ...]
    amount_due_cents: int
    message: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SkippedGuarantor:
    guarantor_name: str
    patient_ids: tuple[str, ...]
    code: str  # a DecisionCode value, or cannot_build
    reason: str
    amount_due_cents: int


@dataclass(frozen=True, slots=True, kw_only=True)
class RunReport:
    """What a run sent and skipped (counts by reason), and the total due on what it sent."""

    run_id: str | None  # None on a dry run: nothing was stored
    run_on: date
    dry_run: bool
    statements: tuple[SentStatement, ...]
    skipped_guarantors: tuple[SkippedGuarantor, ...]

    @property
    def sent(self) -> int:
        return len(self.statements)

    @property
    def skipped(self) -> dict[str, int]:
        counts = dict.fromkeys(SKIP_CODES, 0)
        for skip in self.skipped_guarantors:
            counts[skip.code] = counts.get(skip.code, 0) + 1
        return counts

    @property
    def total_due_cents(self) -> int:
        return sum(s.amount_due_cents for s in self.statements)


ProgressFn = Callable[[int, int], None]
PdfFn = Callable[[SentStatement, bytes], None]


BOOK_GROUPS = 500  # guarantors whose ledger, visits and credits a run reads in one go


def _groups(uow: UnitOfWork, practice_id: str) -> list[GuarantorGroup]:
    ids = uow.statements.billable_patient_ids(practice_id)
    found = uow.patients.get_many(practice_id, ids)
    return guarantor_groups(
        found[patient_id] if patient_id in found else uow.patients.get(practice_id, patient_id) for patient_id in ids
    )


def run_statements(
    deps: Deps,
    actor: Actor,
    *,
    rules: StatementRules,
    today: date | None = None,
    dry_run: bool = False,
    on_progress: ProgressFn | None = None,
    on_pdf: PdfFn | None = None,
) -> RunReport:
    """One statement to each guarantor whose account ``statement_decision`` says to send today, numbered from the
    practice's statement counter, stored under one run; a dry run decides and numbers the same and keeps nothing.
    ``on_pdf`` receives each statement rendered as a PDF (to write files), ``on_progress`` (done, total).

    The PDF is rendered here only for ``on_pdf`` (and then kept with the statement); otherwise it is rendered on its
    first download from the ledger as it stood at the run (``get_statement_pdf``) and kept from then on: rendering
    is most of a run's time, and most statements go out by mail through a print vendor or by email anyway.

    A guarantor's statement is on hold when any patient it lists is on hold."""
    actor.require(Permission.STATEMENTS_RUN)
    run_on = today or deps.clock.today()
    practice_id = actor.practice_id
    run_id = new_id()
    sent: list[SentStatement] = []
    skipped: list[SkippedGuarantor] = []
    with deps.uow() as uow:
        practice = uow.practices.get(practice_id)
        practice_party(practice)  # refused before anything is read: no remit-to address
        providers = {p.id: p.display_name() for p in uow.providers.list(practice_id)}
        groups = _groups(uow, practice_id)
        holds = uow.statements.holds(practice_id)
        last = uow.statements.last_dates(practice_id)
        run = StatementRunRecord(
            id=run_id,
            practice_id=practice_id,
            run_on=run_on,
            created_at=deps.clock.now(),
            created_by=actor.username,
            sent_count=0,
            skipped_count=0,
            total_due_cents=0,
        )
        if not dry_run:
            uow.statements.add_run(run)
        for start in range(0, len(groups), BOOK_GROUPS):
            chunk = groups[start : start + BOOK_GROUPS]
            book = account_book(uow, practice_id, [pid for g in chunk for pid in g.patient_ids])
            to_send: list[tuple[GuarantorGroup, GuarantorAccount, str]] = []
            for done, group in enumerate(chunk, start + 1):
                if on_progress is not None:
                    on_progress(done - 1, len(groups))
                try:
                    account = guarantor_account(uow, practice_id, group, today=run_on, providers=providers, book=book)
                except ValidationError as exc:
                    skipped.append(
                        SkippedGuarantor(
                            guarantor_name=group.party.name,
                            patient_ids=group.patient_ids,
                            code=CANNOT_BUILD,
                            reason=exc.message,
                            amount_due_cents=0,
                        )
                    )
                    continue
                decision = statement_decision(
                    amount_due_cents=account.amount_due_cents,
                    oldest_responsible_on=account.oldest_responsible_on,
                    last_statement_on=last.get(group.key),
                    on_hold=any(patient_id in holds for patient_id in group.patient_ids),
                    today=run_on,
                    rules=rules,
                )
                if not decision.send:
                    skipped.append(
                        SkippedGuarantor(
                            guarantor_name=group.party.name,
                            patient_ids=group.patient_ids,
                            code=decision.code.value,
                            reason=decision.reason,
                            amount_due_cents=account.amount_due_cents,
                        )
                    )
                    continue
                to_send.append((group, account, decision.message))
            # the chunk's statements numbered in order from one take of the counter, then written together
            first = uow.counters.take(practice_id, STATEMENT_COUNTER, len(to_send)) if to_send else 0
            made: list[tuple[StatementRecord, bytes | None, SentStatement]] = []
            for offset, (group, account, message) in enumerate(to_send):
                number = f"S{first + offset:08d}"
                statement = build_statement(
                    account,
                    practice=practice,
                    statement_number=number,
                    statement_date=run_on,
                    rules=rules,
                    message=message,
                )
                pdf = render_statement(statement) if on_pdf is not None else None
                record = StatementRecord(
                    id=new_id(),
                    practice_id=practice_id,
                    run_id=run_id,
                    guarantor_key=group.key,
                    patient_ids=group.patient_ids,
                    statement_number=number,
                    statement_date=statement.statement_date,
                    due_date=statement.due_date,
                    amount_due_cents=statement.amount_due_cents,
                    message=statement.message,
                )
                item = SentStatement(
                    statement_id=record.id,
                    statement_number=number,
                    guarantor_name=group.party.name,
                    patient_ids=group.patient_ids,
                    amount_due_cents=record.amount_due_cents,
                    message=record.message,
                )
                made.append((record, pdf, item))
            if not dry_run:
                uow.statements.add_many([(record, pdf) for record, pdf, _ in made])
            for _, pdf, item in made:
                sent.append(item)
                if on_pdf is not None and pdf is not None:
                    on_pdf(item, pdf)
        if on_progress is not None:
            on_progress(len(groups), len(groups))
        report = RunReport(
            run_id=None if dry_run else run_id,
            run_on=run_on,
            dry_run=dry_run,
            statements=tuple(sent),
            skipped_guarantors=tuple(skipped),
        )
        if dry_run:
            return report  # leaving the unit of work rolls back the statement numbers taken
        uow.statements.finish_run(
            replace(
                run,
                sent_count=report.sent,
                skipped_count=len(skipped),
                total_due_cents=report.total_due_cents,
            )
        )
        record_audit(
            uow, deps, actor, AuditAction.CREATE, "statement_run", run_id, f"sent {report.sent}, skipped {len(skipped)}"
        )
        uow.commit()
    return report


# --- holds ----------------------------------------------------------------------------------------------------------


def hold_statements(deps: Deps, actor: Actor, patient_id: str, reason: str) -> StatementHold:
    """No statement goes to the patient's guarantor until the hold is released (a dispute, an appeal, a bankruptcy).
    Holding again changes the reason."""
    actor.require(Permission.STATEMENTS_RUN)
    text = " ".join(reason.split())
    if not text:
        raise ValidationError("say why statements are held (dispute, appeal pending, bankruptcy …)", field="reason")
    if len(text) > MAX_HOLD_REASON:
        raise ValidationError(f"at most {MAX_HOLD_REASON} characters", field="reason")
    with deps.uow() as uow:
        uow.patients.get(actor.practice_id, patient_id)  # NotFound for another practice's patient
        hold = StatementHold(
            practice_id=actor.practice_id,
            patient_id=patient_id,
            reason=text,
            created_at=deps.clock.now(),
            created_by=actor.username,
        )
        uow.statements.put_hold(hold)
        record_audit(uow, deps, actor, AuditAction.UPDATE, "patient", patient_id, "statement hold")
        uow.commit()
    return hold


def release_hold(deps: Deps, actor: Actor, patient_id: str) -> None:
    actor.require(Permission.STATEMENTS_RUN)
    with deps.uow() as uow:
        uow.patients.get(actor.practice_id, patient_id)
        if not uow.statements.remove_hold(actor.practice_id, patient_id):
            raise NotFound("the patient's statements are not on hold")
        record_audit(uow, deps, actor, AuditAction.UPDATE, "patient", patient_id, "statement hold released")
        uow.commit()


def list_holds(deps: Deps, actor: Actor) -> list[tuple[StatementHold, str]]:
    """Every hold with the patient's name, oldest first."""
    actor.require(Permission.STATEMENTS_RUN)
    with deps.uow() as uow:
        holds = sorted(uow.statements.holds(actor.practice_id).values(), key=lambda h: (h.created_at, h.patient_id))
        return [(h, person(uow.patients.get(actor.practice_id, h.patient_id).name)) for h in holds]


# --- reading what was sent ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class StatementSummary:
    record: StatementRecord
    guarantor_name: str  # as the patients' records name the guarantor today


def list_runs(deps: Deps, actor: Actor, *, limit: int = 50) -> list[StatementRunRecord]:
    actor.require(Permission.STATEMENTS_RUN)
    with deps.uow() as uow:
        return list(uow.statements.runs(actor.practice_id, limit=limit))


def list_statements(
    deps: Deps, actor: Actor, patient_id: str | None = None, *, run_id: str | None = None, limit: int = 200
) -> list[StatementSummary]:
    """Statements sent, newest first: all, those listing one patient, or one run's."""
    actor.require(Permission.STATEMENTS_RUN)
    with deps.uow() as uow:
        if patient_id is not None:
            uow.patients.get(actor.practice_id, patient_id)
        records = uow.statements.list(actor.practice_id, patient_id=patient_id, run_id=run_id, limit=limit)
        names: dict[str, str] = {}
        out = []
        for record in records:
            first = record.patient_ids[0]
            if first not in names:
                patient = uow.patients.get(actor.practice_id, first)
                names[first] = person(patient.guarantor.name if patient.guarantor else patient.name)
            out.append(StatementSummary(record=record, guarantor_name=names[first]))
        return out


def get_statement_pdf(deps: Deps, actor: Actor, statement_id: str) -> tuple[StatementRecord, bytes]:
    """The statement's PDF: the one kept, else rendered now from the ledger as it stood at the run (as the email
    body is) and kept, so every later download gets the same bytes."""
    actor.require(Permission.STATEMENTS_RUN)
    with deps.uow() as uow:
        record = uow.statements.get(actor.practice_id, statement_id)
        pdf = uow.statements.pdf(actor.practice_id, statement_id)
        if pdf is None:
            rendered = render_statement(_rebuilt(uow, actor.practice_id, record))
            pdf = uow.statements.keep_pdf(actor.practice_id, statement_id, rendered)
        record_audit(uow, deps, actor, AuditAction.READ, "statement", statement_id, "pdf")
        uow.commit()
    return record, pdf


def statement_email(deps: Deps, actor: Actor, statement_id: str) -> tuple[str, str]:
    """The statement as an email body (plain text, HTML), rebuilt from the ledger as it stood when the run stored it:
    the same visits and figures, number, dates and message; unapplied credits are what the stored amount due implies.
    Names and addresses are today's."""
    actor.require(Permission.STATEMENTS_RUN)
    with deps.uow() as uow:
        record = uow.statements.get(actor.practice_id, statement_id)
        statement = _rebuilt(uow, actor.practice_id, record)
        record_audit(uow, deps, actor, AuditAction.READ, "statement", statement_id, "email")
        uow.commit()
    return statement_text(statement), statement_html(statement)


def _rebuilt(uow: UnitOfWork, practice_id: str, record: StatementRecord) -> Statement:
    """The statement rebuilt from the ledger as it stood when the run stored it: the same visits and figures, number,
    dates and message; unapplied credits are what the stored amount due implies. Names and addresses are today's."""
    run = uow.statements.get_run(practice_id, record.run_id)
    practice = uow.practices.get(practice_id)
    patients = tuple(uow.patients.get(practice_id, pid) for pid in record.patient_ids)
    first = guarantor_groups(patients[:1])[0]
    group = GuarantorGroup(key=record.guarantor_key, party=first.party, patients=patients)
    providers = {p.id: p.display_name() for p in uow.providers.list(practice_id)}
    account = guarantor_account(
        uow, practice_id, group, today=record.statement_date, providers=providers, as_of=run.created_at
    )
    account = replace(account, credits_cents=max(0, account.balance_cents - record.amount_due_cents))
    return build_statement(
        account,
        practice=practice,
        statement_number=record.statement_number,
        statement_date=record.statement_date,
        rules=StatementRules(due_in_days=(record.due_date - record.statement_date).days),
        message=record.message,
    )
