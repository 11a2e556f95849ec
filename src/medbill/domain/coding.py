"""Code value objects (ICD-10-CM, HCPCS, CPT), their shapes, and the errors a coder can meet.

Code-set errors, each a `CodeSetError` with its own stable `code`:

    CodeSetError                    code_set_error
    ├── MalformedCode               malformed_code             the text cannot be a code of that system
    ├── UnknownCode                 unknown_code               well formed, but no edition knows it
    ├── NotBillable                 not_billable               a header (category/subcategory) where a leaf is needed
    ├── MissingSeventhCharacter     missing_seventh_character  the code needs a 7th character (S52.501 → S52.501A)
    ├── InvalidSeventhCharacter     invalid_seventh_character  the 7th character is not one its category allows
    ├── NotValidOnDate              not_valid_on_date          the code exists, but not in the edition in force then
    └── NoEditionForDate            no_edition_for_date        no loaded edition covers the date of service
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from medbill.domain.errors import CodeSetError


class CodeSystem(StrEnum):
    ICD10CM = "ICD-10-CM"
    HCPCS = "HCPCS"
    CPT = "CPT"


class MalformedCode(CodeSetError):
    code = "malformed_code"


class UnknownCode(CodeSetError):
    code = "unknown_code"


class NotBillable(CodeSetError):
    code = "not_billable"


class MissingSeventhCharacter(CodeSetError):
    code = "missing_seventh_character"


class InvalidSeventhCharacter(CodeSetError):
    code = "invalid_seventh_character"


class NotValidOnDate(CodeSetError):
    code = "not_valid_on_date"


class NoEditionForDate(CodeSetError):
    code = "no_edition_for_date"


# ICD-10-CM code shape (ICD-10-CM Official Guidelines I.A.1–I.A.5): a letter, a digit, then a digit or a
# letter, then up to four characters after the dot. The letters I and O are never used after the first
# position (they would be read as 1 and 0).
_ICD_SHAPE = re.compile(r"[A-Z][0-9][0-9A-Z]([0-9A-Z]{1,4})?")
_HCPCS_SHAPE = re.compile(r"[A-V][0-9]{4}")
# CPT: five digits (Category I), four digits + F (Category II), + T (Category III), + U (PLA).
_CPT_SHAPE = re.compile(r"[0-9]{4}[0-9FTU]")
_CONFUSABLE = {"I": "1", "O": "0"}


def _clean(text: str) -> str:
    return text.strip().upper()


def normalize_icd10cm(text: str) -> str:
    """The code without its dot, upper case ('e11.9' → 'E119'); `MalformedCode` with the reason otherwise."""
    raw = _clean(text)
    if not raw:
        raise MalformedCode("an ICD-10-CM code is empty; give a code such as E11.9", field="code")
    if raw.count(".") > 1 or ("." in raw and raw.index(".") != 3):
        raise MalformedCode(
            f"malformed ICD-10-CM code {text.strip()!r}: the dot goes after the third character (E11.9)",
            field="code",
        )
    bare = raw.replace(".", "")
    if len(bare) < 3 or len(bare) > 7:
        raise MalformedCode(
            f"malformed ICD-10-CM code {text.strip()!r}: it has {len(bare)} characters; ICD-10-CM codes have 3 to 7",
            field="code",
        )
    for pos, ch in enumerate(bare[1:], start=2):
        if ch in _CONFUSABLE:
            fixed = bare[: pos - 1] + _CONFUSABLE[ch] + bare[pos:]
            raise MalformedCode(
                f"malformed ICD-10-CM code {text.strip()!r}: character {pos} is the letter {ch!r}, which "
                f"ICD-10-CM never uses after the first position; did you mean {dotted_icd10cm(fixed)!r}?",
                field="code",
            )
    if not bare[0].isalpha():
        raise MalformedCode(
            f"malformed ICD-10-CM code {text.strip()!r}: it must start with a letter (A–Z)", field="code"
        )
    if not bare[1].isdigit():
        raise MalformedCode(f"malformed ICD-10-CM code {text.strip()!r}: character 2 must be a digit", field="code")
    if not _ICD_SHAPE.fullmatch(bare):
        raise MalformedCode(
            f"malformed ICD-10-CM code {text.strip()!r}: only letters and digits are allowed", field="code"
        )
    return bare


def dotted_icd10cm(bare: str) -> str:
    """'E119' → 'E11.9'; three-character categories stay as they are."""
    return bare if len(bare) <= 3 else f"{bare[:3]}.{bare[3:]}"


def looks_like_icd10cm(text: str) -> bool:
    raw = _clean(text).replace(".", "", 1)
    return bool(_ICD_SHAPE.fullmatch(raw))


def normalize_hcpcs(text: str) -> str:
    """A HCPCS Level II code ('j3490' → 'J3490'); `MalformedCode` otherwise."""
    raw = _clean(text)
    if not _HCPCS_SHAPE.fullmatch(raw):
        raise MalformedCode(
            f"malformed HCPCS Level II code {text.strip()!r}: a letter A–V then four digits (J3490)",
            field="code",
        )
    return raw


def normalize_cpt(text: str) -> str:
    """A CPT code number ('99213', '0001F', '0042T', '0001U'); `MalformedCode` otherwise."""
    raw = _clean(text)
    if not _CPT_SHAPE.fullmatch(raw):
        raise MalformedCode(
            f"malformed CPT code {text.strip()!r}: five digits, or four digits then F, T or U",
            field="code",
        )
    return raw


def system_of(text: str) -> CodeSystem:
    """Which system a code's shape belongs to; `MalformedCode` when it fits none."""
    raw = _clean(text)
    if _CPT_SHAPE.fullmatch(raw):
        return CodeSystem.CPT
    if _HCPCS_SHAPE.fullmatch(raw):
        return CodeSystem.HCPCS
    normalize_icd10cm(raw)
    return CodeSystem.ICD10CM


@dataclass(frozen=True, slots=True, kw_only=True)
class Code:
    """A code of one system, held in its canonical form (ICD-10-CM without the dot)."""

    system: CodeSystem
    value: str

    @classmethod
    def icd10cm(cls, text: str) -> Code:
        return cls(system=CodeSystem.ICD10CM, value=normalize_icd10cm(text))

    @classmethod
    def hcpcs(cls, text: str) -> Code:
        return cls(system=CodeSystem.HCPCS, value=normalize_hcpcs(text))

    @classmethod
    def cpt(cls, text: str) -> Code:
        return cls(system=CodeSystem.CPT, value=normalize_cpt(text))

    @property
    def display(self) -> str:
        """The form people read: ICD-10-CM with its dot, others as they are."""
        return dotted_icd10cm(self.value) if self.system is CodeSystem.ICD10CM else self.value

    def __str__(self) -> str:
        return self.display
