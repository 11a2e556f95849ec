"""Renders a CMS-1500 (02/12) claim as PDF bytes, the full form or data only, six service lines a page."""

from __future__ import annotations

from medbill.domain.parties import Address, Sex
from medbill.formats.pdf.cms1500_art import FRAMES, LABELS
from medbill.formats.pdf.cms1500_data import MAX_LINES_PER_PAGE, Cms1500Data, Cms1500Line, InsuranceType
from medbill.formats.pdf.cms1500_geometry import box
from medbill.formats.pdf.grid import RenderMode
from medbill.formats.pdf.page import FormDocument
from medbill.formats.pdf.values import (
    address_lines,
    city_state_zip,
    date_compact,
    date_spaced,
    date_spaced_long,
    ocr_text,
    person_name,
    split_amount,
)

_COVERAGE_BOX = {
    InsuranceType.MEDICARE: "1_medicare",
    InsuranceType.MEDICAID: "1_medicaid",
    InsuranceType.TRICARE: "1_tricare",
    InsuranceType.CHAMPVA: "1_champva",
    InsuranceType.GROUP_HEALTH_PLAN: "1_group",
    InsuranceType.FECA_BLACK_LUNG: "1_feca",
    InsuranceType.OTHER: "1_other",
}
CONTINUED = "CONTINUED"  # box 28 on every page but the last of a multi-page claim


def render_cms1500(data: Cms1500Data, *, mode: RenderMode | str, nudge: tuple[float, float] = (0.0, 0.0)) -> bytes:
    """The claim on as many CMS-1500 pages as its lines need; totals (boxes 28, 29) print on the last page only.

    ``nudge`` (inches right and down, ``data_only`` only) moves all data to meet a printer's paper feed."""
    doc = FormDocument(mode=mode, nudge=nudge, title="CMS-1500 (02/12)", created=data.physician_signed)
    pages = [data.lines[i : i + MAX_LINES_PER_PAGE] for i in range(0, len(data.lines), MAX_LINES_PER_PAGE)]
    for number, lines in enumerate(pages, start=1):
        doc.new_page(FRAMES, LABELS)
        _claim_boxes(doc, data)
        for index, line in enumerate(lines):
            _service_line(doc, index, line)
        _totals(doc, data, last_page=number == len(pages))
    return doc.output()


def _claim_boxes(doc: FormDocument, data: Cms1500Data) -> None:
    """Everything but box 24 and the totals: repeated on every page of the claim."""
    put = doc.put
    put(box("carrier_name"), ocr_text(data.carrier_name))
    if data.carrier_address is not None:
        put(box("carrier_street"), address_lines(data.carrier_address)[0])
        put(box("carrier_city_state_zip"), city_state_zip(data.carrier_address))
    doc.check_mark(box(_COVERAGE_BOX[data.insurance_type]), True)  # 1
    put(box("1a"), ocr_text(data.insured_id))  # 1a
    put(box("2"), person_name(data.patient_name))  # 2
    put(box("3_birth"), date_spaced_long(data.patient_birth_date))  # 3
    _sex(doc, "3", data.patient_sex)
    put(box("4"), person_name(data.insured_name))  # 4
    _address(doc, "5", data.patient_address, data.patient_phone)
    doc.check_mark(box(f"6_{data.relationship.value}"), True)  # 6
    _address(doc, "7", data.insured_address, data.insured_phone)
    put(box("8"), ocr_text(data.reserved_8))  # 8
    put(box("9"), person_name(data.other_insured_name))  # 9
    put(box("9a"), ocr_text(data.other_insured_policy))  # 9a
    put(box("9d"), ocr_text(data.other_insured_plan))  # 9d
    _yes_no(doc, "10a", data.employment_related)
    _yes_no(doc, "10b", data.auto_accident)
    put(box("10b_state"), data.auto_accident_state)
    _yes_no(doc, "10c", data.other_accident)
    put(box("10d"), ocr_text(data.claim_codes))
    put(box("11"), ocr_text(data.insured_group))
    put(box("11a_birth"), date_spaced_long(data.insured_birth_date))
    if data.insured_sex is not None:
        _sex(doc, "11a", data.insured_sex)
    put(box("11b"), ocr_text(data.other_claim_id))
    put(box("11c"), ocr_text(data.insured_plan_name))
    if data.another_plan is not None:
        _yes_no(doc, "11d", data.another_plan)
    put(box("12_signed"), ocr_text(data.patient_signature))
    put(box("12_date"), date_compact(data.patient_signed))
    put(box("13_signed"), ocr_text(data.insured_signature))
    _provider_boxes(doc, data)


def _provider_boxes(doc: FormDocument, data: Cms1500Data) -> None:
    """Boxes 14–23 and 25–27, 31–33."""
    put = doc.put
    if data.current_illness is not None:  # 14
        put(box("14_date"), date_spaced(data.current_illness.value))
        put(box("14_qual"), data.current_illness.qualifier)
    if data.other_date is not None:  # 15
        put(box("15_qual"), data.other_date.qualifier)
        put(box("15_date"), date_spaced(data.other_date.value))
    if data.unable_to_work is not None:  # 16
        put(box("16_from"), date_spaced(data.unable_to_work.start))
        put(box("16_to"), date_spaced(data.unable_to_work.end))
    if data.referring is not None:  # 17, 17a, 17b
        put(box("17_qual"), data.referring.qualifier)
        put(box("17_name"), person_name(data.referring.name))
        put(box("17a_qual"), data.referring.other_id_qualifier)
        put(box("17a_id"), ocr_text(data.referring.other_id))
        put(box("17b"), data.referring.npi or "")
    if data.hospitalization is not None:  # 18
        put(box("18_from"), date_spaced(data.hospitalization.start))
        put(box("18_to"), date_spaced(data.hospitalization.end))
    put(box("19"), ocr_text(data.additional_info))
    _yes_no(doc, "20", data.outside_lab)
    dollars, cents = split_amount(data.outside_lab_cents)
    put(box("20_dollars"), dollars, align="R")
    put(box("20_cents"), cents)
    put(box("21_ind"), data.icd_indicator)
    for letter, code in zip("ABCDEFGHIJKL", data.diagnoses, strict=False):
        put(box(f"21{letter}"), ocr_text(code.replace(".", "")))  # NUCC: no decimal point in box 21
    put(box("22_code"), data.resubmission_code)
    put(box("22_original"), ocr_text(data.original_reference))
    put(box("23"), ocr_text(data.prior_authorization))
    put(box("25"), data.federal_tax_id)
    doc.check_mark(box("25_ssn"), data.tax_id_is_ssn)
    doc.check_mark(box("25_ein"), not data.tax_id_is_ssn)
    put(box("26"), ocr_text(data.patient_account))
    _yes_no(doc, "27", data.accept_assignment)
    put(box("31_signed"), ocr_text(data.physician_signature))
    put(box("31_date"), date_compact(data.physician_signed))
    facility = data.service_facility
    if facility is not None:
        put(box("32_name"), ocr_text(facility.name))
        put(box("32_street"), address_lines(facility.address)[0])
        put(box("32_city_state_zip"), city_state_zip(facility.address))
        put(box("32a"), facility.npi or "")
        put(box("32b"), ocr_text(facility.other_id))
    billing = data.billing_provider
    if billing.phone:
        put(box("33_area"), billing.phone[:3])
        put(box("33_phone"), billing.phone[3:])
    put(box("33_name"), ocr_text(billing.name))
    put(box("33_street"), address_lines(billing.address)[0])
    put(box("33_city_state_zip"), city_state_zip(billing.address))
    put(box("33a"), billing.npi or "")
    put(box("33b"), ocr_text(billing.other_id))


def _service_line(doc: FormDocument, index: int, line: Cms1500Line) -> None:
    """Box 24 line ``index`` of the page: the unshaded service and its shaded supplemental information."""
    put = doc.put
    put(box("24_shaded", index), ocr_text(line.supplemental))
    put(box("24A_from", index), date_spaced(line.from_date))
    put(box("24A_to", index), date_spaced(line.to_date or line.from_date))
    put(box("24B", index), line.place_of_service)
    put(box("24C", index), "Y" if line.emergency else "")
    put(box("24D_code", index), ocr_text(line.procedure_code))
    for slot, modifier in enumerate(line.modifiers, start=1):
        put(box(f"24D_mod{slot}", index), ocr_text(modifier))
    put(box("24E", index), line.diagnosis_pointers)
    dollars, cents = split_amount(line.charge_cents)
    put(box("24F_dollars", index), dollars, align="R")
    put(box("24F_cents", index), cents)
    put(box("24G", index), str(line.units))  # NUCC: left justified
    put(box("24H", index), ocr_text(line.epsdt))
    put(box("24I_shaded", index), line.rendering_other_qualifier)
    put(box("24J_shaded", index), ocr_text(line.rendering_other_id))
    put(box("24J", index), line.rendering_npi or "")


def _totals(doc: FormDocument, data: Cms1500Data, *, last_page: bool) -> None:
    """Boxes 28 and 29: the claim's totals on its last page, "CONTINUED" in box 28 on the pages before."""
    if not last_page:
        doc.put(box("28"), CONTINUED)
        return
    dollars, cents = split_amount(data.total_charge_cents)
    doc.put(box("28_dollars"), dollars, align="R")
    doc.put(box("28_cents"), cents)
    paid_dollars, paid_cents = split_amount(data.amount_paid_cents)
    doc.put(box("29_dollars"), paid_dollars, align="R")
    doc.put(box("29_cents"), paid_cents)


def _sex(doc: FormDocument, prefix: str, sex: Sex) -> None:
    """Boxes 3 and 11a: M or F (unknown leaves both empty)."""
    doc.check_mark(box(f"{prefix}_male"), sex is Sex.MALE)
    doc.check_mark(box(f"{prefix}_female"), sex is Sex.FEMALE)


def _yes_no(doc: FormDocument, prefix: str, answer: bool) -> None:
    doc.check_mark(box(f"{prefix}_yes"), answer)
    doc.check_mark(box(f"{prefix}_no"), not answer)


def _address(doc: FormDocument, prefix: str, address: Address | None, phone: str) -> None:
    """Boxes 5 and 7: street, city, state, ZIP and telephone (area code in its parentheses)."""
    street, city, state, zip_code = address_lines(address)
    doc.put(box(f"{prefix}_street"), street)
    doc.put(box(f"{prefix}_city"), city)
    doc.put(box(f"{prefix}_state"), state)
    doc.put(box(f"{prefix}_zip"), zip_code)
    if phone:
        doc.put(box(f"{prefix}_area"), phone[:3])
        doc.put(box(f"{prefix}_phone"), phone[3:])
