"""Bank statement CSV → deposits: reads the credits of a bank's export and leaves the withdrawals out.

Banks name their columns differently; the common names are recognised (case, spaces and punctuation ignored):

    date         Posting Date, Posted Date, Posted, Post Date, Date, Transaction Date, Effective Date
    amount       Amount, Transaction Amount (signed: a negative amount is a withdrawal)
    credit       Credit, Credits, Credit Amount, Deposit, Deposits, Deposit Amount (used instead of Amount when present)
    debit        Debit, Debits, Debit Amount, Withdrawal, Withdrawals (withdrawals: ignored)
    reference    Reference, Reference Number, Ref, Bank Reference, Check Number, Check No, Check, Trace, Trace Number
    description  Description, Transaction Description, Memo, Details
    credit/debit Credit/Debit, Debit/Credit, CR/DR, DR/CR, Type, Transaction Type (a debit marker skips the row)

Only credits are kept: rows whose amount is negative or zero, rows with an empty Credit cell, and rows marked as
debits are skipped, not reported. Blank lines and a preamble above the header (account name, period) are skipped.
Dates are YYYY-MM-DD, MM/DD/YYYY or MM/DD/YY; amounts ``1234.56``, ``"1,234.56"``, ``$1,234.56``, ``-12.00``,
``12.00-`` or ``(12.00)``. A row that cannot be read raises FormatError naming the file, the line and the column.

Each deposit's id is a hash of what the row says (date, amount, reference, description) and how many identical
rows came before it in the file, so the same deposit imported twice, from the same file or from an overlapping
export under another name, has the same id.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from datetime import date

from medbill.domain.errors import FormatError, ValidationError
from medbill.domain.money import parse_cents
from medbill.domain.reconciliation import Deposit

_HEADER_SEARCH_ROWS = 20
_ALIASES: dict[str, tuple[str, ...]] = {
    "date": ("posting date", "posted date", "posted", "post date", "date", "transaction date", "effective date"),
    "amount": ("amount", "transaction amount"),
    "credit": ("credit", "credits", "credit amount", "deposit", "deposits", "deposit amount"),
    "debit": ("debit", "debits", "debit amount", "withdrawal", "withdrawals", "withdrawal amount"),
    "reference": (
        "reference",
        "reference number",
        "reference no",
        "ref",
        "ref no",
        "bank reference",
        "check number",
        "check no",
        "check",
        "trace",
        "trace number",
    ),
    "description": ("description", "transaction description", "memo", "details"),
    "indicator": ("credit debit", "debit credit", "cr dr", "dr cr", "type", "transaction type"),
}
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})")


@dataclass(frozen=True, slots=True)
class _Columns:
    date: int
    amount: int  # the Credit column when there is one, else the signed Amount column
    credit_column: bool
    reference: int | None
    description: int | None
    indicator: int | None
    names: tuple[str, ...]


def _normalize_header(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


def _find_columns(header: list[str]) -> _Columns | None:
    names = [_normalize_header(cell) for cell in header]
    found: dict[str, int | None] = {}
    for role, aliases in _ALIASES.items():
        found[role] = next((names.index(alias) for alias in aliases if alias in names), None)
    date_column = found["date"]
    amount_column = found["credit"] if found["credit"] is not None else found["amount"]
    if date_column is None or amount_column is None:
        return None
    return _Columns(
        date=date_column,
        amount=amount_column,
        credit_column=found["credit"] is not None,
        reference=found["reference"],
        description=found["description"],
        indicator=found["indicator"],
        names=tuple(cell.strip() for cell in header),
    )


def _decode(data: str | bytes, source: str) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise FormatError(f"{source}: is not UTF-8 or Windows-1252 text; export the statement as CSV") from None


def _parse_date(text: str) -> date | None:
    value = text.strip()
    try:
        if match := _ISO_DATE.fullmatch(value):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match := _US_DATE.fullmatch(value):
            year = int(match[3]) + (2000 if len(match[3]) == 2 else 0)
            return date(year, int(match[1]), int(match[2]))
    except ValueError:
        return None
    return None


def _parse_amount(text: str) -> int:
    """Signed cents of a bank amount; raises ValidationError when it is not one."""
    value = "".join(text.split()).replace("$", "")
    negative = False
    if value.startswith("(") and value.endswith(")"):
        negative, value = True, value[1:-1]
    elif value.endswith("-"):
        negative, value = True, value[:-1]
    cents = parse_cents(value)
    return -abs(cents) if negative else cents


def _cell(row: list[str], column: int | None) -> str:
    if column is None or column >= len(row):
        return ""
    return row[column].strip()


def _deposit_id(posted_on: date, cents: int, reference: str, description: str, occurrence: int) -> str:
    key = "\x1f".join((posted_on.isoformat(), str(cents), reference, description, str(occurrence)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _row_error(source: str, line: int, columns: _Columns, column: int, reason: str) -> FormatError:
    name = columns.names[column] if column < len(columns.names) else f"column {column + 1}"
    return FormatError(f"{source}, line {line}, column '{name}': {reason}")


def _is_debit(marker: str) -> bool:
    words = set(_normalize_header(marker).split())
    return marker.strip().upper() in {"D", "DR"} or bool(words & {"debit", "withdrawal"})


def _read_row(row: list[str], columns: _Columns, source: str, line: int) -> tuple[date, int, str, str] | None:
    """(posted on, cents, reference, description) of a credit row; None for a withdrawal."""
    date_text = _cell(row, columns.date)
    posted_on = _parse_date(date_text)
    if posted_on is None:
        reason = f"'{date_text[:20]}' is not a date; use YYYY-MM-DD or MM/DD/YYYY"
        raise _row_error(source, line, columns, columns.date, reason)
    if _is_debit(_cell(row, columns.indicator)):
        return None
    amount_text = _cell(row, columns.amount)
    if not amount_text:
        if columns.credit_column:
            return None  # a debit row of a statement with Credit and Debit columns
        raise _row_error(source, line, columns, columns.amount, "the amount is missing; every row needs one")
    try:
        cents = _parse_amount(amount_text)
    except ValidationError as exc:
        reason = f"{exc.message}; write amounts like 1234.56, 1,234.56 or (12.00)"
        raise _row_error(source, line, columns, columns.amount, reason) from None
    if cents <= 0:
        return None
    return posted_on, cents, _cell(row, columns.reference), " ".join(_cell(row, columns.description).split())


def read_deposits(data: str | bytes, *, source: str = "deposits.csv") -> list[Deposit]:
    """The credits of a bank statement CSV as deposits, in file order; withdrawals are skipped (see the module)."""
    reader = csv.reader(io.StringIO(_decode(data, source), newline=""))
    columns: _Columns | None = None
    deposits: list[Deposit] = []
    seen: dict[tuple[date, int, str, str], int] = {}
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if columns is None:
                columns = _find_columns(row)
                if columns is None and reader.line_num >= _HEADER_SEARCH_ROWS:
                    break
                continue
            credit = _read_row(row, columns, source, reader.line_num)
            if credit is None:
                continue
            occurrence = seen.get(credit, 0)
            seen[credit] = occurrence + 1
            posted_on, cents, reference, description = credit
            deposits.append(
                Deposit(
                    id=_deposit_id(posted_on, cents, reference, description, occurrence),
                    posted_on=posted_on,
                    amount_cents=cents,
                    reference=reference,
                    description=description,
                )
            )
    except csv.Error as exc:
        raise FormatError(f"{source}, line {reader.line_num}: the CSV is malformed ({exc})") from None
    if columns is None:
        raise FormatError(
            f"{source}: no header row with a date column (Date, Posting Date, Posted) and an amount column "
            "(Amount, Credit, Deposit); add one as the first line"
        )
    return deposits
