"""The UB-04 header of an institutional encounter in the API, in and out (amounts as decimal strings)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from medbill.domain.encounters import dotted
from medbill.domain.institutional import InstitutionalData
from medbill.domain.money import Money, parse_cents
from medbill.services.encounters import InstitutionalDraft

Amount = Annotated[str, Field(pattern=r"^-?\d{1,10}(\.\d{1,2})?$", examples=["250.00"])]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OccurrenceIn(_Strict):
    code: str = Field(examples=["11"])
    on: date


class OccurrenceSpanIn(_Strict):
    code: str = Field(examples=["74"])
    start: date
    end: date


class ValueCodeIn(_Strict):
    code: str = Field(examples=["80"])
    amount: Amount


class InstitutionalIn(_Strict):
    """UB-04 FL 4–17, 18–41, 69, 76–77; a given block makes the encounter institutional (837I)."""

    type_of_bill: str = Field(examples=["131"], description="3 digits (or 4 with the leading zero)")
    patient_status: str = Field(default="01", description="FL 17 discharge status")
    statement_from: date | None = Field(default=None, description="FL 6; omitted = the date of service")
    statement_through: date | None = None
    admission_date: date | None = None
    admission_hour: str | None = Field(default=None, examples=["0930"])
    admission_type: str | None = Field(default=None, examples=["1"])
    admission_source: str | None = Field(default=None, examples=["1"])
    discharge_hour: str | None = None
    admitting_diagnosis: str | None = None
    attending_provider_id: str | None = Field(default=None, description="omitted = the rendering provider")
    operating_provider_id: str | None = None
    condition_codes: list[str] = Field(default_factory=list)
    occurrence_codes: list[OccurrenceIn] = Field(default_factory=list)
    occurrence_spans: list[OccurrenceSpanIn] = Field(default_factory=list)
    value_codes: list[ValueCodeIn] = Field(default_factory=list)

    def draft(self) -> InstitutionalDraft:
        return InstitutionalDraft(
            type_of_bill=self.type_of_bill,
            patient_status=self.patient_status,
            statement_from=self.statement_from,
            statement_through=self.statement_through,
            admission_date=self.admission_date,
            admission_hour=self.admission_hour,
            admission_type=self.admission_type,
            admission_source=self.admission_source,
            discharge_hour=self.discharge_hour,
            admitting_diagnosis=self.admitting_diagnosis,
            attending_provider_id=self.attending_provider_id,
            operating_provider_id=self.operating_provider_id,
            condition_codes=tuple(self.condition_codes),
            occurrence_codes=tuple((o.code, o.on) for o in self.occurrence_codes),
            occurrence_spans=tuple((s.code, s.start, s.end) for s in self.occurrence_spans),
            value_codes=tuple(
                (v.code, parse_cents(v.amount, field=f"institutional.value_codes[{i}].amount"))
                for i, v in enumerate(self.value_codes, 1)
            ),
        )

    @classmethod
    def of(cls, d: InstitutionalData) -> InstitutionalIn:
        return cls(
            type_of_bill=d.type_of_bill,
            patient_status=d.patient_status,
            statement_from=d.statement_from,
            statement_through=d.statement_through,
            admission_date=d.admission_date,
            admission_hour=d.admission_hour,
            admission_type=d.admission_type,
            admission_source=d.admission_source,
            discharge_hour=d.discharge_hour,
            admitting_diagnosis=dotted(d.admitting_diagnosis) if d.admitting_diagnosis else None,
            attending_provider_id=d.attending_provider_id,
            operating_provider_id=d.operating_provider_id,
            condition_codes=list(d.condition_codes),
            occurrence_codes=[OccurrenceIn(code=o.code, on=o.on) for o in d.occurrence_codes],
            occurrence_spans=[OccurrenceSpanIn(code=s.code, start=s.start, end=s.end) for s in d.occurrence_spans],
            value_codes=[ValueCodeIn(code=v.code, amount=str(Money(v.amount_cents))) for v in d.value_codes],
        )
