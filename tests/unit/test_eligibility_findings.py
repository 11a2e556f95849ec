"""What a 271 changes that the front desk must act on: another member ID, a new other payer, inactive coverage,
authorizations; an other payer already on file or named before is not news."""

from __future__ import annotations

from datetime import date

import pytest

from medbill.domain.coverage import Coverage, CoverageOrder
from medbill.domain.errors import ValidationError
from medbill.services.eligibility_request import check_service_types, findings
from tests.unit.test_benefits import SYNTHETIC, members


def coverage(member_id: str) -> Coverage:
    return Coverage(
        practice_id="p",
        patient_id="x",
        payer_id="y",
        order=CoverageOrder.PRIMARY,
        member_id=member_id,
        effective_from=date(2026, 1, 1),
    )


def test_a_changed_member_id_and_a_new_other_payer_are_found() -> None:
    alex, jordan, _ = members(SYNTHETIC)
    found = findings(coverage("MBR0009"), alex, known_payers=set(), earlier=None, service_types=("30", "62"))
    assert found == [
        "the payer answers with member ID MBR0001, not MBR0009: update the coverage",
        "a new other payer is named: SYNTHETIC SECONDARY PLAN: ask the patient which plan pays first",
        "authorization required for service type 62",
    ]
    assert findings(coverage("MBR0001"), jordan, known_payers=set(), earlier=None, service_types=("30",)) == [
        "coverage inactive (ended 2026-02-28): collect another coverage or treat the visit as self-pay"
    ]


@pytest.mark.parametrize("known", [{"SYNSEC02"}, {"SYNTHETIC SECONDARY PLAN"}])
def test_an_other_payer_on_file_or_named_before_is_not_news(known: set[str]) -> None:
    alex, _, _ = members(SYNTHETIC)
    assert findings(coverage("MBR0001"), alex, known_payers=known, earlier=None, service_types=("30",)) == []
    assert findings(coverage("MBR0001"), alex, known_payers=set(), earlier=alex, service_types=("30",)) == []


def test_service_types_are_x12_codes() -> None:
    assert check_service_types((" 30", "98", "30")) == ("30", "98")
    with pytest.raises(ValidationError):
        check_service_types(("3 0",))
