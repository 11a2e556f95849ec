"""A good-faith estimate as the No Surprises Act asks for it (45 CFR 149.610): who the patient is, the primary service
and its date, every provider and facility with NPI, TIN and location, each expected item or service with its code,
units and expected charge, the diagnoses if known; for an insured patient the same page shows what the plan is
expected to pay. The renderer adds the disclaimers and the dispute right."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

DISPUTE_THRESHOLD_CENTS = 40_000  # billed at least $400 above the estimate (per provider or facility): PPDR


@dataclass(frozen=True, slots=True, kw_only=True)
class EstimateParty:
    """A provider or facility named on the estimate (45 CFR 149.610(c)(1)(v))."""

    role: str  # "Rendering provider", "Facility", "Billing practice"
    name: str
    npi: str | None = None
    tin: str | None = None
    address_lines: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class EstimateItem:
    code: str  # CPT/HCPCS number (no AMA descriptor: the description is ours, in plain words)
    modifiers: tuple[str, ...] = ()
    units: int = 1
    description: str
    provider: str  # the party that furnishes it
    charge_cents: int  # the expected charge
    insurance_cents: int | None = None  # insured patients: what the plan is expected to pay
    patient_cents: int  # what the patient is expected to pay for it


@dataclass(frozen=True, slots=True, kw_only=True)
class GoodFaithEstimate:
    number: str  # ours: the appointment's reference
    issued: date
    patient_name: str
    patient_birth_date: date
    patient_address_lines: tuple[str, ...]
    primary_service: str  # the visit in plain words
    scheduled: date | None
    parties: tuple[EstimateParty, ...]
    items: tuple[EstimateItem, ...]
    diagnoses: tuple[tuple[str, str], ...] = ()  # (ICD-10-CM code, title) when known
    self_pay: bool = True
    payer_name: str | None = None  # insured: the plan whose benefits the amounts follow
    prior_balance_cents: int = 0
    credits_cents: int = 0
    notes: tuple[str, ...] = ()

    @property
    def total_charges_cents(self) -> int:
        return sum(i.charge_cents for i in self.items)

    @property
    def patient_total_cents(self) -> int:
        return sum(i.patient_cents for i in self.items)

    @property
    def dispute_above_cents(self) -> int:
        """A bill at or above this total (per provider or facility) may be disputed."""
        return self.total_charges_cents + DISPUTE_THRESHOLD_CENTS
