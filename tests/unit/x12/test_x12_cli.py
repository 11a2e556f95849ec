"""`medbill x12 parse --json` and `medbill x12 validate`: the JSON contracts and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from medbill.cli.app import app
from tests.unit.x12.x12_helpers import FIXTURES, REMIT_BODY, build

runner = CliRunner()


def test_parse_json_gives_an_835_per_the_contract(tmp_path: Path) -> None:
    path = tmp_path / "remit.835"
    path.write_text(build(REMIT_BODY))
    result = runner.invoke(app, ["x12", "parse", str(path), "--json"])
    assert result.exit_code == 0, result.output
    (t,) = json.loads(result.stdout)["transactions"]
    assert (t["type"], t["control_number"]) == ("835", "0001")
    assert (t["payment"]["amount"], t["payment"]["method"], t["payment"]["trace_number"]) == (
        "150.50",
        "ACH",
        "EFT0001",
    )
    (claim,) = t["claims"]
    assert {
        k: claim[k] for k in ("claim_id", "status", "charge", "paid", "patient_responsibility", "payer_claim_number")
    } == {
        "claim_id": "PCN-0001",
        "status": "1",
        "charge": "250.00",
        "paid": "160.50",
        "patient_responsibility": "20.00",
        "payer_claim_number": "PAYERCLM01",
    }
    first = claim["lines"][0]
    assert {k: first[k] for k in ("procedure", "modifiers", "charge", "paid", "units", "line_control_number")} == {
        "procedure": "99213",
        "modifiers": ["25"],
        "charge": "150.00",
        "paid": "100.50",
        "units": "1",
        "line_control_number": "LCN-0001-1",
    }
    assert first["adjustments"] == [
        {"group": "CO", "reason": "45", "amount": "29.50"},
        {"group": "PR", "reason": "2", "amount": "20.00"},
    ]
    assert claim["lines"][1]["remarks"] == ["N130"]
    assert t["provider_adjustments"] == [
        {"provider_id": "1234567893", "reason": "WO", "reference": "PCN-0000", "amount": "10.00"}
    ]


def test_parse_json_gives_an_837_per_the_contract() -> None:
    result = runner.invoke(app, ["x12", "parse", str(FIXTURES / "837P/x12types__005010_837.edi"), "--json"])
    assert result.exit_code == 0, result.output
    (t,) = json.loads(result.stdout)["transactions"]
    assert t["type"] == "837P"
    (claim,) = t["claims"]
    assert (claim["claim_id"], claim["total"]) == ("26463774", "100.00")
    assert [(x["procedure"], x["modifiers"], x["charge"], x["units"]) for x in claim["lines"]] == [
        ("99213", [], "40.00", "1"),
        ("87070", [], "15.00", "1"),
        ("99214", [], "35.00", "1"),
        ("86663", [], "10.00", "1"),
    ]


def test_parse_refuses_a_4010_file_with_one_line_and_exit_1() -> None:
    result = runner.invoke(app, ["x12", "parse", str(FIXTURES / "835/oopfactory__Example1.txt"), "--json"])
    assert result.exit_code == 1
    assert "4010" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_validate_passes_a_clean_file_with_exit_0() -> None:
    result = runner.invoke(app, ["x12", "validate", str(FIXTURES / "835/botsedi__dollars_data_separate.dat")])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("OK, 1 transaction set(s)")


def test_validate_lists_each_error_with_its_location_and_exits_1(tmp_path: Path) -> None:
    good = build(REMIT_BODY, REMIT_BODY)
    bad = good.replace("CAS*CO*45*40~", "CAS*CO*45*39~", 1).replace("SE*28*0002", "SE*27*0002")
    path = tmp_path / "bad.835"
    path.write_text(bad)
    result = runner.invoke(app, ["x12", "validate", str(path), "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False
    codes = [(e["code"], e["transaction"], e["segment_id"]) for e in report["errors"]]
    assert ("x12_count_mismatch", "0002", "SE") in codes
    assert ("x12_claim_out_of_balance", "0001", "CLP") in codes
    assert ("x12_line_out_of_balance", "0001", "SVC") in codes


def test_validate_reports_a_syntax_error_in_a_line_with_the_element() -> None:
    result = runner.invoke(app, ["x12", "validate", str(FIXTURES / "835/lfh-x12__secondary-payment.835")])
    assert result.exit_code == 1
    assert "segment 27 (SVC), element 1" in result.stdout


ALL_VALID = [
    "835/botsedi__dollars_data_separate.dat",
    "835/oopfactory__835_WithMultipleInterchanges.txt",
    "837P/x12types__005010_837.edi",
    "837I/lfh-x12__two-claims-single-provider.837i",
    "999/oopfactory__DHS_Wisconsin_Sample.txt",
    "277CA/imsweb__x12_277CA_rejected.txt",
    "TA1/oopfactory__TechnicalAcknowledgment_SampleFromJeffN825.txt",
    "276/lfh-x12__demo.276",
    "277/lfh-x12__demo.277",
]


@pytest.mark.parametrize("name", ALL_VALID)
def test_parse_json_gives_every_transaction_type_and_control_number(name: str) -> None:
    result = runner.invoke(app, ["x12", "parse", str(FIXTURES / name), "--json"])
    assert result.exit_code == 0, result.output
    transactions = json.loads(result.stdout)["transactions"]
    assert transactions and all(t["type"] == name.split("/")[0] and t["control_number"] for t in transactions)


def test_validate_flags_an_npi_with_a_wrong_check_digit(tmp_path: Path) -> None:
    from datetime import datetime

    from medbill.formats.x12 import Envelope
    from medbill.formats.x12.writer import write_837
    from tests.unit.x12.x12_helpers import claim_batch, professional_claim

    env = Envelope(
        sender_id="S",
        receiver_id="R",
        interchange_control_number=1,
        group_control_number=1,
        created=datetime(2026, 1, 1, 12, 0),
    )
    text = write_837([claim_batch([professional_claim()])], env).replace("*XX*1234567893~", "*XX*1234567890~")
    path = tmp_path / "claims.837"
    path.write_text(text)
    result = runner.invoke(app, ["x12", "validate", str(path), "--json"])
    assert result.exit_code == 1
    (error,) = json.loads(result.stdout)["errors"]
    assert (error["code"], error["segment_id"], error["element_position"]) == ("x12_invalid_npi", "NM1", 9)


def test_a_missing_file_gives_one_line_and_exit_1() -> None:
    for command in (["x12", "parse", "/nonexistent/file.x12", "--json"], ["x12", "validate", "/nonexistent/file.x12"]):
        result = runner.invoke(app, command)
        assert result.exit_code == 1
        assert len(result.stderr.strip().splitlines()) == 1 and "cannot read" in result.stderr


@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_validate_without_typer_prints_what_the_typer_command_prints(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], json_flag: list[str]
) -> None:
    from medbill.cli.x12_validate import fast_main

    path = tmp_path / "bad.835"
    path.write_text(build(REMIT_BODY).replace("CAS*CO*45*40~", "CAS*CO*45*39~", 1))
    through_typer = runner.invoke(app, ["x12", "validate", *json_flag, str(path)])
    code = fast_main(["validate", str(path), *json_flag])
    out = capsys.readouterr().out
    assert code == through_typer.exit_code == 1
    assert out == through_typer.stdout
    assert "claim PCN-0001: CLP03" in out


@pytest.mark.parametrize(
    "args",
    [
        ["validate"],
        ["validate", "--help"],
        ["validate", "a.x12", "b.x12"],
        ["validate", "--json", "--json", "a.x12"],
        ["validate", "--strict", "a.x12"],
        ["parse", "a.x12"],
    ],
)
def test_validate_forms_other_than_file_and_json_are_left_to_typer(args: list[str]) -> None:
    from medbill.cli.x12_validate import fast_main

    assert fast_main(args) is None


def test_the_installed_command_validates_without_importing_typer() -> None:
    sample = FIXTURES / "835/botsedi__dollars_data_separate.dat"
    code = (
        "import sys\n"
        f"sys.argv = ['medbill', 'x12', 'validate', {str(sample)!r}]\n"
        "from medbill.cli import main\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    print(exc.code, 'typer' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.splitlines()[-2:] == [f"{sample}: OK, 1 transaction set(s)", "0 False"], done.stderr
