"""Shape and check-digit rules for the identifiers billing runs on: NPI, EIN/TIN, ZIP, state, phone, payer and member IDs."""

from __future__ import annotations

import re

from medbill.domain.errors import InvalidIdentifier

# USPS two-letter codes for the states, DC, territories and military mail.
US_STATES: frozenset[str] = frozenset(
    [
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CO",
        "CT",
        "DE",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IN",
        "IA",
        "KS",
        "KY",
        "LA",
        "ME",
        "MD",
        "MA",
        "MI",
        "MN",
        "MS",
        "MO",
        "MT",
        "NE",
        "NV",
        "NH",
        "NJ",
        "NM",
        "NY",
        "NC",
        "ND",
        "OH",
        "OK",
        "OR",
        "PA",
        "RI",
        "SC",
        "SD",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "WA",
        "WV",
        "WI",
        "WY",
        "DC",
        "PR",
        "VI",
        "GU",
        "AS",
        "MP",
        "AA",
        "AE",
        "AP",
    ]
)

_DIGITS = re.compile(r"\d+")


def _digits_only(value: str) -> str:
    return "".join(_DIGITS.findall(value))


def luhn_check_digit(digits: str) -> int:
    """The Luhn (mod 10, ISO/IEC 7812) check digit that completes ``digits``."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2 == 0:  # every second digit from the right, starting with the rightmost of the payload
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return (10 - total % 10) % 10


def npi_check_digit(first_nine: str) -> int:
    """The Luhn check digit of an NPI, computed over the card-issuer prefix 80840 and the first nine digits."""
    return luhn_check_digit("80840" + first_nine)


def is_valid_npi(npi: str) -> bool:
    """True for 10 ASCII digits whose last is the NPI check digit (no message: for validators that report their own)."""
    return len(npi) == 10 and npi.isascii() and npi.isdigit() and npi_check_digit(npi[:9]) == int(npi[9])


def validate_npi(value: str, *, field: str = "npi") -> str:
    """A 10-digit NPI whose last digit is the Luhn check digit over prefix 80840 (CMS NPI standard)."""
    npi = value.strip()
    if not npi.isdigit() or len(npi) != 10:
        raise InvalidIdentifier("an NPI is exactly 10 digits", field=field)
    if npi[0] not in "12":
        raise InvalidIdentifier("an NPI starts with 1 (individual) or 2 (organization)", field=field)
    expected = npi_check_digit(npi[:9])
    if int(npi[9]) != expected:
        raise InvalidIdentifier(
            f"NPI check digit is wrong: the Luhn check over 80840 and the first nine digits gives {expected}, "
            f"not {npi[9]}; check the number for a typo",
            field=field,
        )
    return npi


def validate_ein(value: str, *, field: str = "tin") -> str:
    """An employer identification number, kept as 9 digits (``12-3456789`` is accepted and normalised)."""
    digits = _digits_only(value)
    if len(digits) != 9 or not re.fullmatch(r"\d{2}-?\d{7}", value.strip()):
        raise InvalidIdentifier("an EIN is 9 digits written NN-NNNNNNN", field=field)
    if digits[:2] in {"00", "07", "08", "09", "17", "18", "19", "28", "29", "49", "69", "70", "78", "79", "89"}:
        raise InvalidIdentifier(f"'{digits[:2]}' is not an IRS-assigned EIN prefix", field=field)
    return digits


def validate_ssn(value: str, *, field: str = "tin") -> str:
    """A social security number used as a TIN: 9 digits, with the never-issued areas and groups refused."""
    digits = _digits_only(value)
    if len(digits) != 9 or not re.fullmatch(r"\d{3}-?\d{2}-?\d{4}", value.strip()):
        raise InvalidIdentifier("an SSN is 9 digits written NNN-NN-NNNN", field=field)
    if digits[:3] in {"000", "666"} or digits[0] == "9" or digits[3:5] == "00" or digits[5:] == "0000":
        raise InvalidIdentifier("that SSN is in a range the SSA never issues", field=field)
    return digits


def validate_tin(value: str, kind: str, *, field: str = "tin") -> str:
    """A tax identification number of ``kind`` ``EIN`` (X12 REF*EI) or ``SSN`` (REF*SY)."""
    if kind == "EIN":
        return validate_ein(value, field=field)
    if kind == "SSN":
        return validate_ssn(value, field=field)
    raise InvalidIdentifier("the TIN kind is EIN or SSN", field=f"{field}_kind")


def validate_zip(value: str, *, field: str = "zip") -> str:
    """A US ZIP code: 5 digits or ZIP+4 (9 digits, ``12345-6789`` accepted), kept as digits only."""
    text = value.strip()
    if not re.fullmatch(r"\d{5}(-?\d{4})?", text):
        raise InvalidIdentifier("a ZIP code is 5 digits or ZIP+4 (12345-6789)", field=field)
    digits = _digits_only(text)
    if digits[:5] == "00000":
        raise InvalidIdentifier("00000 is not a ZIP code", field=field)
    return digits


def validate_state(value: str, *, field: str = "state") -> str:
    state = value.strip().upper()
    if state not in US_STATES:
        raise InvalidIdentifier(f"'{value.strip()[:3]}' is not a US state or territory code", field=field)
    return state


def validate_phone(value: str, *, field: str = "phone") -> str:
    """A North American phone number, kept as 10 digits (a leading country code 1 is dropped)."""
    digits = _digits_only(value)
    if len(digits) == 11 and digits[0] == "1":
        digits = digits[1:]
    if len(digits) != 10:
        raise InvalidIdentifier("a phone number has 10 digits (area code and number)", field=field)
    if digits[0] in "01" or digits[3] in "01":
        raise InvalidIdentifier("area code and exchange cannot start with 0 or 1", field=field)
    return digits


def validate_payer_id(value: str, *, field: str = "payer_id") -> str:
    """A payer identifier as clearinghouses use it in NM1*PR09: 2–80 letters and digits."""
    payer_id = value.strip().upper()
    if not re.fullmatch(r"[A-Z0-9]{2,80}", payer_id):
        raise InvalidIdentifier("a payer ID is 2 to 80 letters and digits", field=field)
    return payer_id


def validate_member_id(value: str, *, field: str = "member_id") -> str:
    """A subscriber's member ID (NM1*IL09): 2–80 letters, digits and hyphens, no spaces."""
    member_id = value.strip().upper()
    if not re.fullmatch(r"[A-Z0-9][A-Z0-9-]{1,79}", member_id):
        raise InvalidIdentifier("a member ID is 2 to 80 letters, digits or hyphens, without spaces", field=field)
    return member_id


def validate_taxonomy(value: str, *, field: str = "taxonomy") -> str:
    """A NUCC provider taxonomy code: 10 characters, 9 letters/digits and a closing X (e.g. 207Q00000X)."""
    code = value.strip().upper()
    if not re.fullmatch(r"[0-9A-Z]{9}X", code):
        raise InvalidIdentifier("a taxonomy code is 10 characters ending in X, like 207Q00000X", field=field)
    return code


def format_phone(digits: str) -> str:
    return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}" if len(digits) == 10 else digits


def format_zip(digits: str) -> str:
    return f"{digits[:5]}-{digits[5:]}" if len(digits) == 9 else digits
