"""A practice with six visits moved through the clock, for the reports: every number the report tests assert is
worked by hand from this page.

Each visit is the office visit of ``claims_support.encounter_for`` (99213 at 120.00, plus 36415 x2 at 31.50: 151.50
a claim; visit C has the first line only: 120.00), billed to Acme Health, rendered by Dr Okafor:

    visit  DOS         entered     first sent  what happened                                   at 2026-11-26
    A      2026-09-01  2026-09-03  2026-09-04  clean; paid 09-20: 85.00 paid, CO 31.50, PR 35.00  patient owes 35.00
    B      2026-10-01  2026-10-01  2026-10-05  edited before sending; 10-20 line 1 paid 100.00      nothing owed
                                               (CO-45 20.00), line 2 denied CO-97 31.50
    C      2026-10-10  2026-10-12  2026-10-13  clean; denied in full 11-02, CO-50 120.00          insurance 120.00
    D      2026-11-02  2026-11-03  2026-11-04  clean; paid 11-10 as A; reversed 11-20 and paid     nothing owed
                                               again: 95.00 (CO-45 25.00) + 20.00 (CO-45 11.50)
    E      2026-07-15  2026-07-20  2026-07-21  rejected 07-22, edited, sent again 08-01, accepted  insurance 151.50
    F      2026-11-24  2026-11-25  never       no claim yet                                       insurance 151.50

Net days in A/R (HFMA) = A/R at the period's end × days in the trailing three calendar months ÷ (charges − deductions
from revenue posted in them); the gross form divides by the charges alone:

    period ends  window (days)            A/R     charges                 deductions             net     net days
    2026-09-30   07-01..09-30 (92)     186.50  E, A 303.00             A CO 31.50              271.50  18650 × 92 / 27150 = 63.197… → 63.20
    2026-10-31   08-01..10-31 (92)     338.00  A, B 303.00 + C 120.00  A 31.50 + B CO-45 20.00  371.50  33800 × 92 / 37150 = 83.703… → 83.70
    2026-11-26   09-01..11-26 (87)     489.50  A, B, D, F 606.00       A 31.50 + B 20.00        638.00  48950 × 87 / 63800 = 66.75 exactly
                                                + C 120.00 = 726.00     + D 36.50 = 88.00
    gross, 2026-11-26: 48950 × 87 / 72600 = 58.659… → 58.66

(D's deductions: CO 31.50 on 11-10, −31.50 reversed and CO-45 25.00 + 11.50 on 11-20 = 36.50; the denials of B's
line 2 and of C move no money and deduct nothing; no write-offs.)

Initial denial rate (HFMA Claim Integrity Task Force) = claims whose first adjudication in the period is a denial
÷ (claims first submitted in the three calendar months before the period's first month ÷ 3 × months in the period):

    period                  denied (first adjudicated)  first submitted before          count                   dollars
    2026-09-01..11-26 (3)   C (11-02) 120.00            06-01..08-31: E 151.50 (07-21)  1×3 / (1×3) = 1.0000    12000×3 / (15150×3) = 0.79207… → 0.7921
    September (1)           none                        06-01..08-31: E                 0×3 / (1×1) = 0.0000    0.0000
    October (1)             none (B partly paid)        07-01..09-30: E, A              0×3 / (2×1) = 0.0000    0.0000
    November 1..26 (1)      C                           08-01..10-31: A, B, C (E's      1×3 / (3×1) = 1.0000    12000×3 / 42300
                                                        second send is not a first)                             = 0.85106… → 0.8511
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from medbill.domain.claim_records import ClaimRecord
from medbill.domain.claim_states import ClaimEvent
from medbill.domain.remittance import ClaimPayment
from medbill.domain.remittance import ClaimStatus as Clp
from medbill.services import claims
from tests.integration.claims_support import advance, encounter_for
from tests.integration.test_posting import cas, clp, era, run, svc, typical
from tests.support import FixedClock, Practice, register_with_coverage

S, Q, SUB = ClaimEvent.SCRUB, ClaimEvent.QUEUE, ClaimEvent.SUBMIT
AS_OF = date(2026, 11, 26)


@dataclass(frozen=True, slots=True)
class Visits:
    a: ClaimRecord
    b: ClaimRecord
    c: ClaimRecord
    d: ClaimRecord
    e: ClaimRecord
    f_encounter: str
    a_patient: str


def at(clock: FixedClock, day: date) -> None:
    clock.current = datetime(day.year, day.month, day.day, 15, 30, tzinfo=UTC)


def _visit(p: Practice, clock: FixedClock, name: str, dos: date, entered: date, *, lines: int = 2) -> str:
    at(clock, entered)
    patient_id, _ = register_with_coverage(p, last_name=name)
    return encounter_for(p, patient_id, on=dos, lines=lines)


def _claim(p: Practice, clock: FixedClock, encounter_id: str, sent: date, *events: ClaimEvent) -> ClaimRecord:
    at(clock, sent)
    built = claims.build_claims(p.container.deps, p.biller, [encounter_id]).created[0]
    return advance(p, built, *events)


def reversal_of(payment: ClaimPayment) -> ClaimPayment:
    return replace(
        payment,
        status=Clp.REVERSAL,
        charge_cents=-payment.charge_cents,
        paid_cents=-payment.paid_cents,
        patient_responsibility_cents=-(payment.patient_responsibility_cents or 0),
        lines=tuple(
            replace(
                line,
                charge_cents=-line.charge_cents,
                paid_cents=-line.paid_cents,
                adjustments=tuple(replace(x, amount_cents=-x.amount_cents) for x in line.adjustments),
            )
            for line in payment.lines
        ),
    )


def build_visits(p: Practice, clock: FixedClock) -> Visits:
    e_visit = _visit(p, clock, "Elm", date(2026, 7, 15), date(2026, 7, 20))
    e = _claim(p, clock, e_visit, date(2026, 7, 21), S, Q, SUB)
    at(clock, date(2026, 7, 22))
    e = advance(p, e, ClaimEvent.REJECT)
    at(clock, date(2026, 8, 1))
    e = advance(p, e, ClaimEvent.EDIT, S, Q, SUB, ClaimEvent.ACCEPT)

    a_visit = _visit(p, clock, "Alder", date(2026, 9, 1), date(2026, 9, 3))
    a = _claim(p, clock, a_visit, date(2026, 9, 4), S, Q, SUB)
    at(clock, date(2026, 9, 20))
    run(p, era(typical(a), trace="EFT-A"))

    b_visit = _visit(p, clock, "Birch", date(2026, 10, 1), date(2026, 10, 1))
    b = _claim(p, clock, b_visit, date(2026, 10, 5), S, ClaimEvent.EDIT, S, Q, SUB)
    c_visit = _visit(p, clock, "Cedar", date(2026, 10, 10), date(2026, 10, 12), lines=1)
    c = _claim(p, clock, c_visit, date(2026, 10, 13), S, Q, SUB)
    at(clock, date(2026, 10, 20))
    run(p, era(clp(b, svc(b, 1, 10000, cas("CO-45", 2000)), svc(b, 2, 0, cas("CO-97", 3150))), trace="EFT-B"))
    at(clock, date(2026, 11, 2))
    run(p, era(clp(c, svc(c, 1, 0, cas("CO-50", 12000)), status=Clp.DENIED), trace="EFT-C"))

    d_visit = _visit(p, clock, "Dogwood", date(2026, 11, 2), date(2026, 11, 3))
    d = _claim(p, clock, d_visit, date(2026, 11, 4), S, Q, SUB)
    at(clock, date(2026, 11, 10))
    run(p, era(typical(d), trace="EFT-D1"))
    at(clock, date(2026, 11, 20))
    again = clp(d, svc(d, 1, 9500, cas("CO-45", 2500)), svc(d, 2, 2000, cas("CO-45", 1150)))
    run(p, era(reversal_of(typical(d)), again, trace="EFT-D2"))

    f_visit = _visit(p, clock, "Fir", date(2026, 11, 24), date(2026, 11, 25))
    at(clock, AS_OF)
    return Visits(a=a, b=b, c=c, d=d, e=e, f_encounter=f_visit, a_patient=a.patient_id)
