"""Renders a UB-04 (CMS-1450) claim as PDF bytes, the full form or data only, 22 service lines a page."""

from __future__ import annotations

from medbill.domain.parties import Sex
from medbill.formats.pdf.grid import RenderMode
from medbill.formats.pdf.page import FormDocument
from medbill.formats.pdf.ub04_art import FRAMES, LABELS
from medbill.formats.pdf.ub04_data import MAX_LINES_PER_PAGE, TOTAL_REVENUE_CODE, Ub04Data, UbLine, UbPayer
from medbill.formats.pdf.ub04_geometry import PHYSICIAN_ROWS, locator
from medbill.formats.pdf.values import address_lines, city_state_zip, date_compact, ocr_text, person_name, split_amount

_SEX = {Sex.FEMALE: "F", Sex.MALE: "M", Sex.UNKNOWN: "U"}  # FL 11


def render_ub04(data: Ub04Data, *, mode: RenderMode | str, nudge: tuple[float, float] = (0.0, 0.0)) -> bytes:
    """The claim on as many UB-04 pages as its lines need: "n OF m" and the creation date on every page's line 23,
    revenue code 0001 and the totals (FL 47, 48) on the last page only.

    ``nudge`` (inches right and down, ``data_only`` only) moves all data to meet a printer's paper feed."""
    doc = FormDocument(mode=mode, nudge=nudge, title="UB-04 (CMS-1450)", created=data.creation_date)
    pages = [data.lines[i : i + MAX_LINES_PER_PAGE] for i in range(0, len(data.lines), MAX_LINES_PER_PAGE)]
    for number, lines in enumerate(pages, start=1):
        doc.new_page(FRAMES, LABELS)
        _header(doc, data)
        _codes(doc, data)
        for index, line in enumerate(lines):
            _service_line(doc, index, line)
        _line_23(doc, data, number=number, of=len(pages))
        for index, payer in enumerate(data.payers):
            _payer_row(doc, index, payer)
        _clinical(doc, data)
    return doc.output()


def _header(doc: FormDocument, data: Ub04Data) -> None:
    """FL 1–17: provider, pay-to, control numbers, type of bill, statement period, patient and admission."""
    put = doc.put
    provider = (ocr_text(data.provider_name), address_lines(data.provider_address)[0])
    for i, text in enumerate((*provider, city_state_zip(data.provider_address), data.provider_phone)):
        put(locator(f"1_{i}"), text)  # FL 1
    if data.pay_to_name:
        pay_to = (ocr_text(data.pay_to_name), address_lines(data.pay_to_address)[0])
        for i, text in enumerate((*pay_to, city_state_zip(data.pay_to_address))):
            put(locator(f"2_{i}"), text)  # FL 2
    put(locator("3a"), ocr_text(data.patient_control_number))
    put(locator("3b"), ocr_text(data.medical_record_number))
    put(locator("4"), data.type_of_bill)
    put(locator("5"), data.federal_tax_number)
    put(locator("6_from"), date_compact(data.statement_from))
    put(locator("6_through"), date_compact(data.statement_through))
    put(locator("8a"), ocr_text(data.patient_id))
    put(locator("8b"), person_name(data.patient_name))
    street, city, state, zip_code = address_lines(data.patient_address)
    put(locator("9a"), street)
    put(locator("9b"), city)
    put(locator("9c"), state)
    put(locator("9d"), zip_code)
    put(locator("9e"), ocr_text(data.patient_country))
    put(locator("10"), data.birth_date.strftime("%m%d%Y"))  # FL 10 is MMDDCCYY
    put(locator("11"), _SEX[data.sex])
    put(locator("12"), date_compact(data.admission_date))
    put(locator("13"), data.admission_hour)
    put(locator("14"), data.admission_type)
    put(locator("15"), data.admission_source)
    put(locator("16"), data.discharge_hour)
    put(locator("17"), data.patient_status)


def _codes(doc: FormDocument, data: Ub04Data) -> None:
    """FL 18–41: condition, occurrence, span and value codes; the responsible party."""
    put = doc.put
    for k, code in enumerate(data.condition_codes):
        put(locator(str(18 + k)), code)  # FL 18–28
    put(locator("29"), data.accident_state)
    for k, occurrence in enumerate(data.occurrences):  # FL 31–34 row a across, then row b
        slot = f"{31 + k % 4}{'ab'[k // 4]}"
        put(locator(f"{slot}_code"), occurrence.code)
        put(locator(f"{slot}_date"), date_compact(occurrence.on))
    for k, span in enumerate(data.occurrence_spans):  # FL 35–36 row a across, then row b
        slot = f"{35 + k % 2}{'ab'[k // 2]}"
        put(locator(f"{slot}_code"), span.code)
        put(locator(f"{slot}_from"), date_compact(span.start))
        put(locator(f"{slot}_through"), date_compact(span.end))
    for i, text in enumerate(data.responsible_party):
        put(locator(f"38_{i}"), ocr_text(text))
    for k, value in enumerate(data.value_codes):  # FL 39–41 row a across, then b, c, d
        slot = f"{39 + k % 3}{'abcd'[k // 3]}"
        dollars, cents = split_amount(value.amount_cents)
        put(locator(f"{slot}_code"), value.code)
        put(locator(f"{slot}_dollars"), dollars, align="R")
        put(locator(f"{slot}_cents"), cents)


def _service_line(doc: FormDocument, index: int, line: UbLine) -> None:
    """FL 42–48 of line ``index`` (0-based) on the page."""
    put = doc.put
    put(locator("42", index), line.revenue_code)
    put(locator("43", index), ocr_text(line.description))
    put(locator("44", index), ocr_text(line.hcpcs))
    put(locator("45", index), date_compact(line.service_date))
    put(locator("46", index), str(line.units), align="R")
    dollars, cents = split_amount(line.total_cents)
    put(locator("47_dollars", index), dollars, align="R")
    put(locator("47_cents", index), cents)
    if line.non_covered_cents:
        dollars, cents = split_amount(line.non_covered_cents)
        put(locator("48_dollars", index), dollars, align="R")
        put(locator("48_cents", index), cents)


def _line_23(doc: FormDocument, data: Ub04Data, *, number: int, of: int) -> None:
    """Line 23: page n of m and the creation date on every page; 0001 and the totals on the last."""
    doc.put(locator("43_page"), f"{number} OF {of}")
    doc.put(locator("45_created"), date_compact(data.creation_date))
    if number != of:
        return
    doc.put(locator("42_total"), TOTAL_REVENUE_CODE)
    dollars, cents = split_amount(data.total_charges_cents)
    doc.put(locator("47_total_dollars"), dollars, align="R")
    doc.put(locator("47_total_cents"), cents)
    dollars, cents = split_amount(data.non_covered_total_cents)
    doc.put(locator("48_total_dollars"), dollars, align="R")
    doc.put(locator("48_total_cents"), cents)


def _payer_row(doc: FormDocument, index: int, payer: UbPayer) -> None:
    """FL 50–55, 57 (payer), 58–62 (insured) and 63–65 (authorisation) on row A, B or C."""
    put = doc.put
    put(locator("50", index), ocr_text(payer.name))
    put(locator("51", index), ocr_text(payer.health_plan_id))
    put(locator("52", index), payer.release_of_information)
    put(locator("53", index), payer.assignment_of_benefits)
    for fl, cents_value in (("54", payer.prior_payments_cents), ("55", payer.estimated_due_cents)):
        dollars, cents = split_amount(cents_value)
        put(locator(f"{fl}_dollars", index), dollars, align="R")
        put(locator(f"{fl}_cents", index), cents)
    put(locator("57", index), ocr_text(payer.other_provider_id))
    put(locator("58", index), person_name(payer.insured_name))
    put(locator("59", index), payer.patient_relationship)
    put(locator("60", index), ocr_text(payer.insured_id))
    put(locator("61", index), ocr_text(payer.group_name))
    put(locator("62", index), ocr_text(payer.group_number))
    put(locator("63", index), ocr_text(payer.treatment_authorization))
    put(locator("64", index), ocr_text(payer.document_control_number))
    put(locator("65", index), ocr_text(payer.employer_name))


def _clinical(doc: FormDocument, data: Ub04Data) -> None:
    """FL 56, 66–81: NPI, diagnoses, procedures, physicians, remarks and code-codes."""
    put = doc.put
    put(locator("56"), data.billing_npi)
    put(locator("66"), data.dx_version)
    put(locator("67"), ocr_text(data.principal_diagnosis.code.replace(".", "")))
    put(locator("67_poa"), data.principal_diagnosis.poa)
    for letter, dx in zip("ABCDEFGHIJKLMNOPQ", data.other_diagnoses, strict=False):
        put(locator(f"67{letter}"), ocr_text(dx.code.replace(".", "")))
        put(locator(f"67{letter}_poa"), dx.poa)
    put(locator("69"), ocr_text(data.admitting_diagnosis.replace(".", "")))
    for letter, code in zip("abc", data.reason_for_visit, strict=False):
        put(locator(f"70{letter}"), ocr_text(code.replace(".", "")))
    put(locator("71"), data.pps_code)
    for letter, dx in zip("abc", data.external_causes, strict=False):
        put(locator(f"72{letter}"), ocr_text(dx.code.replace(".", "")))
        put(locator(f"72{letter}_poa"), dx.poa)
    procedures = ((data.principal_procedure,) if data.principal_procedure else ()) + data.other_procedures
    for slot, procedure in zip(("", "a", "b", "c", "d", "e"), procedures, strict=False):
        put(locator(f"74{slot}_code"), ocr_text(procedure.code))
        put(locator(f"74{slot}_date"), date_compact(procedure.on))
    doctors = (data.attending, data.operating, *data.other_physicians, None, None)
    for fl, doctor in zip(PHYSICIAN_ROWS, doctors, strict=False):
        if doctor is None:
            continue
        put(locator(f"{fl}_npi"), doctor.npi or "")
        put(locator(f"{fl}_qual"), doctor.qualifier)
        put(locator(f"{fl}_id"), ocr_text(doctor.other_id))
        put(locator(f"{fl}_last"), ocr_text(doctor.name.last))
        put(locator(f"{fl}_first"), ocr_text(doctor.name.first))
    for i, text in enumerate(data.remarks):
        put(locator(f"80_{i}"), ocr_text(text))
    for letter, entry in zip("abcd", data.code_codes, strict=False):
        put(locator(f"81{letter}_qual"), entry.qualifier)
        put(locator(f"81{letter}_code"), ocr_text(entry.code))
        put(locator(f"81{letter}_value"), ocr_text(entry.value))
