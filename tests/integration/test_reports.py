"""A/R aging and every KPI on the fixture practice of ``report_fixture`` (six visits moved through the clock), on
SQLite and PostgreSQL; each expected number is worked by hand in the comment beside it.

Period: 2026-09-01 .. 2026-11-26 (the clock's day). Charges: A, B, D, F 151.50 each and C 120.00, entered on their
entry days; E's 151.50 was entered on 2026-07-20, before the period."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from medbill.domain.claim_records import ClaimRecord
from medbill.domain.claim_states import ClaimEvent
from medbill.domain.errors import ValidationError
from medbill.domain.scrub import Finding, RuleFamily, Severity
from medbill.services import claims, reports
from medbill.services.claims import store_transition
from tests.integration.claims_support import advance, encounter_for
from tests.integration.report_fixture import Visits, at, build_visits
from tests.support import FixedClock, Practice, register_with_coverage

START, END = date(2026, 9, 1), date(2026, 11, 26)


@pytest.fixture
def visits(practice: Practice, clock: FixedClock) -> Visits:
    return build_visits(practice, clock)


def cells(report: reports.AgingReport) -> list[tuple[str, dict[str, tuple[int, int, int]]]]:
    """Each row's non-empty buckets as (cents, claims, visits)."""
    return [
        (row.label, {b: (c.amount_cents, c.claims, c.visits) for b, c in row.buckets.items() if c.visits})
        for row in report.rows
    ]


def test_payer_aging_from_the_date_of_service(practice: Practice, visits: Visits) -> None:
    report = reports.ar_aging(practice.container.deps, practice.biller)
    # insurance balances at 2026-11-26: E 151.50 (DOS 07-15, 134 days → 120+) on its Acme claim; the denials stay
    # owed until worked: B's line 2 31.50 (DOS 10-01, 56 days) and C's 120.00 (DOS 10-10, 47 days) → 31-60;
    # F 151.50 (DOS 11-24, 2 days) not billed yet. A and D owe insurance nothing.
    assert report.as_of == END
    assert cells(report) == [
        ("Acme Health", {"31-60": (15150, 2, 2), "120+": (15150, 1, 1)}),
        ("not billed yet", {"0-30": (15150, 0, 1)}),
    ]
    assert report.rows[0].buckets["120+"].claim_ids == {visits.e.id}
    assert (report.total.amount_cents, report.total.claims, report.total.visits) == (45450, 3, 4)
    assert report.labels == ("0-30", "31-60", "61-90", "91-120", "120+")


def test_payer_aging_from_the_last_submission(practice: Practice, visits: Visits) -> None:
    report = reports.ar_aging(practice.container.deps, practice.biller, basis="submission")
    # E was last sent 2026-08-01: 117 days → 91-120; B (sent 10-05, 52 days) and C (10-13, 44 days) → 31-60;
    # F was never sent → "not sent"
    assert cells(report) == [
        ("Acme Health", {"31-60": (15150, 2, 2), "91-120": (15150, 1, 1)}),
        ("not billed yet", {"not sent": (15150, 0, 1)}),
    ]


def test_patient_aging_ages_what_patients_owe(practice: Practice, visits: Visits) -> None:
    report = reports.ar_aging(practice.container.deps, practice.biller, by="patient")
    # only Ada Alder owes: copay 25.00 + coinsurance 10.00 on visit A (DOS 09-01, 86 days → 61-90)
    assert cells(report) == [("Alder, Ada", {"61-90": (3500, 1, 1)})]
    assert report.rows[0].key == visits.a_patient and report.rows[0].account_number


def test_aging_as_of_an_earlier_day_uses_the_ledger_as_it_was(practice: Practice, visits: Visits) -> None:
    report = reports.ar_aging(practice.container.deps, practice.biller, as_of=date(2026, 9, 30))
    # at 09-30: E 151.50 (77 days → 61-90); A was paid on 09-20, leaving only the patient's 35.00
    assert cells(report) == [("Acme Health", {"61-90": (15150, 1, 1)})]


def test_every_kpi_of_the_period(practice: Practice, visits: Visits) -> None:
    report = reports.kpis(practice.container.deps, practice.biller, START, END)
    k = report.overall.kpis
    got = {key: (kpi.display, dict(kpi.counts)) for key, kpi in k.items()}
    assert got == {
        # first sent in the period: A 09-04, B 10-05, C 10-13, D 11-04 (E was first sent in July);
        # B was edited before it was sent → 3 clean of 4 = 0.75
        "clean_claim_rate": ("0.7500", {"clean": 3, "submitted": 4}),
        # first adjudicated in the period: A paid, B partly paid, C denied, D paid then reversed → only A: 1/4
        "first_pass_resolution_rate": ("0.2500", {"resolved_first_pass": 1, "adjudicated": 4}),
        # denied in the period: C (11-02); first submitted 06-01..08-31, the three months before September: E
        # (07-21) → 1 × 3 / (1 × 3 months) = 1.0000 (worked in report_fixture)
        "initial_denial_rate": ("1.0000", {"denied": 1, "submitted": 1, "prior_months": 3, "period_months": 3}),
        # C's 120.00 over E's 151.50 → 12000 × 3 / (15150 × 3) = 0.79207… → 0.7921
        "initial_denial_rate_dollars": (
            "0.7921",
            {"denied_cents": 12000, "submitted_cents": 15150, "prior_months": 3, "period_months": 3},
        ),
        "denial_rate_by_carc": ("1.0000", {"denied": 1, "submitted": 1, "prior_months": 3, "period_months": 3}),
        "denial_rate_by_payer": ("1.0000", {"denied": 1, "submitted": 1, "prior_months": 3, "period_months": 3}),
        # net A/R at 11-26: A's patient 35.00 + E 151.50 + F 151.50 + the denials still owed (B 31.50, C 120.00) =
        # 489.50; 09-01..11-26 (87 days): charged A, B, D, F 151.50 + C 120.00 = 726.00, less the contractual
        # adjustments 88.00 (below) = 638.00 net revenue → 48950 × 87 / 63800 = 66.75
        "days_in_ar": (
            "66.75",
            {
                "ar_cents": 48950,
                "net_revenue_cents": 63800,
                "charges_cents": 72600,
                "deductions_cents": 8800,
                "window_days": 87,
            },
        ),
        # gross: 48950 × 87 / 72600 = 58.659… → 58.66
        "gross_days_in_ar": ("58.66", {"ar_cents": 48950, "charges_cents": 72600, "window_days": 87}),
        # over 90 days from the date of service: E (134 days) 151.50 of 489.50 = 0.30950… → 0.3095
        "percent_ar_over_90": ("0.3095", {"over_90_cents": 15150, "ar_cents": 48950}),
        # paid: A 85.00 + B 100.00 + D (85.00 − 85.00 reversed + 115.00) = 300.00; charges 726.00; contractual:
        # A 31.50 + B 20.00 (CO-45; the CO-97 denial is not written off) + C 0 (denied, still owed)
        # + D (31.50 − 31.50 + 36.50) = 88.00 → 30000 / (72600 − 8800) = 30000 / 63800 = 0.47021… → 0.4702
        "net_collection_rate": (
            "0.4702",
            {"payments_cents": 30000, "charges_cents": 72600, "contractual_adjustments_cents": 8800},
        ),
        # entered in the period: A 2 days after its DOS, B 0, C 2, D 1, F 1 → 6 / 5 = 1.20
        "charge_lag_days": ("1.20", {"total_days": 6, "encounters": 5}),
        # original primary claims first sent in the period: A 3 days, B 4, C 3, D 2 → 12 / 4 = 3.00
        "days_to_submit": ("3.00", {"total_days": 12, "claims": 4}),
        # no appointments, so no visit to compare an estimate with
        "estimate_accuracy": ("0", {"within_tolerance": 0, "compared": 0, "tolerance_cents": 500}),
    }
    assert set(k["clean_claim_rate"].claim_ids) == {visits.a.id, visits.c.id, visits.d.id}
    assert set(k["clean_claim_rate"].base_claim_ids) == {visits.a.id, visits.b.id, visits.c.id, visits.d.id}
    assert k["first_pass_resolution_rate"].claim_ids == (visits.a.id,)
    assert k["initial_denial_rate"].claim_ids == (visits.c.id,)
    assert k["initial_denial_rate"].base_claim_ids == (visits.e.id,)
    assert k["percent_ar_over_90"].claim_ids == (visits.e.id,)
    assert k["estimate_accuracy"].note == "no adjudicated visits with an appointment to compare in the period"
    [(carc, by_carc)] = k["denial_rate_by_carc"].groups.items()
    assert (carc, by_carc.display, by_carc.claim_ids) == ("CO-50", "1.0000", (visits.c.id,))
    [(payer, by_payer)] = k["denial_rate_by_payer"].groups.items()
    assert (payer, by_payer.display) == (practice.commercial_id, "1.0000")
    met = {key: report.targets.meets(kpi) for key, kpi in k.items() if report.targets.meets(kpi) is not None}
    assert met == {
        "clean_claim_rate": False,
        "initial_denial_rate": False,
        "initial_denial_rate_dollars": False,  # held to the denial target too; the groups have none
        "days_in_ar": False,
        "percent_ar_over_90": False,
        "net_collection_rate": False,
    }


def test_kpis_by_month(practice: Practice, visits: Visits) -> None:
    report = reports.kpis(practice.container.deps, practice.biller, START, END)
    wanted = (
        "clean_claim_rate",
        "first_pass_resolution_rate",
        "initial_denial_rate",
        "initial_denial_rate_dollars",
        "days_in_ar",
        "gross_days_in_ar",
    )
    months = [(m.key, *(m.kpis[key].display for key in wanted)) for m in report.by_month]
    assert months == [
        # September: A sent clean and paid; nothing denied (E, sent in July, is the denominator); net A/R at 09-30
        # = A's 35.00 + E 151.50 = 186.50, 07-01..09-30 (92 days): E + A charged 303.00 less A's CO 31.50 = 271.50
        # → 18650 × 92 / 27150 = 63.197… → 63.20; gross 18650 × 92 / 30300 = 56.627… → 56.63
        ("2026-09", "1.0000", "1.0000", "0.0000", "0.0000", "63.20", "56.63"),
        # October: B edited, C clean → 1/2; B partly paid → 0/1; nothing denied in October (E and A sent 07..09);
        # A/R at 10-31: 35.00 + E 151.50 + B's denied 31.50 + C 120.00 (not yet answered) = 338.00; 08-01..10-31
        # (92 days): A, B 151.50 + C 120.00 = 423.00 less A 31.50 + B 20.00 = 371.50 → 33800 × 92 / 37150
        # = 83.703… → 83.70; gross 33800 × 92 / 42300 = 73.513… → 73.51
        ("2026-10", "0.5000", "0.0000", "0.0000", "0.0000", "83.70", "73.51"),
        # November to the 26th: D clean; C denied, D reversed → 0/2; C denied of A, B, C first sent 08-01..10-31
        # → 1 × 3 / 3 = 1.0000, dollars 12000 × 3 / 42300 = 0.85106… → 0.8511; A/R as for the whole period
        ("2026-11", "1.0000", "0.0000", "1.0000", "0.8511", "66.75", "58.66"),
    ]


def test_kpis_by_payer_and_by_provider(practice: Practice, visits: Visits) -> None:
    report = reports.kpis(practice.container.deps, practice.biller, START, END)
    # every claim went to Acme and was rendered by Dr Okafor: both scopes repeat the practice's numbers
    assert [(s.label, s.kpis["clean_claim_rate"].display) for s in report.by_payer] == [("Acme Health", "0.7500")]
    [provider] = report.by_provider
    assert provider.key == practice.provider_id
    assert {k: v.display for k, v in provider.kpis.items() if k != "estimate_accuracy"} == {
        k: v.display for k, v in report.overall.kpis.items() if k != "estimate_accuracy"
    }
    assert provider.kpis["estimate_accuracy"].available is False


def test_an_empty_practice_reports_zeros_with_notes(practice: Practice) -> None:
    report = reports.kpis(practice.container.deps, practice.biller, START, END)
    k = report.overall.kpis
    assert {key: kpi.display for key, kpi in k.items()} == dict.fromkeys(k, "0")
    assert k["days_in_ar"].note == "no net patient service revenue in the 87 days (three months) to the period's end"
    assert k["initial_denial_rate"].note == "no claims were first submitted in the three months before the period"
    assert reports.ar_aging(practice.container.deps, practice.biller).rows == ()


def test_claims_behind_a_kpi_are_listed_with_payer_and_patient(practice: Practice, visits: Visits) -> None:
    rows = reports.claims_behind(practice.container.deps, practice.biller, [visits.c.id])
    [row] = rows
    assert (row.facts.patient_control_number, row.payer, row.patient) == (
        visits.c.patient_control_number,
        "Acme Health",
        "Cedar, Ada",
    )


def test_refusals_name_the_field_and_keep_nothing(practice: Practice) -> None:
    deps = practice.container.deps
    with pytest.raises(ValidationError) as bad_by:
        reports.ar_aging(deps, practice.biller, by="provider")
    assert bad_by.value.field == "by"
    with pytest.raises(ValidationError) as bad_basis:
        reports.ar_aging(deps, practice.biller, basis="payment")
    assert bad_basis.value.field == "basis"
    with pytest.raises(ValidationError) as backwards:
        reports.kpis(deps, practice.biller, END, START)
    assert backwards.value.field == "to"
    with pytest.raises(ValidationError) as too_long:
        reports.kpis(deps, practice.biller, date(2020, 1, 1), END)
    assert too_long.value.field == "from"


def _scrub(practice: Practice, claim: ClaimRecord, *findings: Finding) -> ClaimRecord:
    """Scrub with the given findings, storing the event with no reason text (cleanliness must not read it)."""
    deps = practice.container.deps
    with deps.uow() as uow:
        current = uow.claims.get(claim.practice_id, claim.id)
        moved, transition = current.scrubbed(findings, at=deps.clock.now(), actor="scrubber")
        store_transition(uow, deps, practice.admin, moved, replace(transition, reason=""))
        uow.commit()
    return moved


def test_clean_claims_are_told_from_stored_findings_and_event_order(practice: Practice, clock: FixedClock) -> None:
    warning = Finding(rule="demo.warning", family=RuleFamily.PAYER, severity=Severity.WARNING, message="check it")
    at(clock, date(2026, 11, 2))
    sent: dict[str, ClaimRecord] = {}
    for name, scrubs in (("Ash", ((),)), ("Beech", ((warning,),)), ("Cherry", ((warning,), ()))):
        patient_id, _ = register_with_coverage(practice, last_name=name)
        built = claims.build_claims(
            practice.container.deps, practice.biller, [encounter_for(practice, patient_id, on=date(2026, 11, 1))]
        ).created[0]
        for found in scrubs:
            built = _scrub(practice, built, *found)
        sent[name] = advance(practice, built, ClaimEvent.QUEUE, ClaimEvent.SUBMIT)
    report = reports.kpis(practice.container.deps, practice.biller, date(2026, 11, 1), date(2026, 11, 2))
    clean = report.overall.kpis["clean_claim_rate"]
    # Ash: one scrub, nothing found → clean; Beech: sent with a warning; Cherry: the warning went away on a second
    # scrub with no edit, which someone asked for → touched → 1 of 3 = 0.3333
    assert (clean.display, dict(clean.counts)) == ("0.3333", {"clean": 1, "submitted": 3})
    assert clean.claim_ids == (sent["Ash"].id,)
