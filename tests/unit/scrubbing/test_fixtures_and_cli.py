"""Real sample 837 files scrubbed end to end, and the `medbill scrub FILE [--json]` contract."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from medbill.cli.scrub import scrub
from medbill.formats import x12
from medbill.services.scrubbing import RULES, ScrubContext, scrub_batch, scrub_claims

FIXTURES = Path(__file__).parents[2] / "fixtures" / "x12"
READABLE = sorted(
    p
    for p in (*FIXTURES.glob("837P/*"), *FIXTURES.glob("837I/*"))
    if p.name not in {"imsweb__x12_valid.txt", "lfh-x12__demo.cob.example3.A.837", "lfh-x12__patient-is-subscriber.837"}
)
TODAY = date(2026, 5, 20)
APP = typer.Typer()
APP.command("scrub")(scrub)
APP.command("noop")(lambda: None)  # two commands, so "scrub" is a subcommand as under `medbill`
runner = CliRunner()


def _claims(path: Path) -> list[object]:
    return [c for t in x12.read(path.read_bytes()) for c in t.document.claims]  # type: ignore[union-attr]


def _found(name: str) -> list[tuple[str, list[tuple[str, int | None, str]]]]:
    results = scrub_batch(_claims(FIXTURES / name), ScrubContext(today=TODAY))  # type: ignore[arg-type]
    return [(c.patient_control_number, [(f.rule, f.line, f.severity.value) for f in fs]) for c, fs in results]


@pytest.mark.parametrize("path", READABLE, ids=[p.name for p in READABLE])
def test_every_readable_sample_837_scrubs_with_registered_rules_only(path: Path) -> None:
    results = scrub_claims(_claims(path), ScrubContext(today=TODAY))  # type: ignore[arg-type]
    assert results
    for findings in results.values():
        assert all(f.rule in RULES and f.message for f in findings)


def test_the_auto_accident_sample_has_a_short_zip_three_bad_npis_and_a_deleted_cpt() -> None:
    assert _found("837P/lfh-x12__demo.autoaccident.837") == [
        (
            "900000032",
            [
                ("completeness.billing_zip4", None, "error"),
                ("identifiers.npi_check_digit", None, "error"),
                ("identifiers.npi_check_digit", None, "error"),
                ("identifiers.npi_check_digit", None, "error"),
                ("codes.cpt_unknown", 1, "warning"),
            ],
        )
    ]


def test_the_institutional_sample_flags_its_second_claims_attending_provider() -> None:
    assert _found("837I/lfh-x12__two-claims-single-provider.837i") == [
        ("756048Q", [("completeness.billing_zip4", None, "error"), ("identifiers.npi_check_digit", None, "error")]),
        (
            "756049Q",
            [
                ("completeness.billing_zip4", None, "error"),
                ("identifiers.npi_check_digit", None, "error"),
                ("identifiers.npi_check_digit", None, "error"),
                ("identifiers.taxonomy_shape", None, "error"),
                ("codes.cpt_unknown", 1, "warning"),
            ],
        ),
    ]


def test_the_medicaid_sample_reuses_one_claim_id_five_times() -> None:
    found = _found("837P/oopfactory__MedicaidExample.txt")
    assert [cid for cid, _ in found] == ["9999"] * 5
    assert [sum(1 for r, _, _ in fs if r == "identifiers.duplicate_claim_id") for _, fs in found] == [0, 1, 1, 1, 1]
    assert ("codes.procedure_qualifier", 1, "error") in found[0][1]
    assert ("arithmetic.total_mismatch", None, "error") in found[0][1]


def test_json_output_follows_the_contract_and_exits_1_on_errors() -> None:
    result = runner.invoke(APP, ["scrub", str(FIXTURES / "837P/lfh-x12__demo.example7.837"), "--json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert list(data) == ["claims"]
    claim = data["claims"][0]
    assert claim["claim_id"] == "R03996273 #01"
    first = claim["findings"][0]
    assert {k: first[k] for k in ("rule", "severity", "line")} == {
        "rule": "completeness.billing_zip4",
        "severity": "error",
        "line": None,
    }
    assert first["location"] == "CMS-1500 box 33 / 837P 2010AA N3/N4"
    assert [(f["rule"], f["line"]) for f in claim["findings"] if f["line"] == 2] == [
        ("identifiers.npi_check_digit", 2),
        ("codes.modifier_unknown", 2),
    ]


def test_a_file_with_warnings_only_exits_0(tmp_path: Path) -> None:
    book = tmp_path / "rules.json"
    book.write_text('{"payers": {}}', encoding="utf-8")
    text = (FIXTURES / "837P/lfh-x12__demo.drug.example10.2.837").read_bytes()
    result = runner.invoke(APP, ["scrub", "--json", "--payer-rules", str(book), str(_write(tmp_path, text))])
    findings = json.loads(result.stdout)["claims"][0]["findings"]
    assert [(f["rule"], f["severity"]) for f in findings] == [
        ("completeness.billing_zip4", "error"),
        ("completeness.rendering_provider", "warning"),
    ]
    assert result.exit_code == 1
    fixed = text.replace(b"N4*Libertyville*IL*60048~", b"N4*Libertyville*IL*600481234~")
    result = runner.invoke(APP, ["scrub", "--json", str(_write(tmp_path, fixed))])
    assert result.exit_code == 0, result.stdout
    assert [f["rule"] for f in json.loads(result.stdout)["claims"][0]["findings"]] == [
        "completeness.rendering_provider"
    ]


def _write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "claims.837"
    path.write_bytes(data)
    return path


def test_human_output_groups_findings_by_claim() -> None:
    result = runner.invoke(APP, ["scrub", str(FIXTURES / "837I/lfh-x12__two-claims-single-provider.837i")])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "claim 756048Q (837I, 2 lines): 2 error(s), 0 warning(s)"
    assert "claim 756049Q (837I, 1 lines): 4 error(s), 1 warning(s)" in lines
    assert lines[-1] == "2 claim(s): 2 with errors, 0 ready to send"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("835/lfh-x12__demo.835", "holds no 837P or 837I claims (it holds 835)"),
        ("malformed/835_truncated.835", "is not a readable 837: interchange 000000101"),
        ("missing.837", "cannot read"),
    ],
)
def test_a_file_that_is_not_a_readable_837_exits_2_with_one_line(name: str, expected: str) -> None:
    result = runner.invoke(APP, ["scrub", "--json", str(FIXTURES / name)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert expected in result.stderr


def test_the_command_runs_in_its_own_process_without_a_database(tmp_path: Path) -> None:
    code = (
        "import typer; from medbill.cli.scrub import scrub; app = typer.Typer(); "
        "app.command('scrub')(scrub); app.command('noop')(lambda: None); app()"
    )
    path = FIXTURES / "837P/lfh-x12__demo.autoaccident.837"
    done = subprocess.run(
        [sys.executable, "-c", code, "scrub", str(path), "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env={
            "PATH": "/usr/bin:/bin",
            "MEDBILL_DATABASE_URL": "postgresql://nowhere.invalid/x",
            "HOME": str(Path.home()),
        },
        check=False,
    )
    assert done.returncode == 1, done.stderr
    data = json.loads(done.stdout)
    assert [f["rule"] for f in data["claims"][0]["findings"]][:2] == [
        "completeness.billing_zip4",
        "identifiers.npi_check_digit",
    ]
    assert not list(tmp_path.iterdir())  # no database file made
