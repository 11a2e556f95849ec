"""Medicare PFS pricing: exact cents from the CY2026 RVU and GPCI files, computed by hand from the files' numbers."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest

from medbill.codesets.pfs import fee_schedule
from medbill.domain.pricing import NotPriced, is_facility, row_modifier

CF = Decimal("33.4009")  # CY2026 non-QP conversion factor, column 26 of PPRRVU2026_Jul_nonQPP


def by_hand(work: str, pe: str, mp: str, gpci: tuple[str, str, str], percent: str = "100") -> int:
    """[(work × wGPCI) + (PE × peGPCI) + (MP × mpGPCI)] × CF, rounded once to the cent, half up."""
    w, p, m = (Decimal(x) for x in gpci)
    dollars = (Decimal(work) * w + Decimal(pe) * p + Decimal(mp) * m) * CF * Decimal(percent) / 100
    return int((dollars * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


MANHATTAN = ("1.063", "1.318", "1.285")  # GPCI2026: 13202,NY,01,MANHATTAN
ALABAMA = ("1.000", "0.875", "0.566")  # GPCI2026: 10112,AL,00,ALABAMA
LOS_ANGELES = ("1.041", "1.188", "0.623")  # GPCI2026: 01182,CA,18,LOS ANGELES … (LOS ANGELES CNTY)


@pytest.mark.parametrize(
    ("zip_code", "code", "modifiers", "pos", "rvus", "gpci", "cents"),
    [
        # 99213: work 1.30, PE non-facility 1.46, PE facility 0.33, MP 0.09
        ("10001", "99213", (), "11", ("1.30", "1.46", "0.09"), MANHATTAN, 11429),
        ("10001", "99213", (), "22", ("1.30", "0.33", "0.09"), MANHATTAN, 6455),
        ("35203", "99213", (), "11", ("1.30", "1.46", "0.09"), ALABAMA, 8779),
        ("35203", "99213", (), "21", ("1.30", "0.33", "0.09"), ALABAMA, 5477),
        ("10001", "99213", (), "02", ("1.30", "0.33", "0.09"), MANHATTAN, 6455),  # telehealth: facility rate
        ("10001", "99213", (), "10", ("1.30", "1.46", "0.09"), MANHATTAN, 11429),  # telehealth at home: non-facility
        # 71046 global / -26 / -TC: 0.21+0.76+0.02, 0.21+0.08+0.01, 0.00+0.68+0.01; the split adds up to the global
        ("90012", "71046", (), "11", ("0.21", "0.76", "0.02"), LOS_ANGELES, 3787),
        ("90012", "71046", ("26",), "11", ("0.21", "0.08", "0.01"), LOS_ANGELES, 1068),
        ("90012", "71046", ("TC", "RT"), "11", ("0.00", "0.68", "0.01"), LOS_ANGELES, 2719),
        # 93000 (ECG with interpretation, global only) and 93010 (the interpretation alone)
        ("90012", "93000", (), "11", ("0.17", "0.27", "0.02"), LOS_ANGELES, 1704),
        ("90012", "93010", (), "11", ("0.17", "0.07", "0.01"), LOS_ANGELES, 890),
        ("35203", "20610", ("LT",), "11", ("0.77", "1.16", "0.13"), ALABAMA, 6208),
    ],
)
def test_allowed_amount_is_rvus_times_gpcis_times_cf_rounded_once(
    zip_code: str,
    code: str,
    modifiers: tuple[str, ...],
    pos: str,
    rvus: tuple[str, str, str],
    gpci: tuple[str, str, str],
    cents: int,
) -> None:
    pfs = fee_schedule()
    locality = pfs.locality_for_zip(zip_code)
    assert locality is not None
    assert by_hand(*rvus, gpci) == cents
    assert pfs.price(code, modifiers, locality, pos).amount_cents == cents


def test_a_commercial_percent_of_medicare_is_applied_before_the_one_rounding() -> None:
    pfs = fee_schedule()
    manhattan = pfs.locality("13202-01")
    assert manhattan is not None
    # 3.42183 RVU-dollars-units × 33.4009 × 1.25 = 142.865… → 142.87 (rounding 114.29 × 1.25 first gives 142.86)
    assert pfs.price("99213", (), manhattan, "11", percent=Decimal(125)).amount_cents == 14287
    assert by_hand("1.30", "1.46", "0.09", MANHATTAN, "125") == 14287


def test_units_multiply_before_rounding() -> None:
    pfs = fee_schedule()
    alabama = pfs.locality_for_zip("35203")
    assert alabama is not None
    one = pfs.price("20610", (), alabama, "11").amount_cents
    two = pfs.price("20610", (), alabama, "11", units=Decimal(2)).amount_cents
    exact = (Decimal("0.77") + Decimal("1.16") * Decimal("0.875") + Decimal("0.13") * Decimal("0.566")) * CF * 200
    assert (one, two) == (6208, int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP)))
    assert two == 12416  # 1.85858 × 33.4009 × 2 = 124.156…


def test_a_professional_component_of_a_global_only_test_is_not_priced() -> None:
    pfs = fee_schedule()
    la = pfs.locality_for_zip("90012")
    assert la is not None
    with pytest.raises(NotPriced, match="93000-26 has no CY2026 PFS row"):
        pfs.price("93000", ("26",), la, "11")


@pytest.mark.parametrize(
    ("code", "status"),
    [("36415", "X"), ("85025", "X"), ("0001F", "I")],
)
def test_codes_with_a_status_that_is_not_payable_are_not_priced(code: str, status: str) -> None:
    pfs = fee_schedule()
    la = pfs.locality_for_zip("90012")
    assert la is not None
    row = pfs.row(code)
    assert row is not None and row.status == status and not row.payable
    with pytest.raises(NotPriced, match=f"status {status}"):
        pfs.price(code, (), la, "11")


def test_every_status_in_the_file_is_either_payable_or_explained() -> None:
    from medbill.domain.pricing import NOT_PAYABLE_STATUSES, PAYABLE_STATUSES

    statuses = {r[0] for r in fee_schedule().rvus.values()}
    assert statuses <= PAYABLE_STATUSES | NOT_PAYABLE_STATUSES.keys()
    restricted = [fee_schedule().row(*key.split("|")) for key, r in fee_schedule().rvus.items() if r[0] == "R"]
    assert sum(1 for row in restricted if row is not None and row.payable) == 104  # the R rows that have RVUs
    assert statuses == {"A", "B", "C", "E", "I", "J", "M", "N", "P", "R", "T", "X"}


def test_zip_codes_find_their_locality_even_where_the_two_files_number_it_differently() -> None:
    pfs = fee_schedule()
    found = {z: (loc.key, loc.name) if (loc := pfs.locality_for_zip(z)) else None for z in ("10001", "06103-1234")}
    assert found == {"10001": ("13202-01-NY", "MANHATTAN"), "06103-1234": ("05102-00-CT", "CONNECTICUT")}
    assert pfs.locality_for_zip("99999") is None
    assert pfs.locality("05102-00") is None  # CT and IA share it in Addendum E: the state is needed
    assert len(pfs.localities()) == 98
    assert len(pfs) == 19356


@pytest.mark.parametrize(("pos", "facility"), [("11", False), ("22", True), ("19", True), ("21", True), ("2", True)])
def test_facility_places_of_service(pos: str, facility: bool) -> None:
    assert is_facility(pos) is facility


def test_the_first_row_modifier_selects_the_row() -> None:
    assert row_modifier(("RT", "26")) == "26"
    assert row_modifier(("tc",)) == "TC"
    assert row_modifier(("25", "59")) == ""
