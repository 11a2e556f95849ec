"""Importing an 835 and posting it: balance it, match it, write typed ledger entries, move claims, fill work queues.

One file is one unit of work: either every transaction in it that balances is posted, or (on any failure) nothing
is. A dry run does all of it and rolls back, so the preview is exactly what posting would do. A transaction that
was imported before (same payer, trace number and claim payments) posts nothing and says so; one that does not
balance is held, with the difference, for a person to look at.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from medbill.domain.audit import AuditAction
from medbill.domain.claim_records import ClaimRecord
from medbill.domain.claim_states import ClaimEvent, ClaimTransition, allowed_events, next_status
from medbill.domain.cob import crossover_payer_name, is_crossover
from medbill.domain.coverage import CoverageOrder
from medbill.domain.denials import DenialTriage, triage
from medbill.domain.errors import Conflict, FormatError, MedbillError, ValidationError
from medbill.domain.fees import FeeSchedule, FeeScheduleKind, contracted_amount
from medbill.domain.ledger import LedgerEntry
from medbill.domain.parties import Payer
from medbill.domain.posting import ClaimPosting, PostingTarget, back_to_insurance, line_denied, post_claim_payment
from medbill.domain.remittance import (
    AdjustmentGroup,
    ClaimPayment,
    Remittance,
)
from medbill.domain.remittance import ClaimStatus as RemitStatus
from medbill.domain.remittance_records import RemittanceRecord, RemittanceStatus, import_key, payer_identifier
from medbill.domain.users import Actor, Permission
from medbill.domain.work_items import Queue, WorkItem
from medbill.formats import x12
from medbill.formats.x12.jsonview import claim_payment_json
from medbill.services.adjudication_moves import adjudication_event, claim_moves, denial_reason
from medbill.services.base import Deps, record_audit
from medbill.services.claim_secondary import build_secondary_claim
from medbill.services.claims import PartyBook
from medbill.services.ports import UnitOfWork
from medbill.services.remittance_report import (
    ClaimOutcome,
    ImportReport,
    TransactionReport,
    report_dict,
    transaction_report,
)

__all__ = [
    "DEFAULT_UNDERPAYMENT_TOLERANCE_CENTS",
    "ClaimOutcome",
    "ImportReport",
    "TransactionReport",
    "adjudication_event",
    "claim_moves",
    "denial_reason",
    "import_remittance",
    "read_remittances",
    "report_dict",
]

DEFAULT_UNDERPAYMENT_TOLERANCE_CENTS = 100  # a dollar a line: rounding between fee schedules is not a dispute


class _Run:
    """Posting one transaction set inside the file's unit of work."""

    def __init__(
        self,
        uow: UnitOfWork,
        deps: Deps,
        actor: Actor,
        remit: Remittance,
        report: TransactionReport,
        *,
        tolerance_cents: int,
        schedules: Sequence[FeeSchedule],
        payers: dict[str, Payer],
    ) -> None:
        self.uow = uow
        self.deps = deps
        self.actor = actor
        self.remit = remit
        self.report = report
        self.tolerance = tolerance_cents
        self.schedules = schedules
        self.payers = payers
        self.now = deps.clock.now()
        self.entries: list[LedgerEntry] = []
        self.items: list[WorkItem] = []
        self.moves: list[tuple[ClaimTransition, str | None]] = []
        self.primaries: dict[str, ClaimRecord] = {}  # claims whose next payer may be billed, read ahead by ``post``
        self.book: PartyBook | None = None  # the practice's parties, once a secondary claim is built

    def item(
        self,
        queue: Queue,
        *,
        reference: str,
        cents: int,
        reason: str,
        detail: str,
        claim_id: str | None,
        target: PostingTarget | None = None,
        triaged: DenialTriage | None = None,
    ) -> None:
        self.items.append(
            WorkItem(
                practice_id=self.actor.practice_id,
                queue=queue,
                claim_id=claim_id,
                remittance_id=self.report.remittance_id,
                reference=reference,
                amount_cents=cents,
                reason=reason,
                detail=detail,
                created_at=self.now,
                payer_id=target.payer_id if target else None,
                patient_id=target.patient_id if target else None,
                category=triaged.category.value if triaged else None,
                next_action=triaged.next_action.value if triaged else None,
                due_on=triaged.due_on if triaged else None,
            )
        )

    def post(self) -> None:
        pid = self.actor.practice_id
        trace = self.remit.payment.trace_number
        targets = self.uow.posting.targets(pid, (c.claim_id for c in self.remit.claims))
        # earlier postings matter to a reversal (it undoes them) and to a crossed-over secondary's answer on our
        # primary claim (what the primary put on the patient goes back to insurance first)
        looked_back = [
            targets[c.claim_id].claim_id
            for c in self.remit.claims
            if c.claim_id in targets and (c.status is RemitStatus.REVERSAL or _crossover_answer(c, targets[c.claim_id]))
        ]
        earlier: dict[str, list[LedgerEntry]] = {}
        for entry in self.uow.ledger.for_claims(pid, looked_back) if looked_back else ():
            earlier.setdefault(entry.claim_id or "", []).append(entry)
        # the claims whose next payer this advice may bill, read whole (with their documents) in one go
        billing_next = [
            c.claim_id for c in self.remit.claims if c.claim_id in targets and _may_bill_next(c, targets[c.claim_id])
        ]
        self.primaries = (
            {claim.id: claim for claim in self.uow.claims.by_control_numbers(pid, billing_next).values()}
            if billing_next
            else {}
        )
        source = f"835 TRN {trace}"
        for payment in self.remit.claims:
            outcome = ClaimOutcome(
                claim_id=payment.claim_id,
                status=payment.status.value,
                charge_cents=payment.charge_cents,
                paid_cents=payment.paid_cents,
                patient_responsibility_cents=payment.patient_responsibility_cents or 0,
                action="posted",
            )
            self.report.claims.append(outcome)
            target = targets.get(payment.claim_id)
            if target is None:
                outcome.action = "unmatched"
                outcome.note = "no claim of ours has this patient control number (CLP01)"
                self.report.unmatched += 1
                self.item(
                    Queue.UNMATCHED,
                    reference=payment.claim_id,
                    cents=payment.paid_cents,
                    reason=f"CLP01 {payment.claim_id} matches no claim of ours",
                    detail=_json(claim_payment_json(payment)),
                    claim_id=None,
                )
                continue
            outcome.claim_record_id = target.claim_id
            posted_as = target
            if _crossover_answer(payment, target):
                # the primary forwarded our claim; this is the next payer answering on the same CLM01
                posted_as = replace(target, order=CoverageOrder.SECONDARY)
                back = back_to_insurance(earlier.get(target.claim_id, ()), at=self.now, source=f"835 TRN {trace}")
                self.entries.extend(replace(e, remittance_id=self.report.remittance_id) for e in back)
                outcome.note = "the next payer's answer to a crossed-over claim"
            posting = post_claim_payment(
                payment,
                posted_as,
                practice_id=pid,
                remittance_id=self.report.remittance_id or "",
                at=self.now,
                source=source,
                earlier=earlier.get(target.claim_id, ()),
            )
            self.entries.extend(posting.entries)
            self._after(payment, target, posting, outcome)
            secondary_from = self._bill_next_payer(payment, target, posting, outcome)
            number = payment.payer_claim_number or target.payer_claim_number
            for move in claim_moves(target, payment, at=self.now, actor=self.actor.username, trace=trace):
                self.moves.append((move, number))
                outcome.event = move.event.value
                # a reversal and its correction can follow each other in one advice
                targets[payment.claim_id] = target = replace(target, status=move.to_status, payer_claim_number=number)
            if secondary_from is not None and ClaimEvent.BILL_SECONDARY in allowed_events(target.status):
                bill = ClaimTransition(
                    claim_id=target.claim_id,
                    event=ClaimEvent.BILL_SECONDARY,
                    from_status=target.status,
                    to_status=next_status(target.status, ClaimEvent.BILL_SECONDARY),
                    at=self.now,
                    actor=self.actor.username,
                    reason=f"secondary claim {secondary_from} built from this adjudication",
                )
                self.moves.append((bill, number))
                targets[payment.claim_id] = target = replace(target, status=bill.to_status)

    def _after(
        self, payment: ClaimPayment, target: PostingTarget, posting: ClaimPosting, outcome: ClaimOutcome
    ) -> None:
        if payment.status is RemitStatus.REVERSAL:
            outcome.action = "reversed"
            outcome.note = f"{len(posting.entries)} entries undone"
            self.report.reversed += 1
            return
        self.report.posted += 1
        for service in posting.unmatched:
            self.report.unmatched_lines += 1
            self.item(
                Queue.UNMATCHED,
                reference=payment.claim_id,
                cents=service.paid_cents,
                reason=(
                    f"a service line of claim {payment.claim_id} ({service.procedure.code}, "
                    f"REF*6R {service.line_control_number or 'missing'}) matches none of our lines"
                ),
                detail=_json(claim_payment_json(payment)),
                claim_id=target.claim_id,
            )
        event = adjudication_event(payment)
        if event is ClaimEvent.DENY or posting.denied_lines:
            self.report.denied += 1
            services = [s for _, s in posting.denied_lines]
            denied_cents = payment.charge_cents if event is ClaimEvent.DENY else sum(s.charge_cents for s in services)
            what = "claim denied" if event is ClaimEvent.DENY else f"{len(services)} line(s) denied"
            payer = self.payers.get(target.payer_id)
            refused = [*payment.adjustments, *(a for s in (services or payment.lines) for a in s.adjustments)]
            triaged = triage(
                ((a.group.value, a.carc, a.amount_cents) for a in refused),
                remitted_on=self.remit.payment.date,
                date_of_service=target.date_of_service,
                appeal_window_days=payer.appeal_window_days if payer else 180,
                timely_filing_days=payer.timely_filing_days if payer else 365,
            )
            self.item(
                Queue.DENIAL,
                reference=payment.claim_id,
                cents=denied_cents,
                reason=f"{what}: {denial_reason(payment, services)}",
                detail=_json(claim_payment_json(payment)),
                claim_id=target.claim_id,
                target=target,
                triaged=triaged,
            )
        if target.order is CoverageOrder.PRIMARY:
            self._underpayments(payment, target, posting)

    def _bill_next_payer(
        self, payment: ClaimPayment, target: PostingTarget, posting: ClaimPosting, outcome: ClaimOutcome
    ) -> str | None:
        """After a payer adjudicates, the next coverage is billed: a secondary claim with the COB loops, and what
        this payer put on the patient goes back to insurance until the next payer answers. Not when the payer
        crossed the claim over itself (NM1*TT, CLP02 19/20/21): that would bill the next payer twice."""
        if not _may_bill_next(payment, target):
            return None
        if is_crossover(payment):
            self.report.crossovers += 1
            name = crossover_payer_name(payment)
            outcome.note = f"crossed over to {name or 'the next payer'} by the payer: no secondary claim sent"
            return None
        pid = self.actor.practice_id
        primary = self.primaries.get(target.claim_id) or self.uow.claims.get(pid, target.claim_id)
        try:
            if self.book is None:  # the practice's parties, read once for all the secondaries of this 835
                self.book = PartyBook(self.uow, pid)
            built = build_secondary_claim(
                self.uow,
                self.deps,
                self.actor,
                primary,
                payment,
                adjudicated_on=self.remit.payment.date,
                book=self.book,
            )
        except MedbillError as exc:
            outcome.note = f"secondary claim not built: {exc.message}"
            return None
        if built is None:
            return None
        self.report.secondary_claims += 1
        outcome.note = f"secondary claim {built.patient_control_number} built"
        self.entries.extend(
            replace(entry, claim_id=built.id, payer_id=built.payer_id)
            for entry in back_to_insurance(posting.entries, at=self.now, source=f"billed to {built.payer_name}")
        )
        return built.patient_control_number

    def _underpayments(self, payment: ClaimPayment, target: PostingTarget, posting: ClaimPosting) -> None:
        for match in posting.matches:
            service = match.service
            if line_denied(service):
                continue
            expected = contracted_amount(
                self.schedules,
                payer_id=target.payer_id,
                procedure_code=match.line.procedure_code,
                modifiers=match.line.modifiers,
                units=match.line.units,
                date_of_service=target.date_of_service,
            )
            if expected is None:
                continue
            allowed = service.allowed_cents
            if allowed is None:
                to_patient = sum(
                    a.amount_cents for a in service.adjustments if a.group is AdjustmentGroup.PATIENT_RESPONSIBILITY
                )
                allowed = service.paid_cents + to_patient
            short = expected - allowed
            if short > self.tolerance:
                self.report.underpaid += 1
                self.item(
                    Queue.UNDERPAYMENT,
                    reference=payment.claim_id,
                    cents=short,
                    reason=(
                        f"line {match.line.line_number} {match.line.procedure_code}: allowed {_usd(allowed)}, "
                        f"contracted {_usd(expected)}, short {_usd(short)}"
                    ),
                    detail=_json(claim_payment_json(payment)),
                    claim_id=target.claim_id,
                    target=target,
                )

    def write(self) -> None:
        self.uow.ledger.add(self.entries)
        self.uow.work_items.add(self.items)
        self.uow.posting.move(self.actor.practice_id, self.moves)
        totals: Counter[str] = Counter()
        for entry in self.entries:
            totals[entry.kind.value] += entry.amount_cents
        self.report.totals = dict(totals)
        self.report.entries = len(self.entries)


def _may_bill_next(payment: ClaimPayment, target: PostingTarget) -> bool:
    """Whether this payment may bill the next coverage: a payment (not a reversal) from a payer that is not the next
    one answering a claim the primary forwarded (that payer already has it), on a claim with a coverage after it."""
    if target.next_coverage_id is None or payment.status is RemitStatus.REVERSAL:
        return False
    if _crossover_answer(payment, target):
        return False
    return adjudication_event(payment) in (ClaimEvent.PAY, ClaimEvent.PAY_PARTIALLY)


def _crossover_answer(payment: ClaimPayment, target: PostingTarget) -> bool:
    """CLP02 2 or 3 on a claim we sent as primary: the next payer is answering a claim the primary forwarded."""
    return target.order is CoverageOrder.PRIMARY and payment.status in (RemitStatus.SECONDARY, RemitStatus.TERTIARY)


def _usd(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}${abs(cents) // 100:,}.{abs(cents) % 100:02d}"


def _json(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def read_remittances(data: bytes, file_name: str) -> list[tuple[str, Remittance]]:
    """The 835 transaction sets of a file, in order; any other transaction type or a broken file is refused whole."""
    try:
        transactions = x12.read(data)
    except FormatError as exc:
        raise FormatError(f"{file_name}: {exc.message}", code=exc.code) from exc
    found: list[tuple[str, Remittance]] = []
    for transaction in transactions:
        if not isinstance(transaction.document, Remittance):
            raise ValidationError(
                f"{file_name}: transaction set {transaction.control_number} is a {transaction.type.value}, "
                "not an 835 remittance advice",
                field="file",
            )
        found.append((transaction.control_number, transaction.document))
    if not found:
        raise ValidationError(f"{file_name}: holds no 835 transaction set", field="file")
    return found


def import_remittance(
    deps: Deps,
    actor: Actor,
    data: bytes,
    *,
    file_name: str,
    dry_run: bool = False,
    tolerance_cents: int = DEFAULT_UNDERPAYMENT_TOLERANCE_CENTS,
) -> ImportReport:
    """Read, check and post every 835 in ``data``; with ``dry_run`` nothing is kept (the preview).

    Posted once, also when two workers import the same file at the same moment: the database's unique key on the
    practice and the import key lets one commit; the other's insert fails (after waiting for the first), and that
    import is read again, now finding each transaction imported."""
    actor.require(Permission.REMITTANCE_POST)
    remittances = read_remittances(data, file_name)
    try:
        return _import(deps, actor, data, remittances, file_name, dry_run, tolerance_cents)
    except Conflict:
        if dry_run:
            raise
        return _import(deps, actor, data, remittances, file_name, dry_run, tolerance_cents)


def _import(
    deps: Deps,
    actor: Actor,
    data: bytes,
    remittances: list[tuple[str, Remittance]],
    file_name: str,
    dry_run: bool,
    tolerance_cents: int,
) -> ImportReport:
    digest = hashlib.sha256(data).hexdigest()
    report = ImportReport(file_name=file_name, dry_run=dry_run)
    with deps.uow() as uow:
        pid = actor.practice_id
        schedules = [s for s in uow.fee_schedules.list(pid) if s.kind is FeeScheduleKind.CONTRACT]
        payers = {p.id: p for p in uow.payers.list(pid)}
        for index, (control_number, remit) in enumerate(remittances):
            tr = transaction_report(index, control_number, remit)
            report.transactions.append(tr)
            key = import_key(remit)
            done = uow.remittances.by_key(pid, key)
            if done is not None:
                tr.already_imported = True
                tr.remittance_id = done.id
                continue
            record = RemittanceRecord(
                practice_id=pid,
                import_key=key,
                status=RemittanceStatus.POSTED if tr.balanced else RemittanceStatus.HELD,
                file_name=file_name,
                transaction_index=index,
                control_number=control_number,
                payer_name=remit.payer.name,
                payer_identifier=payer_identifier(remit),
                trace_number=remit.payment.trace_number,
                method=remit.payment.method,
                amount_cents=remit.payment.amount_cents,
                paid_on=remit.payment.date,
                claim_count=len(remit.claims),
                posted_count=0,
                unmatched_count=0,
                denied_count=0,
                provider_adjustment_cents=sum(a.amount_cents for a in remit.provider_adjustments),
                difference_cents=tr.difference_cents,
                problems=tuple(tr.problems),
                sha256=digest,
                imported_at=deps.clock.now(),
                imported_by=actor.username,
                posted_at=deps.clock.now() if tr.balanced else None,
            )
            tr.remittance_id = record.id
            uow.remittances.add(record, data, remit.provider_adjustments)
            if not tr.balanced:
                tr.held = True
                for outcome in remit.claims:
                    tr.claims.append(
                        ClaimOutcome(
                            claim_id=outcome.claim_id,
                            status=outcome.status.value,
                            charge_cents=outcome.charge_cents,
                            paid_cents=outcome.paid_cents,
                            patient_responsibility_cents=outcome.patient_responsibility_cents or 0,
                            action="held",
                        )
                    )
                uow.work_items.add(
                    [
                        WorkItem(
                            practice_id=pid,
                            queue=Queue.HELD_REMITTANCE,
                            remittance_id=record.id,
                            reference=remit.payment.trace_number,
                            amount_cents=tr.difference_cents,
                            reason="does not balance: " + "; ".join(tr.problems[:5]),
                            created_at=deps.clock.now(),
                        )
                    ]
                )
                continue
            run = _Run(uow, deps, actor, remit, tr, tolerance_cents=tolerance_cents, schedules=schedules, payers=payers)
            run.post()
            run.write()
            counted = replace(record, posted_count=tr.posted, unmatched_count=tr.unmatched, denied_count=tr.denied)
            uow.remittances.update(counted)
            record_audit(
                uow,
                deps,
                actor,
                AuditAction.CREATE,
                "remittance",
                record.id,
                f"posted claims={tr.posted} unmatched={tr.unmatched} denied={tr.denied} entries={tr.entries}",
            )
        if dry_run:
            uow.rollback()
        else:
            uow.commit()
    return report
