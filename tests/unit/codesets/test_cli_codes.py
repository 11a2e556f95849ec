"""`medbill codes …`: the JSON contracts of show and search, failures with one line and a non-zero exit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from medbill.cli.app import app

runner = CliRunner()


def _json(args: list[str]) -> dict[str, object]:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


@pytest.mark.parametrize("code", ["E11.9", "E119"])
def test_show_json_has_the_contract_fields(code: str) -> None:
    out = _json(["codes", "show", code, "--date", "2026-11-01", "--json"])
    assert {k: out[k] for k in ("code", "system", "title", "billable", "valid_on_date", "edition")} == {
        "code": "E11.9",
        "system": "ICD-10-CM",
        "title": "Type 2 diabetes mellitus without complications",
        "billable": True,
        "valid_on_date": True,
        "edition": "FY2027",
    }


@pytest.mark.parametrize(
    ("code", "date", "billable", "valid", "edition"),
    [
        ("D69.11", "2026-05-01", True, False, "FY2027"),
        ("D69.11", "2026-10-01", True, True, "FY2027"),
        ("D69.1", "2026-09-30", True, True, "FY2026-April"),
        ("D69.1", "2026-10-01", False, False, "FY2027"),
        ("S52.501", "2026-05-01", False, False, "FY2026-April"),
    ],
)
def test_show_answers_for_the_date_of_service(code: str, date: str, billable: bool, valid: bool, edition: str) -> None:
    out = _json(["codes", "show", code, "--date", date, "--json"])
    assert (out["billable"], out["valid_on_date"], out["edition"]) == (billable, valid, edition)


def test_show_of_a_hcpcs_and_a_cpt_code_names_the_system() -> None:
    hcpcs = _json(["codes", "show", "J3490", "--json"])
    cpt = _json(["codes", "show", "99213", "--json"])
    assert (hcpcs["system"], hcpcs["title"], hcpcs["billable"]) == ("HCPCS", "Drugs unclassified injection", True)
    assert (cpt["system"], cpt["billable"]) == ("CPT", True)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("E99.9", "error: unknown_code: E99.9 is not an ICD-10-CM code in any loaded edition\n"),
        ("E1I.9", "error: malformed_code: malformed ICD-10-CM code 'E1I.9': character 3 is the letter 'I'"),
        ("99999", "error: unknown_code: 99999 is not a CPT code number"),
    ],
)
def test_show_of_a_bad_code_exits_non_zero_with_one_line(code: str, message: str) -> None:
    result = runner.invoke(app, ["codes", "show", code, "--json"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(message)
    assert result.stderr.count("\n") == 1


def test_show_refuses_a_bad_date() -> None:
    result = runner.invoke(app, ["codes", "show", "E11.9", "--date", "2026-13-01"])
    assert result.exit_code == 2
    assert "--date '2026-13-01' is not a date" in result.stderr


def test_search_json_has_the_contract_shape() -> None:
    out = _json(["codes", "search", "type 2 diabetes with neuropathy", "--json", "--limit", "3"])
    results = out["results"]
    assert isinstance(results, list)
    assert len(results) == 3
    assert results[0]["code"] == "E11.40"
    assert set(results[0]) >= {"code", "title", "billable", "score"}
    assert [r["score"] for r in results] == sorted((r["score"] for r in results), reverse=True)


def test_em_by_mdm_in_json() -> None:
    out = _json(
        [
            "codes",
            "em",
            "--patient",
            "established",
            "--problems",
            "moderate",
            "--data",
            "limited",
            "--risk",
            "moderate",
            "--json",
        ]
    )
    assert (out["code"], out["method"], out["mdm_level"]) == ("99214", "mdm", "moderate")


def test_em_without_input_fails_with_a_reason() -> None:
    result = runner.invoke(app, ["codes", "em", "--patient", "new"])
    assert result.exit_code == 1
    assert "give the total time in minutes or the three MDM elements" in result.stderr


@pytest.mark.parametrize(
    ("code_set", "code", "description"),
    [("pos", "11", "Office"), ("carc", "45", "Charge exceeds"), ("rarc", "N130", "Consult plan")],
)
def test_ref_looks_up_reference_lists(code_set: str, code: str, description: str) -> None:
    out = _json(["codes", "ref", code_set, code, "--json"])
    assert out["results"][0]["code"] == code  # type: ignore[index]
    assert out["results"][0]["description"].startswith(description)  # type: ignore[index]


def test_mue_prints_the_practitioner_limit() -> None:
    assert _json(["codes", "mue", "99213", "--json"])["max_units"] == 2


def test_suggest_reads_a_note_file(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("Follow-up of essential hypertension. Denies chest pain.\n")
    out = _json(["codes", "suggest", str(note), "--json"])
    codes = [s["code"] for s in out["suggestions"]]  # type: ignore[attr-defined]
    assert codes[0] == "I10"
    assert "R07.9" not in codes


def test_em_counts_data_items_when_no_data_level_is_given() -> None:
    out = _json(
        [
            "codes",
            "em",
            "--patient",
            "established",
            "--problems",
            "moderate",
            "--results",
            "2",
            "--orders",
            "1",
            "--risk",
            "low",
            "--json",
        ]
    )
    assert (out["code"], out["reasons"][0]) == ("99214", "data counted: 3 document/result/order item(s) → moderate")  # type: ignore[index]
