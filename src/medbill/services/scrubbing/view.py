"""One claim prepared once for every rule: dates, patient age and sex, diagnoses, providers, where things go."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from medbill.domain.claims import Claim, ClaimKind, Diagnosis, NamedEntity, ServiceLine
from medbill.services.scrubbing.context import ClaimFacts, LineSignature, ScrubContext, line_date, line_signatures
from medbill.services.scrubbing.lookups import Lookups
from medbill.services.scrubbing.payer_rules import PayerRuleBook, PayerRules

ICD10_QUALIFIERS = frozenset({"ABK", "ABF", "ABJ", "APR", "ABN"})
ICD9_QUALIFIERS = frozenset({"BK", "BF", "BJ", "PR", "BN"})
ICD10_START = date(2015, 10, 1)  # HHS final rule: ICD-10-CM for dates of service on or after 2015-10-01

# Where a field lives: (CMS-1500 box, UB-04 form locator, 837P loop/element, 837I loop/element)
_PLACES: dict[str, tuple[str, str, str, str]] = {
    "subscriber_id": ("box 1a", "FL60", "2010BA NM109", "2010BA NM109"),
    "subscriber_name": ("box 4", "FL58", "2010BA NM103-NM104", "2010BA NM103-NM104"),
    "patient_name": ("box 2", "FL8", "2010CA NM103-NM104", "2010CA NM103-NM104"),
    "patient_address": ("box 5", "FL9", "N3/N4 of 2010BA or 2010CA", "N3/N4 of 2010BA or 2010CA"),
    "patient_dmg": ("box 3", "FL10-FL11", "DMG of 2010BA or 2010CA", "DMG of 2010BA or 2010CA"),
    "payer": ("box 11c", "FL50", "2010BB NM109", "2010BB NM109"),
    "billing_npi": ("box 33a", "FL56", "2010AA NM109", "2010AA NM109"),
    "billing_tin": ("box 25", "FL5", "2010AA REF*EI/SY", "2010AA REF*EI/SY"),
    "billing_address": ("box 33", "FL1", "2010AA N3/N4", "2010AA N3/N4"),
    "rendering": ("box 24J", "FL78", "2310B NM1*82", "2310D NM1*82"),
    "referring": ("box 17/17b", "FL78-79", "2310A NM1*DN / 2420F", "2310F NM1*DN"),
    "attending": ("-", "FL76", "-", "2310A NM1*71"),
    "facility": ("box 32a", "FL1", "2310C NM1*77", "2310E NM1*77"),
    "pos": ("box 24B", "FL4", "2300 CLM05-1", "2300 CLM05-1"),
    "line_pos": ("box 24B", "FL4", "2400 SV105", "2300 CLM05-1"),
    "type_of_bill": ("-", "FL4", "2300 CLM05", "2300 CLM05-1/CLM05-3"),
    "statement": ("-", "FL6", "-", "2300 DTP*434"),
    "admission": ("-", "FL12-FL15", "-", "2300 DTP*435 / CL1"),
    "status": ("-", "FL17", "-", "2300 CL103"),
    "line_date": ("box 24A", "FL45", "2400 DTP*472", "2400 DTP*472"),
    "procedure": ("box 24D", "FL44", "2400 SV101-2", "2400 SV202-2"),
    "modifier": ("box 24D", "FL44", "2400 SV101-3..6", "2400 SV202-3..6"),
    "revenue": ("-", "FL42", "-", "2400 SV201"),
    "units": ("box 24G", "FL46", "2400 SV104", "2400 SV205"),
    "line_charge": ("box 24F", "FL47", "2400 SV102", "2400 SV203"),
    "total": ("box 28", "FL47 line 23", "2300 CLM02", "2300 CLM02"),
    "diagnosis": ("box 21", "FL67", "2300 HI", "2300 HI"),
    "pointer": ("box 24E", "-", "2400 SV107", "-"),
    "prior_auth": ("box 23", "FL63", "2300 REF*G1", "2300 REF*G1"),
    "claim_id": ("box 26", "FL3a", "2300 CLM01", "2300 CLM01"),
}

_WHERE_P = {key: f"CMS-1500 {box} / 837P {p837}" for key, (box, _, p837, _) in _PLACES.items()}
_WHERE_I = {key: f"UB-04 {fl} / 837I {i837}" for key, (_, fl, _, i837) in _PLACES.items()}

CLAIM_ROLES = {"82": "rendering", "DN": "referring", "DK": "referring", "71": "attending", "77": "facility"}


@dataclass(slots=True)
class ClaimView:
    """A claim with what the rules derive from it, computed once."""

    claim: Claim
    context: ScrubContext
    lookups: Lookups
    professional: bool
    payer_id: str
    payer: PayerRules | None
    book: PayerRuleBook
    facts: ClaimFacts | None
    line_dates: list[date | None]
    dates: list[date]  # distinct dates of service, sorted
    first_date: date | None
    birth_date: date | None
    sex: str | None  # "female" | "male" | None
    age: int | None  # whole years on the first date of service
    diagnoses: tuple[Diagnosis, ...]
    providers: dict[str, NamedEntity]
    signatures: list[tuple[int, LineSignature]] | None = None  # filled by the first rule that needs them

    def line_signatures(self) -> list[tuple[int, LineSignature]]:
        if self.signatures is None:
            self.signatures = list(line_signatures(self.claim))
        return self.signatures

    def where(self, key: str, detail: str = "") -> str:
        return (_WHERE_P if self.professional else _WHERE_I)[key] + detail

    def line_has_role(self, line: ServiceLine, roles: tuple[str, ...]) -> bool:
        return any(r in self.providers for r in roles) or any(p.role in roles for p in line.providers)


def age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def build_view(claim: Claim, context: ScrubContext, lookups: Lookups, book: PayerRuleBook) -> ClaimView:
    line_dates = [line_date(claim, line) for line in claim.lines]
    dates = sorted({d for d in line_dates if d is not None})
    if not dates:
        dates = sorted({e.start for e in claim.dates if e.qualifier in ("434", "472")})
    first = dates[0] if dates else None
    if claim.patient is not None:
        born, sex = claim.patient.birth_date, claim.patient.sex
    else:
        born, sex = claim.subscriber.birth_date, claim.subscriber.sex
    payer_id = (claim.subscriber.payer.identifier or "").strip().upper()
    providers: dict[str, NamedEntity] = {}
    for p in claim.providers:
        providers.setdefault(p.role, p)
    return ClaimView(
        claim=claim,
        context=context,
        lookups=lookups,
        professional=claim.kind is ClaimKind.PROFESSIONAL,
        payer_id=payer_id,
        payer=book.for_payer(payer_id),
        book=book,
        facts=context.facts.get(claim.patient_control_number),
        line_dates=line_dates,
        dates=dates,
        first_date=first,
        birth_date=born,
        sex={"F": "female", "M": "male"}.get((sex or "").upper()),
        age=age_on(born, first) if born is not None and first is not None else None,
        diagnoses=tuple(d for d in claim.diagnoses if d.qualifier not in ("ABJ", "BJ", "APR", "PR")),
        providers=providers,
    )
