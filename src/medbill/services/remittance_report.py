"""What an 835 import did, claim by claim and transaction by transaction, and the same as plain data (amounts as
decimal strings) for `medbill era import --json` and the API."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from medbill.domain.money import cents_to_str
from medbill.domain.remittance import Remittance, balancing_errors, payment_balance_cents


@dataclass(slots=True)
class ClaimOutcome:
    """One claim payment in the preview: what it is and what posting does with it."""

    claim_id: str  # CLP01 as sent
    status: str  # CLP02
    charge_cents: int
    paid_cents: int
    patient_responsibility_cents: int
    action: str  # posted, reversed, unmatched, held, already imported
    claim_record_id: str | None = None
    event: str | None = None  # what it did to the claim: pay, pay_partially, deny, reverse
    note: str = ""


@dataclass(slots=True)
class TransactionReport:
    index: int
    control_number: str
    payer_name: str
    trace_number: str
    method: str
    amount_cents: int
    paid_on: date
    claim_payments: int
    balanced: bool
    problems: list[str]
    difference_cents: int
    already_imported: bool = False
    held: bool = False
    remittance_id: str | None = None
    posted: int = 0
    unmatched: int = 0
    unmatched_lines: int = 0
    denied: int = 0
    reversed: int = 0
    underpaid: int = 0
    crossovers: int = 0
    secondary_claims: int = 0
    entries: int = 0
    totals: dict[str, int] = field(default_factory=dict)  # ledger entry kind → cents
    provider_adjustments: list[tuple[str, str | None, int]] = field(default_factory=list)  # reason, ref, cents
    claims: list[ClaimOutcome] = field(default_factory=list)


@dataclass(slots=True)
class ImportReport:
    file_name: str
    dry_run: bool
    transactions: list[TransactionReport] = field(default_factory=list)

    @property
    def claim_payments(self) -> int:
        return sum(t.claim_payments for t in self.transactions)

    @property
    def posted(self) -> int:
        return sum(t.posted for t in self.transactions)

    @property
    def unmatched(self) -> int:
        return sum(t.unmatched for t in self.transactions)

    @property
    def balanced(self) -> bool:
        return all(t.balanced for t in self.transactions)

    @property
    def already_imported(self) -> bool:
        return bool(self.transactions) and all(t.already_imported for t in self.transactions)


def transaction_report(index: int, control_number: str, remit: Remittance) -> TransactionReport:
    problems = balancing_errors(remit)
    return TransactionReport(
        index=index,
        control_number=control_number,
        payer_name=remit.payer.name,
        trace_number=remit.payment.trace_number,
        method=remit.payment.method,
        amount_cents=remit.payment.amount_cents,
        paid_on=remit.payment.date,
        claim_payments=len(remit.claims),
        balanced=not problems,
        problems=problems,
        difference_cents=payment_balance_cents(remit),
        provider_adjustments=[(a.reason, a.reference, a.amount_cents) for a in remit.provider_adjustments],
    )


def report_dict(report: ImportReport) -> dict[str, object]:
    """The import as plain data (amounts as decimal strings): what `medbill era import --json` prints."""
    return {
        "file": report.file_name,
        "dry_run": report.dry_run,
        "claim_payments": report.claim_payments,
        "posted": report.posted,
        "unmatched": report.unmatched,
        "balanced": report.balanced,
        "already_imported": report.already_imported,
        "transactions": [
            {
                "remittance_id": tr.remittance_id,
                "control_number": tr.control_number,
                "payer": tr.payer_name,
                "trace_number": tr.trace_number,
                "method": tr.method,
                "amount": cents_to_str(tr.amount_cents),
                "paid_on": tr.paid_on.isoformat(),
                "claim_payments": tr.claim_payments,
                "balanced": tr.balanced,
                "difference": cents_to_str(tr.difference_cents),
                "problems": tr.problems,
                "already_imported": tr.already_imported,
                "held": tr.held,
                "posted": tr.posted,
                "unmatched": tr.unmatched,
                "unmatched_lines": tr.unmatched_lines,
                "denied": tr.denied,
                "reversed": tr.reversed,
                "underpaid": tr.underpaid,
                "entries": tr.entries,
                "totals": {kind: cents_to_str(cents) for kind, cents in sorted(tr.totals.items())},
                "provider_adjustments": [
                    {"reason": reason, "reference": ref, "amount": cents_to_str(cents)}
                    for reason, ref, cents in tr.provider_adjustments
                ],
                "claims": [
                    {
                        "claim_id": c.claim_id,
                        "status": c.status,
                        "charge": cents_to_str(c.charge_cents),
                        "paid": cents_to_str(c.paid_cents),
                        "patient_responsibility": cents_to_str(c.patient_responsibility_cents),
                        "action": c.action,
                        "event": c.event,
                        "note": c.note,
                    }
                    for c in tr.claims
                ],
            }
            for tr in report.transactions
        ],
    }
