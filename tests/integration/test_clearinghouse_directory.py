"""The local-folder transport and the archive's rules (fetched once, kept once, read with an audit row)."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Self

import pytest
from sqlalchemy import func, select

from medbill.adapters.clearinghouse.config import DirectoryConfig
from medbill.adapters.clearinghouse.directory import DirectoryClearinghouse
from medbill.adapters.db import tables as t
from medbill.domain.audit import AuditAction
from medbill.domain.errors import ClearinghouseError, Conflict, NotFound, PermissionDenied
from medbill.domain.users import Actor, Role
from medbill.services import clearinghouse as exchange
from medbill.services.ports import ClearinghouseFile, FileDirection, FileStatus, RemoteFile
from tests.support import FixedClock, Practice


def x12(set_id: str, version: str, control: str = "000000001") -> bytes:
    """A synthetic interchange with one empty transaction set (no PHI: the tests only move files)."""
    isa = (
        f"ISA*00*{'':10}*00*{'':10}*ZZ*{'CLEARINGHOUSE':15}*ZZ*{'TESTPRACTICE':15}*261126*1530*^*00501*{control}*0*T*:~"
    )
    return f"{isa}\nGS*HC*TP*CH*20261126*1530*1*X*{version}~\nST*{set_id}*0001*{version}~\nSE*2*0001~\nGE*1*1~\nIEA*1*{control}~\n".encode()


def folders(tmp_path: Path, **overrides: object) -> DirectoryClearinghouse:
    values: dict[str, object] = {
        "name": "local-drop",
        "outbound_dir": tmp_path / "out",
        "inbound_dir": tmp_path / "in",
        "create_folders": True,
    }
    values.update(overrides)
    return DirectoryClearinghouse(DirectoryConfig(**values))  # type: ignore[arg-type]


def counts(p: Practice) -> tuple[int, int, int]:
    with p.container.engine.connect() as conn:
        return (
            conn.execute(select(func.count()).select_from(t.clearinghouse_files)).scalar_one(),
            conn.execute(select(func.count()).select_from(t.clearinghouse_file_contents)).scalar_one(),
            conn.execute(select(func.count()).select_from(t.audit_events)).scalar_one(),
        )


def test_a_file_is_written_whole_under_its_final_name_and_archived(practice: Practice, tmp_path: Path) -> None:
    deps, biller = practice.container.deps, practice.biller
    claims = x12("837", "005010X223A2")

    sent = exchange.send_file(deps, biller, folders(tmp_path), "batch-1.x12", claims)

    assert sorted(os.listdir(tmp_path / "out")) == ["batch-1.x12"]
    assert (tmp_path / "out" / "batch-1.x12").read_bytes() == claims
    assert (sent.status, sent.transport, sent.x12_kind) == (FileStatus.SENT, "directory", "837I")
    assert exchange.archived_file(deps, biller, sent.id).content == claims


def test_an_existing_file_is_not_overwritten_and_the_same_file_is_not_sent_twice(
    practice: Practice, tmp_path: Path
) -> None:
    deps, biller = practice.container.deps, practice.biller
    mailbox = folders(tmp_path)
    exchange.send_file(deps, biller, mailbox, "batch-2.x12", b"first bytes")
    before = counts(practice)

    with pytest.raises(ClearinghouseError) as exists:
        exchange.send_file(deps, biller, mailbox, "batch-2.x12", b"other bytes")
    assert exists.value.code == "clearinghouse_conflict"
    assert (tmp_path / "out" / "batch-2.x12").read_bytes() == b"first bytes"
    assert counts(practice)[:2] == before[:2]
    assert sorted(os.listdir(tmp_path / "out")) == ["batch-2.x12"]

    (tmp_path / "out" / "batch-2.x12").unlink()  # the clearinghouse's client took it
    with pytest.raises(Conflict, match="already sent"):
        exchange.send_file(deps, biller, mailbox, "batch-2.x12", b"first bytes")
    assert os.listdir(tmp_path / "out") == []
    assert counts(practice)[:2] == before[:2]


def test_answers_are_fetched_once_and_kept_unless_cleanup_is_configured(
    practice: Practice, tmp_path: Path, clock: FixedClock
) -> None:
    deps, biller = practice.container.deps, practice.biller
    clock.current = datetime.now(UTC) + timedelta(minutes=1)
    mailbox = folders(tmp_path)
    inbound = tmp_path / "in"
    inbound.mkdir()
    (inbound / "remit.835").write_bytes(x12("835", "005010X221A1"))
    (inbound / "ta1.x12").write_bytes(
        x12("999", "005010X231A1").replace(b"GS*", b"TA1*000000001*261126*1530*A*000~GS*")
    )

    first = exchange.poll(deps, biller, mailbox)
    second = exchange.poll(deps, biller, mailbox)
    (inbound / "remit.835").write_bytes(b"corrected synthetic remittance")
    third = exchange.poll(deps, biller, mailbox)

    assert sorted((f.file.remote_name, f.file.x12_kind) for f in first) == [("remit.835", "835"), ("ta1.x12", "999")]
    assert second == []
    assert [(f.file.remote_name, f.content, f.file.x12_kind) for f in third] == [
        ("remit.835", b"corrected synthetic remittance", None)
    ]
    assert sorted(os.listdir(inbound)) == ["remit.835", "ta1.x12"]

    cleaning = folders(tmp_path, delete_after_fetch=True)
    assert exchange.poll(deps, biller, cleaning) == []  # nothing new, but what is archived is cleaned up
    assert os.listdir(inbound) == []
    assert len(exchange.list_files(deps, biller, direction="inbound")) == 3


def test_a_settled_file_is_not_read_again(practice: Practice, tmp_path: Path, clock: FixedClock) -> None:
    deps, biller = practice.container.deps, practice.biller
    reads: list[str] = []

    class Counting(DirectoryClearinghouse):
        def fetch(self, remote_name: str) -> bytes:
            reads.append(remote_name)
            return super().fetch(remote_name)

    box = tmp_path / "box"
    box.mkdir()
    mailbox = Counting(DirectoryConfig(name="local-drop", outbound_dir=box, inbound_dir=box))
    (box / "a.999").write_bytes(b"synthetic")
    settled = time.time() - 60
    os.utime(box / "a.999", (settled, settled))
    clock.current = datetime.now(UTC)

    exchange.poll(deps, biller, mailbox)
    exchange.poll(deps, biller, mailbox)
    os.utime(box / "a.999", (settled + 1, settled + 1))  # touched: read again, but the same bytes are not new
    assert exchange.poll(deps, biller, mailbox) == []

    assert reads == ["a.999", "a.999"]


def test_a_missing_folder_is_a_clear_error(practice: Practice, tmp_path: Path) -> None:
    mailbox = folders(tmp_path, create_folders=False)

    with pytest.raises(ClearinghouseError) as missing:
        exchange.poll(practice.container.deps, practice.biller, mailbox)

    assert missing.value.code == "clearinghouse_misconfigured"
    assert str(tmp_path / "out") in str(missing.value)


class Flaky:
    """A transport whose upload fails, either cleanly or so late that the file may have arrived."""

    name = "flaky"
    transport = "test"

    def __init__(self, *, maybe_delivered: bool) -> None:
        self.maybe_delivered = maybe_delivered

    def outbound_name(self, name: str) -> str:
        return name

    def send(self, remote_name: str, data: bytes) -> None:
        raise ClearinghouseError("flaky mailbox: the line dropped", maybe_delivered=self.maybe_delivered)

    def list_inbound(self) -> Sequence[RemoteFile]:
        return []

    def fetch(self, remote_name: str) -> bytes:
        raise AssertionError("not called")

    def confirm_fetched(self, remote_name: str) -> None:
        pass

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        pass


@pytest.mark.parametrize(("maybe_delivered", "kept"), [(False, []), (True, [FileStatus.SENDING])])
def test_a_failed_send_is_forgotten_unless_the_file_may_have_arrived(
    practice: Practice, maybe_delivered: bool, kept: list[FileStatus]
) -> None:
    deps, biller = practice.container.deps, practice.biller

    with pytest.raises(ClearinghouseError):
        exchange.send_file(deps, biller, Flaky(maybe_delivered=maybe_delivered), "batch-3.x12", b"synthetic")

    assert [f.status for f in exchange.list_files(deps, biller)] == kept
    with deps.uow() as uow:
        details = [e.detail for e in uow.audit.list(biller.practice_id, entity_type="clearinghouse_file")]
    assert details == [
        "send failed (clearinghouse_error): " + ("may have arrived; check the mailbox" if kept else "not sent")
    ]


def test_the_archive_keeps_a_file_once_by_its_unique_key(practice: Practice) -> None:
    deps = practice.container.deps
    file = ClearinghouseFile(
        id="f" * 32,
        practice_id=practice.biller.practice_id,
        mailbox="local-drop",
        transport="directory",
        direction=FileDirection.INBOUND,
        status=FileStatus.RECEIVED,
        remote_name="ack.999",
        x12_kind="999",
        sha256=hashlib.sha256(b"x").hexdigest(),
        size_bytes=1,
        created_at=datetime(2026, 11, 26, tzinfo=UTC),
    )
    with deps.uow() as uow:
        uow.clearinghouse_files.add(file, b"x")
        uow.commit()

    with pytest.raises(Conflict), deps.uow() as uow:
        uow.clearinghouse_files.add(ClearinghouseFile(**{**_fields(file), "id": "e" * 32}), b"x")
        uow.commit()

    assert counts(practice)[:2] == (1, 1)


def _fields(file: ClearinghouseFile) -> dict[str, object]:
    return {name: getattr(file, name) for name in file.__slots__}


def test_reading_an_archived_file_is_audited_and_scoped_to_the_practice(practice: Practice, tmp_path: Path) -> None:
    deps, biller = practice.container.deps, practice.biller
    sent = exchange.send_file(deps, biller, folders(tmp_path), "batch-4.x12", b"synthetic")

    exchange.archived_file(deps, biller, sent.id)
    outsider = Actor(user_id="u", username="outsider", practice_id="another-practice", role=Role.ADMIN)
    with pytest.raises(NotFound):
        exchange.archived_file(deps, outsider, sent.id)

    with deps.uow() as uow:
        events = uow.audit.list(biller.practice_id, entity_type="clearinghouse_file", entity_id=sent.id)
    assert sorted(e.action for e in events) == [AuditAction.CREATE, AuditAction.READ]


def test_only_billing_roles_send_or_poll_and_a_refusal_changes_nothing(practice: Practice, tmp_path: Path) -> None:
    deps = practice.container.deps
    front_desk = Actor(
        user_id=practice.biller.user_id, username="desk", practice_id=practice.biller.practice_id, role=Role.FRONT_DESK
    )
    before = counts(practice)

    with pytest.raises(PermissionDenied):
        exchange.send_file(deps, front_desk, folders(tmp_path), "batch-5.x12", b"synthetic")
    with pytest.raises(PermissionDenied):
        exchange.poll(deps, front_desk, folders(tmp_path))

    assert counts(practice) == before
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (x12("837", "005010X222A1"), "837P"),
        (x12("837", "005010X223A2"), "837I"),
        (x12("277", "005010X214"), "277CA"),
        (x12("277", "005010X212"), "277"),
        (x12("271", "005010X279A1"), "271"),
        (b"\xef\xbb\xbf" + x12("835", "005010X221A1"), "835"),
        (
            x12("999", "005010X231A1").split(b"\nGS*")[0] + b"\nTA1*000000001*261126*1530*R*022~\nIEA*0*000000001~",
            "TA1",
        ),
        (b"not an interchange", None),
    ],
)
def test_the_kind_of_an_x12_file_is_recognised(data: bytes, kind: str | None) -> None:
    assert exchange.x12_kind(data) == kind
