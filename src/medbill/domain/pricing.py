"""Medicare physician fee schedule pricing: RVUs × GPCIs × conversion factor, facility or not, to the cent.

The formula is CMS's (PFS "How to calculate the physician fee schedule payment amount", and the PFS Relative
Value File's own README): payment = [(work RVU × work GPCI) + (PE RVU × PE GPCI) + (MP RVU × MP GPCI)] × CF,
with the facility PE RVU when the place of service is a facility setting and the non-facility PE RVU otherwise.
medbill keeps every factor exact in Decimal and rounds once, to the cent, half up. Multiple-procedure,
bilateral, assistant-at-surgery and other payment-policy indicators are carried on the row but not applied here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from medbill.domain.errors import CodeSetError

# Places of service priced at the facility rate. Source: CMS Medicare Claims Processing Manual, chapter 12,
# section 20.4.2 (site-of-service payment differential) and the CMS POS code set: 19/22 outpatient hospital,
# 21 inpatient hospital, 23 emergency room, 24 ASC, 26 military treatment facility, 31 SNF, 34 hospice,
# 41/42 ambulance, 51 inpatient psychiatric, 52 psychiatric partial hospitalisation, 53 community mental
# health center, 56 psychiatric residential treatment, 61 comprehensive inpatient rehabilitation; and 02
# (telehealth other than the patient's home), paid at the facility rate since CY2017 (POS 10, the patient's
# home, is paid at the non-facility rate from CY2024).
FACILITY_POS = frozenset(
    {"02", "19", "21", "22", "23", "24", "26", "31", "34", "41", "42", "51", "52", "53", "56", "61"}
)

# PFS status codes (RVU file README, "STATUS CODE"). Payable here: A active; R restricted coverage, when the row has
# RVUs (978 R rows have none: carrier priced if covered); T paid only when no other PFS service is paid that day for
# the same provider (the caller decides that).
PAYABLE_STATUSES = frozenset({"A", "R", "T"})
NOT_PAYABLE_STATUSES: dict[str, str] = {
    "B": "bundled: payment is always included in another service",
    "C": "carrier priced: no national relative values, the MAC sets the amount",
    "D": "deleted code",
    "E": "excluded from the fee schedule by regulation",
    "F": "deleted code, no grace period",
    "G": "not valid for Medicare: another code is used",
    "H": "deleted modifier for this code",
    "I": "not valid for Medicare: another code is used",
    "J": "anesthesia service: priced by base and time units, not RVUs",
    "M": "measurement code: reported, not paid",
    "N": "non-covered service",
    "P": "bundled or excluded: no separate payment under the PFS",
    "R": "restricted coverage without relative values: carrier priced if covered",
    "X": "statutory exclusion: not in the Medicare benefit",
}

# Modifiers that select their own RVU row: professional component, technical component, discontinued procedure.
ROW_MODIFIERS = ("26", "TC", "53")

_CENT = Decimal(1)


class NotPriced(CodeSetError):
    """The fee schedule has no payable amount for this code (status, missing row or missing locality)."""

    code = "not_priced"


@dataclass(frozen=True, slots=True, kw_only=True)
class RvuRow:
    """One row of the PFS Relative Value File: a code (with 26, TC or 53, or none) and its RVUs."""

    hcpcs: str
    modifier: str  # "" for the global row
    status: str
    work: Decimal
    pe_nonfacility: Decimal
    pe_facility: Decimal
    malpractice: Decimal
    pctc: str  # PC/TC indicator: 0 none, 1 diagnostic tests with 26/TC rows, 4 global test only …
    global_days: str
    conversion_factor: Decimal
    nonfacility_na: bool = False  # "NA": the service is not usually done outside a facility
    facility_na: bool = False

    @property
    def payable(self) -> bool:
        if self.status == "R":
            return self.work + self.pe_nonfacility + self.pe_facility + self.malpractice > 0
        return self.status in PAYABLE_STATUSES


@dataclass(frozen=True, slots=True, kw_only=True)
class Locality:
    """A Medicare payment locality (MAC number and locality number) with its three GPCIs."""

    mac: str
    locality: str
    state: str
    name: str
    work: Decimal
    pe: Decimal
    malpractice: Decimal

    @property
    def key(self) -> str:
        return f"{self.mac}-{self.locality}-{self.state}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Price:
    """A fee schedule amount and how it was reached."""

    hcpcs: str
    modifier: str
    locality: str  # MAC-locality-state
    facility: bool
    amount_cents: int


def is_facility(place_of_service: str) -> bool:
    """True when the place of service takes the facility practice-expense RVU."""
    return place_of_service.strip().zfill(2) in FACILITY_POS


def row_modifier(modifiers: tuple[str, ...]) -> str:
    """The RVU row a line's modifiers select: 26, TC or 53 when present (the first of them), else the global row."""
    for m in modifiers:
        if m.strip().upper() in ROW_MODIFIERS:
            return m.strip().upper()
    return ""


def exact_amount(row: RvuRow, locality: Locality, *, facility: bool) -> Decimal:
    """The unrounded fee: [(work × GPCI) + (PE × GPCI) + (MP × GPCI)] × CF."""
    pe = row.pe_facility if facility else row.pe_nonfacility
    rvus = row.work * locality.work + pe * locality.pe + row.malpractice * locality.malpractice
    return rvus * row.conversion_factor


def price(
    row: RvuRow, locality: Locality, *, facility: bool, units: Decimal = Decimal(1), percent: Decimal = Decimal(100)
) -> Price:
    """The amount for ``units`` of a payable row at ``percent`` of the fee schedule, rounded once to the cent half up.

    A commercial plan paying 125 % of Medicare passes ``percent=Decimal(125)``: the percentage is applied to the
    exact amount, so there is still only one rounding.
    """
    if not row.payable:
        reason = NOT_PAYABLE_STATUSES.get(row.status, "not payable under the fee schedule")
        label = f"{row.hcpcs}-{row.modifier}" if row.modifier else row.hcpcs
        raise NotPriced(f"{label} has PFS status {row.status}: {reason}", field="procedure")
    exact = exact_amount(row, locality, facility=facility) * units * percent
    return Price(
        hcpcs=row.hcpcs,
        modifier=row.modifier,
        locality=locality.key,
        facility=facility,
        amount_cents=int(exact.quantize(_CENT, rounding=ROUND_HALF_UP)),
    )
