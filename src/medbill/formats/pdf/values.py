"""How values are written on paper claim forms (dates, split amounts, names, OCR-safe text) and the checks they share."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import date

from medbill.domain.errors import ValidationError
from medbill.domain.identifiers import validate_npi
from medbill.domain.money import MAX_CENTS, Money
from medbill.domain.parties import Address, PersonName


def ocr_text(value: str) -> str:
    """Upper case, plain ASCII letters where a Latin letter carries an accent, ``?`` for anything else."""
    decomposed = unicodedata.normalize("NFKD", value.upper())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return plain.encode("ascii", "replace").decode("ascii")


def date_spaced(value: date | None) -> str:
    """``MM DD YY`` (CMS-1500 boxes 3, 11a, 14–18, 24A)."""
    return value.strftime("%m %d %y") if value else ""


def date_spaced_long(value: date | None) -> str:
    """``MM DD YYYY`` (CMS-1500 boxes 3 and 11a: the 8-digit birth date)."""
    return value.strftime("%m %d %Y") if value else ""


def date_compact(value: date | None) -> str:
    """``MMDDYY`` (UB-04 FL 6, 10, 12, 31–36, 45, 74; CMS-1500 boxes 12, 13, 31)."""
    return value.strftime("%m%d%y") if value else ""


def split_amount(cents: int | None) -> tuple[str, str]:
    """Dollars and cents for a form that prints them in two columns: 12345 → ("123", "45"); no ``$``, no comma."""
    if cents is None:
        return ("", "")
    text = str(Money(cents))
    dollars, _, fraction = text.partition(".")
    return (dollars, fraction)


def person_name(name: PersonName | None) -> str:
    """``LAST, FIRST, M`` as NUCC asks (comma between parts, middle initial only)."""
    if name is None:
        return ""
    parts = [name.last + (f" {name.suffix}" if name.suffix else ""), name.first]
    if name.middle:
        parts.append(name.middle[0])
    return ocr_text(", ".join(parts))


def address_lines(address: Address | None) -> tuple[str, str, str, str]:
    """Street (with second line), city, state and ZIP as printed, each in its own box part."""
    if address is None:
        return ("", "", "", "")
    street = address.line1 + (f" {address.line2}" if address.line2 else "")
    return (ocr_text(street), ocr_text(address.city), address.state, address.zip)


def city_state_zip(address: Address | None) -> str:
    """``CITY ST 123456789`` on one line (CMS-1500 boxes 32, 33; UB-04 FL 1, 2, 38)."""
    if address is None:
        return ""
    return ocr_text(f"{address.city} {address.state} {address.zip}")


def check(condition: bool, box: str, message: str) -> None:
    """Refuse the form data with a message that names the box to fix."""
    if not condition:
        raise ValidationError(message, field=box)


def check_amount(cents: int | None, box: str, *, what: str = "amount", digits: int = 7) -> None:
    """Amounts on a claim form are whole cents, zero or more, with at most ``digits`` digits of dollars: the
    columns the box has (a printed amount is never cut short)."""
    if cents is None:
        return
    check(isinstance(cents, int) and not isinstance(cents, bool), box, f"{box}: the {what} must be integer cents")
    check(cents >= 0, box, f"{box}: the {what} cannot be negative")
    ceiling = min(10**digits * 100, MAX_CENTS)
    check(cents < ceiling, box, f"{box}: the {what} needs more than the {digits} dollar digits the box holds")


def check_npi(value: str | None, box: str) -> None:
    """An NPI on a form is ten digits with a valid Luhn check digit (prefix 80840)."""
    if value:
        validate_npi(value, field=box)


def check_fits(value: str | None, box: str, width: int) -> None:
    """Identifiers are never cut short on paper: refuse one longer than its box holds."""
    if value is not None:
        check(len(value) <= width, box, f"{box}: at most {width} characters fit in the box")


def check_codes(codes: Sequence[object], box: str, *, most: int, what: str) -> None:
    """A repeated box (condition codes, diagnoses…) holds at most ``most`` entries."""
    check(len(codes) <= most, box, f"{box}: the form holds at most {most} {what}; move the rest to a further claim")


def fit(value: str, width: int) -> str:
    """Free text (names, addresses, descriptions) cut to the columns its box has."""
    return value[:width]
