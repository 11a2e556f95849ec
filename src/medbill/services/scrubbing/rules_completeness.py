"""Completeness rules: every field the 837P/837I and the CMS-1500/UB-04 need is there."""

from __future__ import annotations

import re

from medbill.domain.claims import EntityType, NamedEntity, PostalAddress
from medbill.domain.scrub import Finding
from medbill.services.scrubbing.registry import RULES
from medbill.services.scrubbing.view import ClaimView

R = RULES
_PO_BOX = re.compile(r"\b(P\.?\s*O\.?\s*BOX|POST OFFICE BOX|LOCK ?BOX|LOCKBOX)\b", re.IGNORECASE)
# UB-04 FL4 facility types billed as inpatient stays: hospital (11), swing bed (18), SNF (21), religious (41)
_INPATIENT = frozenset({"11", "18", "21", "41"})


def _address_gaps(address: PostalAddress | None) -> list[str]:
    if address is None:
        return ["street", "city", "state", "ZIP"]
    parts = (("street", address.line1), ("city", address.city), ("state", address.state), ("ZIP", address.postal_code))
    return [name for name, value in parts if not (value or "").strip()]


def _person_name_gaps(entity: NamedEntity) -> list[str]:
    gaps = [] if entity.name.strip() else ["last name"]
    if entity.entity_type is EntityType.PERSON and not (entity.first_name or "").strip():
        gaps.append("first name")
    return gaps


def check_parties(v: ClaimView, out: list[Finding]) -> None:
    c = v.claim
    sub = c.subscriber.subscriber
    if not (sub.identifier or "").strip():
        out.append(
            R["completeness.subscriber_id"].finding(
                "Add the subscriber's member ID from the insurance card.",
                field="subscriber.member_id",
                location=v.where("subscriber_id"),
            )
        )
    gaps = _person_name_gaps(sub)
    if gaps:
        out.append(
            R["completeness.subscriber_name"].finding(
                f"Add the subscriber's {' and '.join(gaps)} as on the insurance card.",
                field="subscriber.name",
                location=v.where("subscriber_name"),
            )
        )
    patient = c.patient.person if c.patient is not None else sub
    who = "patient" if c.patient is not None else "patient (the subscriber)"
    if c.patient is not None:
        gaps = _person_name_gaps(patient)
        if gaps:
            out.append(
                R["completeness.patient_name"].finding(
                    f"Add the patient's {' and '.join(gaps)}.", field="patient.name", location=v.where("patient_name")
                )
            )
    gaps = _address_gaps(patient.address)
    if gaps:
        out.append(
            R["completeness.patient_address"].finding(
                f"Add the {who}'s {', '.join(gaps)}.", field="patient.address", location=v.where("patient_address")
            )
        )
    if v.birth_date is None:
        out.append(
            R["completeness.patient_birth_date"].finding(
                f"Add the {who}'s date of birth.", field="patient.birth_date", location=v.where("patient_dmg")
            )
        )
    if v.sex is None:
        out.append(
            R["completeness.patient_sex"].finding(
                f"Give the {who}'s sex as F or M.", field="patient.sex", location=v.where("patient_dmg")
            )
        )
    if not v.payer_id:
        out.append(
            R["completeness.payer_id"].finding(
                "Add the payer ID the clearinghouse lists for this payer.",
                field="payer.id",
                location=v.where("payer"),
            )
        )


def check_billing_provider(v: ClaimView, out: list[Finding]) -> None:
    bp = v.claim.billing_provider
    if bp.id_qualifier != "XX" or not (bp.identifier or "").strip():
        out.append(
            R["completeness.billing_npi"].finding(
                "Add the billing provider's NPI (qualifier XX).",
                field="billing_provider.npi",
                location=v.where("billing_npi"),
            )
        )
    if not any(r.qualifier in ("EI", "SY") and r.value.strip() for r in bp.references):
        out.append(
            R["completeness.billing_tin"].finding(
                "Add the billing provider's tax ID: the EIN (REF*EI) or, for a sole proprietor, the SSN (REF*SY).",
                field="billing_provider.tin",
                location=v.where("billing_tin"),
            )
        )
    gaps = _address_gaps(bp.address)
    if gaps:
        out.append(
            R["completeness.billing_address"].finding(
                f"Add the billing provider's {', '.join(gaps)}.",
                field="billing_provider.address",
                location=v.where("billing_address"),
            )
        )
    postal = bp.address.postal_code if bp.address is not None else None
    if postal and not (len(postal) == 9 and postal.isdigit()):
        zip_digits = "".join(ch for ch in postal if ch.isdigit())
        if len(zip_digits) != 9:
            out.append(
                R["completeness.billing_zip4"].finding(
                    f"The billing provider ZIP has {len(zip_digits)} digits; the 837 needs the full ZIP+4 (9 digits).",
                    field="billing_provider.address.postal_code",
                    location=v.where("billing_address"),
                )
            )
    if bp.address is not None:
        street = f"{bp.address.line1} {bp.address.line2 or ''}"
        if "BOX" in street.upper() and _PO_BOX.search(street):
            out.append(
                R["completeness.billing_po_box"].finding(
                    "The billing provider address must be a street address; move the P.O. box to the pay-to address "
                    "(2010AB).",
                    field="billing_provider.address.line1",
                    location=v.where("billing_address"),
                )
            )


def check_providers(v: ClaimView, out: list[Finding]) -> None:
    c = v.claim
    if v.professional:
        bp = c.billing_provider
        has_rendering = "82" in v.providers or all(any(p.role == "82" for p in ln.providers) for ln in c.lines)
        if bp.entity_type is EntityType.ORGANIZATION and not has_rendering:
            out.append(
                R["completeness.rendering_provider"].finding(
                    "The billing provider is an organization: name the individual who rendered the services "
                    "(NPI and taxonomy).",
                    field="rendering_provider",
                    location=v.where("rendering"),
                )
            )
        codes = v.book.referring_required_codes
        for line in c.lines:
            p = line.procedure
            if p is not None and p.code in codes and not v.line_has_role(line, ("DN", "DK")):
                out.append(
                    R["completeness.referring_provider"].finding(
                        f"Line {line.number}: {p.code} is a lab, imaging or DME service; add the referring or "
                        "ordering provider's name and NPI.",
                        line=line.number,
                        field=f"lines[{line.number}].referring_provider",
                        location=v.where("referring"),
                    )
                )
    elif "71" not in v.providers:
        out.append(
            R["completeness.attending_provider"].finding(
                "Add the attending provider's name and NPI.", field="attending_provider", location=v.where("attending")
            )
        )


def check_claim_data(v: ClaimView, out: list[Finding]) -> None:
    c = v.claim
    if v.professional:
        if not c.facility_code.strip():
            out.append(
                R["completeness.place_of_service"].finding(
                    "Add the place of service (e.g. 11 office).", field="place_of_service", location=v.where("pos")
                )
            )
        if len(v.diagnoses) > 12:
            out.append(
                R["completeness.too_many_diagnoses"].finding(
                    f"The claim has {len(v.diagnoses)} diagnoses; a professional claim takes 12. Keep the 12 the "
                    "lines point at and split the claim if needed.",
                    field="diagnoses",
                    location=v.where("diagnosis"),
                )
            )
    else:
        if len(c.facility_code.strip()) != 2 or not c.facility_code.strip().isdigit():
            out.append(
                R["completeness.type_of_bill"].finding(
                    "Give the type of bill: the facility type and classification (2 digits) and the frequency.",
                    field="type_of_bill",
                    location=v.where("type_of_bill"),
                )
            )
        if not any(e.qualifier == "434" for e in c.dates):
            out.append(
                R["completeness.statement_dates"].finding(
                    "Add the statement covers period (from and through dates).",
                    field="statement_dates",
                    location=v.where("statement"),
                )
            )
        inpatient = c.facility_code.strip() in _INPATIENT
        if inpatient and (not any(e.qualifier == "435" for e in c.dates) or not (c.admission and c.admission[0])):
            out.append(
                R["completeness.admission"].finding(
                    "An inpatient bill needs the admission date and hour and the admission type.",
                    field="admission",
                    location=v.where("admission"),
                )
            )
        if c.admission is None or not c.admission[2]:
            out.append(
                R["completeness.patient_status"].finding(
                    "Add the patient discharge status (e.g. 01 discharged home).",
                    field="patient_status",
                    location=v.where("status"),
                )
            )
    if not any(d.qualifier in ("ABK", "BK") for d in c.diagnoses):
        out.append(
            R["completeness.diagnosis"].finding(
                "Add the principal (first-listed) diagnosis.", field="diagnoses[1]", location=v.where("diagnosis")
            )
        )
