"""Institutional claims on real databases: a UB-04 encounter is stored whole, becomes an 837I claim (CLM05 from the
type of bill, CL1, DTP 096/434/435, HI, SV2), is scrubbed, batched in its own 837I file that pyx12 accepts, and
printed on a UB-04 read back box by box."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from medbill.domain.claim_states import ClaimStatus
from medbill.domain.claims import ClaimBatch, ClaimKind
from medbill.domain.errors import ValidationError
from medbill.domain.institutional import EncounterKind
from medbill.formats import x12
from medbill.formats.pdf import RenderMode
from medbill.formats.pdf.ub04_geometry import locator
from medbill.services import batches, claim_forms, claims, encounters, setup
from medbill.services.encounters import EncounterDraft, InstitutionalDraft, LineDraft
from medbill.services.setup import ProviderDraft
from tests.integration.claims_support import OPTIONS, covered_encounter
from tests.integration.test_x12_pyx12 import X12VALID, pyx12_errors
from tests.support import Practice, register_with_coverage
from tests.unit.pdf.reading import opened, text_in

OUTPATIENT_ER = InstitutionalDraft(
    type_of_bill="0131",  # hospital outpatient, admit through discharge
    admission_date=date(2026, 11, 20),
    admission_hour="0930",
    admission_type="1",  # emergency
    admission_source="1",  # non-health-care point of origin
    discharge_hour="13",
    patient_status="01",
    condition_codes=("39",),
    occurrence_codes=(("11", date(2026, 11, 19)),),  # onset of symptoms
    value_codes=(("A1", 25_000),),  # deductible, payer A
)
ER_LINES = (
    LineDraft(revenue_code="450", procedure_code="99284", charge_cents=85_000),
    LineDraft(revenue_code="0300", procedure_code="80053", charge_cents=12_050),
    LineDraft(revenue_code="0730", procedure_code="93005", charge_cents=9_500),
)


def _operating_surgeon(p: Practice) -> str:
    provider = setup.add_provider(
        p.container.deps,
        p.admin,
        ProviderDraft(kind="individual", last_name="Vance", first_name="Ira", npi="1679576722", roles=("rendering",)),
    )
    return provider.id


def _institutional_encounter(
    p: Practice,
    patient_id: str,
    data: InstitutionalDraft = OUTPATIENT_ER,
    lines: tuple[LineDraft, ...] = ER_LINES,
    diagnoses: tuple[str, ...] = ("R07.9", "I10"),
) -> str:
    draft = EncounterDraft(
        patient_id=patient_id,
        date_of_service=date(2026, 11, 20),
        rendering_provider_id=p.provider_id,
        diagnoses=diagnoses,
        lines=lines,
        institutional=data,
    )
    return encounters.record_encounter(p.container.deps, p.biller, draft).id


def test_an_institutional_encounter_is_stored_with_its_ub04_header_and_revenue_codes(practice: Practice) -> None:
    patient_id, _ = register_with_coverage(practice)
    encounter_id = _institutional_encounter(practice, patient_id)

    stored = encounters.get_encounter(practice.container.deps, practice.biller, encounter_id)

    assert stored.kind is EncounterKind.INSTITUTIONAL
    assert stored.institutional is not None
    ub = stored.institutional
    assert (ub.type_of_bill, ub.facility_type, ub.frequency) == ("131", "13", "1")
    assert (ub.admission_hour, ub.discharge_hour, ub.patient_status) == ("0930", "1300", "01")
    assert [(o.code, o.on) for o in ub.occurrence_codes] == [("11", date(2026, 11, 19))]
    assert [(v.code, v.amount_cents) for v in ub.value_codes] == [("A1", 25_000)]
    assert [(ln.revenue_code, ln.procedure_code) for ln in stored.lines] == [
        ("0450", "99284"),
        ("0300", "80053"),
        ("0730", "93005"),
    ]
    assert stored.total_charge_cents == 106_550


@pytest.mark.parametrize(
    ("changes", "line", "field"),
    [
        ({"type_of_bill": "13"}, None, "institutional.type_of_bill"),
        ({"type_of_bill": "1361"}, None, "institutional.type_of_bill"),
        ({"type_of_bill": "136"}, None, "institutional.type_of_bill"),  # 6 is not a frequency
        ({"admission_type": "7"}, None, "institutional.admission_type"),
        ({"admission_source": "3"}, None, "institutional.admission_source"),
        ({"patient_status": "10"}, None, "institutional.patient_status"),
        ({"condition_codes": ("3",)}, None, "institutional.condition_codes[1]"),
        ({"value_codes": (("A", 100),)}, None, "institutional.value_codes[1]"),
        ({"type_of_bill": "111", "admission_date": None, "admission_hour": None}, None, "institutional.admission_date"),
        ({}, LineDraft(procedure_code="99284", charge_cents=100), "lines[1].revenue_code"),
        ({}, LineDraft(revenue_code="45", procedure_code="99284", charge_cents=100), "lines[1].revenue_code"),
        ({}, LineDraft(revenue_code="0120", procedure_code=""), "lines[1].charge"),
    ],
)
def test_a_malformed_institutional_encounter_is_refused_and_nothing_is_stored(
    practice: Practice, changes: dict[str, Any], line: LineDraft | None, field: str
) -> None:
    patient_id, _ = register_with_coverage(practice)
    values = {f: getattr(OUTPATIENT_ER, f) for f in OUTPATIENT_ER.__dataclass_fields__}
    values.update(changes)
    with pytest.raises(ValidationError) as refused:
        _institutional_encounter(
            practice, patient_id, InstitutionalDraft(**values), lines=(line,) if line is not None else ER_LINES
        )
    assert refused.value.field == field
    deps = practice.container.deps
    assert encounters.list_encounters(deps, practice.biller, patient_id=patient_id) == []


def test_a_revenue_code_on_a_professional_encounter_is_refused(practice: Practice) -> None:
    patient_id, _ = register_with_coverage(practice)
    draft = EncounterDraft(
        patient_id=patient_id,
        date_of_service=date(2026, 11, 20),
        rendering_provider_id=practice.provider_id,
        diagnoses=("I10",),
        lines=(LineDraft(procedure_code="99213", revenue_code="0510"),),
    )
    with pytest.raises(ValidationError) as refused:
        encounters.record_encounter(practice.container.deps, practice.biller, draft)
    assert refused.value.field == "lines[1].revenue_code"


def test_an_institutional_encounter_becomes_an_837i_claim_in_its_own_file_that_pyx12_accepts(
    practice: Practice, tmp_path: Path
) -> None:
    if not X12VALID.exists():
        pytest.skip("pyx12 not installed")
    deps = practice.container.deps
    office = covered_encounter(practice)  # a professional claim to the same payer
    patient_id, _ = register_with_coverage(practice, last_name="Ash")
    er = _institutional_encounter(practice, patient_id)
    inpatient = _institutional_encounter(
        practice,
        patient_id,
        InstitutionalDraft(
            type_of_bill="111",
            statement_from=date(2026, 11, 18),
            statement_through=date(2026, 11, 20),
            admission_date=date(2026, 11, 18),
            admission_hour="22",
            admission_type="2",
            admission_source="1",
            discharge_hour="1100",
            patient_status="01",
            admitting_diagnosis="R07.9",
            operating_provider_id=_operating_surgeon(practice),
            occurrence_spans=(("74", date(2026, 11, 18), date(2026, 11, 18)),),
            value_codes=(("80", 200), ("81", 0)),  # covered days are whole days, in the amount field
        ),
        lines=(
            LineDraft(revenue_code="0120", procedure_code="", units=2, charge_cents=300_000),  # room and board
            LineDraft(revenue_code="0250", procedure_code="", charge_cents=4_520),  # pharmacy
        ),
        diagnoses=("I21.4", "I10"),
    )

    built = claims.build_claims(deps, practice.biller, [office, er, inpatient])
    kinds = {c.encounter_id: c.document.kind for c in built.created}
    assert kinds == {office: ClaimKind.PROFESSIONAL, er: ClaimKind.INSTITUTIONAL, inpatient: ClaimKind.INSTITUTIONAL}
    scrubbed = {c.encounter_id: c for c in claims.scrub_claims(deps, practice.biller)}
    assert {e: [f.rule for f in c.blocking_findings] for e, c in scrubbed.items()} == {
        office: [],
        er: [],
        inpatient: [],
    }

    result = batches.batch_claims(deps, practice.biller, options=OPTIONS, out_dir=tmp_path)

    assert [(b.batch.file_name, b.batch.kind, b.batch.claim_count) for b in result.batches] == [
        ("837I_ACME1_000000001.x12", ClaimKind.INSTITUTIONAL, 2),
        ("837P_ACME1_000000002.x12", ClaimKind.PROFESSIONAL, 1),
    ]
    content = (tmp_path / "837I_ACME1_000000001.x12").read_text("ascii")
    er_number = scrubbed[er].patient_control_number
    inpatient_number = scrubbed[inpatient].patient_control_number
    segments = content.split("~")
    assert f"CLM*{er_number}*1065.5***13:A:1**A*Y*Y" in segments
    assert f"CLM*{inpatient_number}*3045.2***11:A:1**A*Y*Y" in segments
    assert "DTP*096*TM*1100" in segments
    assert "DTP*434*RD8*20261118-20261120" in segments
    assert "DTP*435*DT*202611182200" in segments
    assert "CL1*2*1*01" in segments and "CL1*1*1*01" in segments
    assert "HI*ABK:I214" in segments and "HI*ABJ:R079" in segments and "HI*ABF:I10" in segments
    assert "HI*BH:11:D8:20261119" in segments and "HI*BE:A1:::250" in segments and "HI*BG:39" in segments
    assert "HI*BI:74:RD8:20261118-20261118" in segments and "HI*BE:80:::2*BE:81:::0" in segments
    assert "SV2*0450*HC:99284*850*UN*1" in segments and "SV2*0120**3000*DA*2" in segments
    assert "NM1*71*1*OKAFOR*RUTH****XX*1245319599" in segments and "NM1*72*1*VANCE*IRA****XX*1679576722" in segments
    assert pyx12_errors(content, tmp_path) == []
    (transaction,) = x12.read(content.encode("ascii"))
    document = transaction.document
    assert isinstance(document, ClaimBatch)
    read_back = {c.patient_control_number: c for c in document.claims}
    assert read_back[inpatient_number].admission == ("2", "1", "01")
    assert [ln.revenue_code for ln in read_back[inpatient_number].lines] == ["0120", "0250"]
    assert claims.get_claim(deps, practice.biller, scrubbed[er].id).claim.status is ClaimStatus.QUEUED


def _read(page: Any, name: str, index: int = 0) -> str:
    return text_in(page, locator(name, index))


@pytest.mark.parametrize("mode", [RenderMode.FULL, RenderMode.DATA_ONLY])
def test_an_institutional_claim_prints_on_a_ub04(practice: Practice, mode: RenderMode) -> None:
    deps = practice.container.deps
    patient_id, _ = register_with_coverage(practice)
    (claim,) = claims.build_claims(deps, practice.biller, [_institutional_encounter(practice, patient_id)]).created

    pdf = claim_forms.get_claim_pdf(deps, practice.biller, claim.id, mode=mode)

    with opened(pdf) as document:
        page = document.pages[0]
        assert _read(page, "3a") == claim.patient_control_number
        assert _read(page, "4") == "0131"
        assert _read(page, "5") == "471234567"
        assert (_read(page, "6_from"), _read(page, "6_through")) == ("112026", "112026")
        assert (_read(page, "12"), _read(page, "13"), _read(page, "14"), _read(page, "15")) == (
            "112026",
            "09",
            "1",
            "1",
        )
        assert (_read(page, "16"), _read(page, "17"), _read(page, "18")) == ("13", "01", "39")
        assert (_read(page, "31a_code"), _read(page, "31a_date")) == ("11", "111926")
        assert (_read(page, "39a_code"), _read(page, "39a_dollars"), _read(page, "39a_cents")) == ("A1", "250", "00")
        assert [_read(page, "42", i) for i in range(4)] == ["0450", "0300", "0730", ""]
        assert [_read(page, "44", i) for i in range(3)] == ["99284", "80053", "93005"]
        assert [_read(page, "47_dollars", i) for i in range(3)] == ["850", "120", "95"]
        assert [_read(page, "47_cents", i) for i in range(3)] == ["00", "50", "00"]
        assert _read(page, "42_total") == "0001"
        assert (_read(page, "47_total_dollars"), _read(page, "47_total_cents")) == ("1065", "50")
        assert (_read(page, "50"), _read(page, "60")) == ("ACME HEALTH", "ACM123456789")
        assert (_read(page, "56"), _read(page, "67"), _read(page, "67A")) == ("1234567893", "R079", "I10")
        assert (_read(page, "76_npi"), _read(page, "76_last")) == ("1245319599", "OKAFOR")


def test_the_sandbox_payer_adjudicates_an_837i_and_its_835_posts_on_the_claim(
    practice: Practice, tmp_path: Path
) -> None:
    from dataclasses import replace

    from medbill.adapters.clearinghouse.sandbox.adapter import SandboxClearinghouse
    from medbill.adapters.clearinghouse.sandbox.config import load_payers
    from medbill.services import accounts, submission

    deps = practice.container.deps
    patient_id, _ = register_with_coverage(practice, last_name="Ash")
    _institutional_encounter(practice, patient_id)
    claims.build_claims(deps, practice.biller)
    claims.scrub_claims(deps, practice.biller)
    batches.batch_claims(deps, practice.biller, options=OPTIONS)
    acme = replace(load_payers()["DACME"], payer_id="ACME1")
    sandbox = SandboxClearinghouse(tmp_path / "sandbox", payers={"ACME1": acme}, now=deps.clock.now)
    submission.send_batches(deps, practice.biller, sandbox)
    report = submission.ingest_answers(deps, practice.biller, sandbox)
    assert report.files == {"999": 1, "277CA": 1, "835": 1}
    (claim,) = claims.list_claims(deps, practice.biller)
    assert claim.kind is ClaimKind.INSTITUTIONAL
    assert claim.status is ClaimStatus.PAID
    ledger = accounts.claim_ledger(deps, practice.biller, claim.id)
    assert ledger.visit is not None
    b = ledger.visit.balance
    # the sandbox's Acme plan (deterministic): 1,065.50 charged, 68.82 paid, 479.47 adjusted, 517.21 to the patient
    assert (b.charges_cents, b.payments_cents, b.adjustments_cents, b.insurance_cents, b.patient_cents) == (
        106550,
        6882,
        47947,
        0,
        51721,
    )
    assert b.charges_cents == claim.total_charge_cents
    assert report.remittances[0].posted == 1
