"""The `medbill` command line as a person types it: migrate, create users and tokens, build the demo, serve."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

MEDBILL = str(Path(sys.executable).parent / "medbill")


def run(
    *args: str, url: str, check: bool = True, extra_env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MEDBILL_DATABASE_URL": url, **(extra_env or {})}
    if url.startswith("sqlite:///"):  # the sandbox payer's mailbox lives beside the test's database
        env.setdefault("MEDBILL_SANDBOX_DIR", str(Path(url.removeprefix("sqlite:///")).parent / "sandbox"))
    done = subprocess.run([MEDBILL, *args], env=env, capture_output=True, text=True, timeout=300, cwd=cwd)
    if check:
        assert done.returncode == 0, done.stderr + done.stdout
    return done


def test_upgrade_users_and_tokens_from_the_command_line(database_url: str) -> None:
    run("db", "upgrade", url=database_url)
    practice = json.loads(run("practices", "create", "--name", "CLI Clinic", "--json", url=database_url).stdout)
    run(
        "users",
        "create",
        "--username",
        "alice",
        "--role",
        "biller",
        url=database_url,
        extra_env={"MEDBILL_NEW_PASSWORD": "a long password"},
    )
    token = json.loads(run("tokens", "create", "--username", "alice", "--json", url=database_url).stdout)
    assert token["token"].startswith("mbt_")
    duplicate = run(
        "users",
        "create",
        "--username",
        "alice",
        "--role",
        "biller",
        url=database_url,
        check=False,
        extra_env={"MEDBILL_NEW_PASSWORD": "a long password"},
    )
    assert duplicate.returncode == 1
    assert duplicate.stderr.strip() == "error: username: that username is taken"
    bad_role = run(
        "users",
        "create",
        "--username",
        "bob",
        "--role",
        "chef",
        "--practice",
        practice["id"],
        url=database_url,
        check=False,
        extra_env={"MEDBILL_NEW_PASSWORD": "a long password"},
    )
    assert bad_role.returncode == 1
    assert "role: 'chef' is not one of: admin, biller, coder, front_desk, viewer" in bad_role.stderr


def test_upgrade_fails_in_one_line_on_an_unreachable_database(tmp_path: Path) -> None:
    done = run("db", "upgrade", url="postgresql+psycopg://nobody@127.0.0.1:1/none", check=False)
    assert done.returncode == 1
    assert done.stderr.startswith("error: could not migrate the database: OperationalError")
    assert len(done.stderr.strip().splitlines()) <= 2


def test_demo_builds_once_and_reports_a_summary(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    first = json.loads(
        run("demo", "--no-serve", "--patients", "40", "--json", "--edi-out", str(tmp_path / "edi"), url=url).stdout
    )
    assert (first["created"], first["patients"], first["users"]) == (
        True,
        40,
        ["admin", "biller", "coder", "frontdesk"],
    )
    # through sshd when one can be started here (root, openssh-server, a mailbox it can chroot at), else the folder
    assert first["transport"] in {"sftp", "directory"}
    # the demo is seeded: the same practice, charges and payer answers every time
    assert (first["coverages"], first["encounters"], first["total_charges"]) == (46, 35, "6464.00")
    assert (first["claims"], first["claims_batched"], first["claims_held"]) == (35, 30, 5)
    # the primaries' 835s are posted and bill 4 secondaries, which go out and are answered in a second round
    assert first["claim_states"] == {
        "paid": 14,
        "partially_paid": 14,
        "rejected": 2,
        "scrubbed": 5,
        "secondary_billed": 4,
    }
    assert (first["remittances_posted"], first["secondary_claims"], first["work_queues"]) == (
        5,
        4,
        {"denial": 16, "rejection": 2},
    )
    assert first["statements"] == 20  # one per guarantor owing $5.00 or more after insurance
    assert first["ledger"] == {
        "charge": "6464.00",
        "contractual_adjustment": "1407.71",
        "denial": "1062.00",  # kept as data: still owed by the payers until the denials are worked
        "payer_payment": "543.58",
        "transfer_to_insurance": "210.15",
        "transfer_to_patient": "2538.86",
    }
    # tomorrow's 24 appointments: every coverage in force checked through the sandbox payer (270 out, 271 back)
    assert (first["eligibility_tomorrow"], first["estimates_tomorrow"]) == ({"active": 28}, 24)
    kinds = sorted({f.name.split("_", 1)[0] for f in (tmp_path / "edi").iterdir()})
    assert kinds == ["270", "271", "277CA", "835", "837P", "999"]
    again = json.loads(run("demo", "--no-serve", "--json", url=url).stdout)
    assert (again["created"], again["practice_id"]) == (False, first["practice_id"])
    text = run("demo", "--no-serve", url=url).stdout
    assert "biller / medbill-demo" in text
    day = json.loads(run("appointments", "list", "--date", "tomorrow", "--json", url=url).stdout)
    assert len(day["appointments"]) == first["appointments_tomorrow"] == 24
    starts = [a["starts_at"] for a in day["appointments"]]
    assert starts == sorted(starts)
    account = day["appointments"][0]["account_number"]
    made = run(
        "appointments",
        "create",
        "--patient",
        account,
        "--at",
        f"{day['date']}T20:00:00+00:00",
        "--provider",
        "0000000000",
        "--visit-type",
        "established",
        url=url,
        check=False,
    )
    assert (made.returncode, made.stderr.strip()) == (1, "error: no provider with NPI 0000000000 in this practice")
    first_id = day["appointments"][0]["id"]
    priced = json.loads(run("estimate", first_id, "--json", url=url).stdout)
    assert priced["appointment_id"] == first_id
    assert Decimal(priced["patient_visit"]) + Decimal(priced["insurance"]) <= sum(
        Decimal(line["charge"]) for line in priced["lines"]
    )
    # the total adds what the patient still owes from earlier visits, less unapplied credit (from the 271 now)
    owed = Decimal(priced["patient_visit"]) + Decimal(priced["prior_balance"]) - Decimal(priced["credits"])
    assert Decimal(priced["patient_total"]) == max(Decimal(0), owed)
    assert priced["benefits_source"] == "271"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_serve_answers_on_loopback(database_url: str) -> None:
    run("db", "upgrade", url=database_url)
    port = _free_port()
    env = {**os.environ, "MEDBILL_DATABASE_URL": database_url}
    server = subprocess.Popen(
        [MEDBILL, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        assert response.json()["info"]["title"] == "medbill"
        assert httpx.get(f"http://127.0.0.1:{port}/api/v1/me", timeout=2).status_code == 401
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_x12_commands_run_from_the_installed_script(tmp_path: Path) -> None:
    sample = Path(__file__).parents[1] / "fixtures" / "x12" / "835" / "botsedi__835-denial.dat"
    ok = subprocess.run([MEDBILL, "x12", "validate", str(sample)], capture_output=True, text=True, timeout=120)
    assert (ok.returncode, ok.stdout.strip()) == (0, f"{sample}: OK, 1 transaction set(s)")
    parsed = subprocess.run(
        [MEDBILL, "x12", "parse", str(sample), "--json"], capture_output=True, text=True, timeout=120
    )
    assert [t["type"] for t in json.loads(parsed.stdout)["transactions"]] == ["835"]
    broken = tmp_path / "broken.x12"
    broken.write_text("ISA*00*not really")
    failed = subprocess.run([MEDBILL, "x12", "validate", str(broken)], capture_output=True, text=True, timeout=120)
    assert failed.returncode == 1
