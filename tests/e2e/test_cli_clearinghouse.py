"""`medbill clearinghouse send|poll` and `medbill claims status` as an operator types them, on a folder mailbox
named in MEDBILL_CLEARINGHOUSE_CONFIG and on the default sandbox payer."""

from __future__ import annotations

import json
from datetime import date, time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from medbill.bootstrap import Container
from medbill.cli.app import app
from medbill.domain.acknowledgements import InterchangeAckCode, InterchangeAcknowledgement
from medbill.formats import x12
from medbill.services import batches, claims
from tests.integration.claims_support import OPTIONS, covered_encounter
from tests.support import Practice, seed_practice


def batched(p: Practice) -> None:
    covered_encounter(p)
    claims.build_claims(p.container.deps, p.biller)
    claims.scrub_claims(p.container.deps, p.biller)
    batches.batch_claims(p.container.deps, p.biller, options=OPTIONS)


@pytest.fixture
def env(sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MEDBILL_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("MEDBILL_CLOCK_AT", "2026-11-26T15:30:00+00:00")
    monkeypatch.setenv("MEDBILL_SANDBOX_DIR", str(tmp_path / "sandbox"))
    return tmp_path


def run(*args: str) -> dict[str, object]:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_send_poll_and_status_through_a_configured_folder_mailbox(
    sqlite_container: Container, env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    batched(seed_practice(sqlite_container))
    config = env / "clearinghouses.toml"
    config.write_text(
        f'[acme-dir]\ntransport = "directory"\noutbound_dir = "{env / "out"}"\ninbound_dir = "{env / "in"}"\n'
        "create_folders = true\n"
    )
    monkeypatch.setenv("MEDBILL_CLEARINGHOUSE_CONFIG", str(config))

    sent = run("clearinghouse", "send", "--json")
    assert sent == {
        "mailbox": "acme-dir",
        "sent": [{"batch_id": sent["sent"][0]["batch_id"], "file_name": "837P_ACME1_000000001.x12", "claims": 1}],  # type: ignore[index]
    }
    asked = run("claims", "status", "--days", "0", "--json")
    assert asked == {
        "mailbox": "acme-dir",
        "requests": [{"payer": "ACME1", "file_name": "276_ACME1_000000002.x12", "claims": ["C00000018"]}],
    }
    assert sorted(p.name for p in (env / "out").iterdir()) == ["276_ACME1_000000002.x12", "837P_ACME1_000000001.x12"]

    ta1 = InterchangeAcknowledgement(
        control_number="000000001",
        date=date(2026, 11, 26),
        time=time(15, 30),
        code=InterchangeAckCode.REJECTED,
        note_code="024",
    )
    envelope = x12.Envelope(
        sender_id="ACME1",
        receiver_id="471234567",
        interchange_control_number=9,
        group_control_number=9,
        created=sqlite_container.deps.clock.now(),
    )
    (env / "in" / "reply.ta1").write_text(x12.write_ta1([ta1], envelope))
    polled = CliRunner().invoke(app, ["clearinghouse", "poll", "--every", "1", "--times", "2", "--json"])
    assert polled.exit_code == 0, polled.output
    first, second = (json.loads(line) for line in polled.stdout.splitlines())
    assert first == {
        "mailbox": "acme-dir",
        "files": {"TA1": 1},
        "moves": {"reject": 1},
        "rejections_queued": 1,
        "remittances_posted": 0,
        "unmatched": [],
        "problems": [],
    }
    assert (second["files"], second["moves"]) == ({}, {})  # each file is taken in once


def test_poll_without_a_configuration_asks_the_sandbox_payer(sqlite_container: Container, env: Path) -> None:
    batched(seed_practice(sqlite_container))
    assert CliRunner().invoke(app, ["clearinghouse", "send"]).exit_code == 0
    result = CliRunner().invoke(app, ["clearinghouse", "poll"])
    assert result.exit_code == 0, result.output
    # the default sandbox plays no payer ACME1: the 277CA returns the claim (A3:116) and it waits on the queue
    assert result.stdout.strip() == "sandbox: 1 277CA, 1 999; 1 reject; 1 on the rejection queue"
    unknown = CliRunner().invoke(app, ["clearinghouse", "poll", "--mailbox", "nowhere"])
    assert unknown.exit_code == 1
    assert "no clearinghouse connection called 'nowhere'" in unknown.output
