"""Bank statement CSV: header variants, amount and date formats, withdrawals skipped, bad rows located, stable ids."""

from __future__ import annotations

from datetime import date

import pytest

from medbill.domain.errors import FormatError
from medbill.formats.bank_csv import read_deposits


def test_reads_credits_with_date_amount_reference_and_description() -> None:
    data = "Date,Amount,Reference,Description\n2024-03-05,1234.56,12345,HCCLAIMPMT ACME\n"

    [deposit] = read_deposits(data)

    assert deposit.posted_on == date(2024, 3, 5)
    assert deposit.amount_cents == 123_456
    assert deposit.reference == "12345"
    assert deposit.description == "HCCLAIMPMT ACME"


@pytest.mark.parametrize(
    "header",
    [
        "Date,Amount,Reference,Description",
        "Posting Date,Amount,Check Number,Memo",
        "POSTED,Transaction Amount,Ref #,Details",
        "Post Date,Credit,Trace Number,Description",
        "posting date,Deposit,Ref.,memo",
        "Transaction Date,Deposits,Check No.,Transaction Description",
        " Posted Date , Credit Amount , Trace , Memo ",
    ],
)
def test_common_header_names_are_recognised(header: str) -> None:
    data = f"{header}\n03/05/2024,250.00,7788,ERA PAYMENT\n"

    [deposit] = read_deposits(data)

    assert (deposit.posted_on, deposit.amount_cents, deposit.reference, deposit.description) == (
        date(2024, 3, 5),
        25_000,
        "7788",
        "ERA PAYMENT",
    )


def test_posting_date_is_preferred_to_transaction_date() -> None:
    data = "Transaction Date,Posting Date,Amount\n03/01/2024,03/04/2024,10.00\n"

    assert read_deposits(data)[0].posted_on == date(2024, 3, 4)


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("1234.56", 123_456),
        ('"1,234.56"', 123_456),
        ('"$1,234.56"', 123_456),
        ("$ 7.5", 750),
        ("+0.01", 1),
        ("12", 1_200),
    ],
)
def test_amount_formats_are_read_to_the_cent(text: str, cents: int) -> None:
    [deposit] = read_deposits(f"Date,Amount\n2024-03-05,{text}\n")

    assert deposit.amount_cents == cents


@pytest.mark.parametrize("text", ["(12.00)", "-12.00", "12.00-", '"($1,200.00)"', "-$3.10", "0.00"])
def test_withdrawals_and_zero_amounts_are_skipped(text: str) -> None:
    data = f"Date,Amount,Description\n2024-03-05,{text},FEE\n2024-03-06,5.00,DEPOSIT\n"

    assert [d.description for d in read_deposits(data)] == ["DEPOSIT"]


def test_debit_column_rows_are_skipped_and_credits_kept() -> None:
    data = (
        "Date,Description,Debit,Credit,Balance\n"
        "03/01/2024,RENT,2000.00,,8000.00\n"
        '03/02/2024,HCCLAIMPMT BCBS TRN*1*555*1,,"1,500.25",9500.25\n'
    )

    deposits = read_deposits(data)

    assert [(d.posted_on, d.amount_cents) for d in deposits] == [(date(2024, 3, 2), 150_025)]


def test_rows_marked_as_debits_are_skipped() -> None:
    data = "Date,Amount,Type,Memo\n2024-03-01,40.00,DEBIT,CARD FEE\n2024-03-01,60.00,Credit,DEP\n2024-03-02,9.00,DR,X\n"

    assert [d.description for d in read_deposits(data)] == ["DEP"]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2024-03-05", date(2024, 3, 5)),
        ("03/05/2024", date(2024, 3, 5)),
        ("3/5/2024", date(2024, 3, 5)),
        ("3/5/24", date(2024, 3, 5)),
    ],
)
def test_date_formats(text: str, day: date) -> None:
    assert read_deposits(f"Date,Amount\n{text},1.00\n")[0].posted_on == day


@pytest.mark.parametrize("bad", ["2024-13-01", "05.03.2024", "02/30/2024", "yesterday", ""])
def test_bad_date_names_the_file_line_and_column(bad: str) -> None:
    data = f"Posting Date,Amount\n2024-03-04,1.00\n{bad},2.00\n"

    with pytest.raises(FormatError) as caught:
        read_deposits(data, source="march.csv")

    assert caught.value.code == "format_error"
    assert caught.value.message.startswith("march.csv, line 3, column 'Posting Date': ")
    assert "use YYYY-MM-DD or MM/DD/YYYY" in caught.value.message


@pytest.mark.parametrize("bad", ["12.345", "abc", "1.2.3"])
def test_bad_amount_names_the_file_line_and_column(bad: str) -> None:
    data = f"Date,Credit\n\n2024-03-04,{bad}\n"

    with pytest.raises(FormatError) as caught:
        read_deposits(data, source="march.csv")

    assert caught.value.message.startswith("march.csv, line 3, column 'Credit': ")


def test_missing_amount_in_a_signed_amount_column_is_an_error() -> None:
    with pytest.raises(FormatError) as caught:
        read_deposits("Date,Amount\n2024-03-04,\n")

    assert "line 2, column 'Amount': the amount is missing" in caught.value.message


def test_file_without_a_recognised_header_is_refused() -> None:
    with pytest.raises(FormatError) as caught:
        read_deposits("When,How Much\n2024-03-04,1.00\n", source="odd.csv")

    assert caught.value.message.startswith("odd.csv: no header row with a date column")


def test_preamble_above_the_header_and_blank_lines_are_skipped_and_lines_counted() -> None:
    data = "Account: Operating ****1234\nPeriod: March 2024\n\nDate,Amount\n2024-03-04,1.00\n\n2024-03-05,x\n"

    with pytest.raises(FormatError) as caught:
        read_deposits(data)

    assert "line 7, column 'Amount'" in caught.value.message


def test_bytes_with_a_utf8_bom_or_windows_1252_are_read() -> None:
    utf8 = "\ufeffDate,Amount,Memo\n2024-03-04,1.00,CAFÉ\n".encode()
    cp1252 = "Date,Amount,Memo\n2024-03-04,1.00,CAFÉ\n".encode("cp1252")

    assert read_deposits(utf8)[0].description == "CAFÉ"
    assert read_deposits(cp1252)[0].description == "CAFÉ"


def test_importing_the_same_rows_twice_gives_the_same_ids_whatever_the_file_name() -> None:
    data = "Date,Amount,Description\n2024-03-04,1.00,DEP\n2024-03-04,1.00,DEP\n2024-03-05,2.00,DEP\n"

    first = read_deposits(data, source="a.csv")
    again = read_deposits(data.encode(), source="b.csv")

    assert [d.id for d in first] == [d.id for d in again]
    assert len({d.id for d in first}) == 3  # identical rows in one file stay distinct


def test_overlapping_export_repeats_the_ids_of_the_rows_it_shares() -> None:
    march = read_deposits("Date,Amount,Memo\n2024-03-30,5.00,A\n2024-03-31,6.00,B\n")
    overlap = read_deposits("Date,Amount,Memo\n2024-03-31,6.00,B\n2024-04-01,7.00,C\n")

    assert march[1].id == overlap[0].id
    assert march[0].id != overlap[1].id


def test_quoted_description_with_commas_and_a_newline_is_one_row() -> None:
    data = 'Date,Amount,Description\n2024-03-04,1.00,"HCCLAIMPMT, ACME\nTRN*1*9*1"\n2024-03-05,zz,X\n'

    with pytest.raises(FormatError) as caught:
        read_deposits(data)

    assert "line 4" in caught.value.message
