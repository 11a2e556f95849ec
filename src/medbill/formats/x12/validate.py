"""Validation: every structural error (one per transaction set or interchange) and implementation-guide rule broken."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from medbill.domain.claims import ClaimBatch, ClaimFrequency, NamedEntity
from medbill.domain.identifiers import is_valid_npi
from medbill.domain.remittance import Remittance, claim_balance_cents, line_balance_cents, payment_balance_cents
from medbill.formats.x12.envelope import RawTransaction, walk_interchange
from medbill.formats.x12.errors import X12Error
from medbill.formats.x12.reader import Transaction, _no_cyclic_gc, decode_transaction
from medbill.formats.x12.syntax import Delimiters, Segment, decode, iter_interchanges_from_stream, split_interchanges


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """One error with where it is."""

    code: str
    message: str
    interchange: str | None = None
    transaction: str | None = None
    segment_position: int | None = None
    segment_id: str | None = None
    element_position: int | None = None
    expected: str | None = None

    @classmethod
    def from_error(cls, exc: X12Error) -> Finding:
        return cls(
            code=exc.code,
            message=exc.reason,
            interchange=exc.interchange,
            transaction=exc.transaction,
            segment_position=exc.segment_position,
            segment_id=exc.segment_id,
            element_position=exc.element_position,
            expected=exc.expected,
        )

    def location(self) -> str:
        parts = []
        if self.interchange:
            parts.append(f"interchange {self.interchange}")
        if self.transaction:
            parts.append(f"transaction set {self.transaction}")
        if self.segment_position is not None:
            parts.append(f"segment {self.segment_position}" + (f" ({self.segment_id})" if self.segment_id else ""))
        if self.element_position is not None:
            parts.append(f"element {self.element_position}")
        return ", ".join(parts)

    def as_dict(self) -> dict[str, str | int | None]:
        return {
            "code": self.code,
            "message": self.message,
            "interchange": self.interchange,
            "transaction": self.transaction,
            "segment_position": self.segment_position,
            "segment_id": self.segment_id,
            "element_position": self.element_position,
            "expected": self.expected,
        }


@dataclass(slots=True)
class Report:
    transactions: int = 0
    findings: list[Finding] | None = None

    @property
    def ok(self) -> bool:
        return not self.findings


def _raw_transactions(
    interchanges: Iterable[tuple[Delimiters, list[Segment]]], out: list[Finding]
) -> Iterator[RawTransaction]:
    it = iter(interchanges)
    while True:
        try:
            delims, segments = next(it)
        except StopIteration:
            return
        except X12Error as exc:  # the characters themselves are broken: nothing after can be trusted
            out.append(Finding.from_error(exc))
            return
        try:
            yield from walk_interchange(delims, segments)
        except X12Error as exc:
            out.append(Finding.from_error(exc))


def _found(t: Transaction, **detail: Any) -> Finding:
    return Finding(interchange=t.interchange.control_number, transaction=t.control_number, **detail)


def _npi_findings(
    t: Transaction, entities: Iterable[NamedEntity | None], where: str, checked: dict[str, bool]
) -> list[Finding]:
    """NM1*…*XX whose NPI fails its check digit; ``checked`` remembers each NPI's answer (a batch repeats a few)."""
    out: list[Finding] = []
    for e in entities:
        if e is None or e.id_qualifier != "XX" or not e.identifier:
            continue
        valid = checked.get(e.identifier)
        if valid is None:
            valid = checked[e.identifier] = is_valid_npi(e.identifier)
        if not valid:
            out.append(
                _found(
                    t,
                    code="x12_invalid_npi",
                    segment_id="NM1",
                    element_position=9,
                    message=f"{where}: NM1*{e.role} NPI {e.identifier} fails its check digit",
                    expected="a 10-digit NPI whose Luhn check digit (prefix 80840) is right",
                )
            )
    return out


def guide_rules(t: Transaction) -> list[Finding]:
    """Rules of the implementation guides the reader does not need to read a file (balancing, totals, F8)."""
    found: list[Finding] = []
    doc = t.document
    if isinstance(doc, Remittance):
        for c in doc.claims:
            diff = claim_balance_cents(c)
            if diff:
                found.append(
                    _found(
                        t,
                        code="x12_claim_out_of_balance",
                        segment_id="CLP",
                        message=f"claim {c.claim_id}: CLP03 − ΣCAS − CLP04 is {diff} cents",
                        expected="0 (835 guide 1.10.2.1)",
                    )
                )
            for n, s in enumerate(c.lines, start=1):
                ldiff = line_balance_cents(s)
                if ldiff:
                    found.append(
                        _found(
                            t,
                            code="x12_line_out_of_balance",
                            segment_id="SVC",
                            message=f"claim {c.claim_id} line {n}: SVC02 − ΣCAS − SVC03 is {ldiff} cents",
                            expected="0 (835 guide 1.10.2.1)",
                        )
                    )
        pdiff = payment_balance_cents(doc)
        if pdiff:
            found.append(
                _found(
                    t,
                    code="x12_payment_out_of_balance",
                    segment_id="BPR",
                    message=f"ΣCLP04 − ΣPLB − BPR02 is {pdiff} cents",
                    expected="0",
                )
            )
    elif isinstance(doc, ClaimBatch):
        npis: dict[str, bool] = {}
        for claim in doc.claims:
            entities = [claim.billing_provider, *claim.providers, *(p for x in claim.lines for p in x.providers)]
            found += _npi_findings(t, entities, f"claim {claim.patient_control_number}", npis)
            if claim.lines and claim.lines_total_cents() != claim.total_charge_cents:
                found.append(
                    _found(
                        t,
                        code="x12_claim_total_mismatch",
                        segment_id="CLM",
                        message=f"claim {claim.patient_control_number}: CLM02 is {claim.total_charge_cents} cents "
                        f"but the lines add up to {claim.lines_total_cents()}",
                        expected="CLM02 = ΣSV102 (837 guide 2300 CLM02)",
                    )
                )
            if claim.frequency in (ClaimFrequency.REPLACEMENT, ClaimFrequency.VOID) and not claim.original_claim_number:
                found.append(
                    _found(
                        t,
                        code="x12_missing_original_reference",
                        segment_id="REF",
                        message=f"claim {claim.patient_control_number}: frequency {claim.frequency.value} "
                        "without REF*F8",
                        expected="REF*F8 payer claim control number",
                    )
                )
            pointers = len([d for d in claim.diagnoses if d.qualifier in ("ABK", "ABF", "BK", "BF")])
            for line in claim.lines:
                bad = [p for p in line.diagnosis_pointers if p > pointers]
                if bad:
                    found.append(
                        _found(
                            t,
                            code="x12_bad_diagnosis_pointer",
                            segment_id="SV1",
                            element_position=7,
                            message=f"claim {claim.patient_control_number} line {line.number}: pointer "
                            f"{bad[0]} but the claim has {pointers} diagnoses",
                            expected=f"1 to {pointers}",
                        )
                    )
    return found


def _validate(interchanges: Iterable[tuple[Delimiters, list[Segment]]]) -> Report:
    findings: list[Finding] = []
    count = 0
    with _no_cyclic_gc():  # as in ``read``: the documents are large, acyclic and dropped once checked
        for raw in _raw_transactions(interchanges, findings):
            count += 1
            try:
                t = decode_transaction(raw)
            except X12Error as exc:
                findings.append(Finding.from_error(exc))
                continue
            findings += guide_rules(t)
    return Report(transactions=count, findings=findings)


def validate(data: bytes | str) -> Report:
    """Every error in ``data``: one structural error per transaction set at most, plus the guide rules broken."""
    return _validate(split_interchanges(decode(data)))


def validate_stream(stream: BinaryIO) -> Report:
    """As ``validate``, reading a binary file one interchange at a time."""
    return _validate(iter_interchanges_from_stream(stream))
