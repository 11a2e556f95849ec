"""Sending batches over SFTP when the network fails: a real loopback sshd behind a fault-injecting proxy.

A batch that did not reach the server whole stays built with its claims queued, is retried with the policy's
delays (recorded, not slept), and a later send delivers it once: one complete file, no partial upload left, the
batch sent once and each claim submitted once.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import paramiko
import pytest

from medbill.adapters.clearinghouse.sftp import SftpClearinghouse
from medbill.domain.claim_records import BatchStatus, ClaimBatchRecord
from medbill.domain.claim_states import ClaimEvent, ClaimStatus
from medbill.domain.errors import ClearinghouseError, HostKeyRejected
from medbill.services import batches, claims, submission
from medbill.services import clearinghouse as exchange
from medbill.services.ports import FileStatus
from medbill.services.retry import RetryPolicy, is_transient
from tests.integration.claims_support import OPTIONS, covered_encounter
from tests.integration.sftp_server import HOST, SftpServer, fingerprint_of, free_port, sftp, sftp_server
from tests.integration.tcp_faults import DropAfter, FaultProxy, Forward, Refuse, Stall
from tests.support import Practice

__all__ = ["sftp", "sftp_server"]  # fixtures

BATCH_ENTITY = "claim_batch"


@dataclass
class Pauses:
    """The injected sleep: records each delay and what the server's outbound folder held at that moment."""

    folder: Path
    delays: list[float] = field(default_factory=list)
    seen: list[dict[str, bytes]] = field(default_factory=list)

    def sleep(self, seconds: float) -> None:
        self.delays.append(seconds)
        self.seen.append({p.name: p.read_bytes() for p in sorted(self.folder.iterdir())})

    def policy(self, attempts: int = 3) -> RetryPolicy:
        return RetryPolicy(
            attempts=attempts, base_delay_seconds=0.25, factor=4.0, max_delay_seconds=1.0, sleep=self.sleep
        )


@dataclass
class Queued:
    """The practice with two claims in one built batch, and the batch's bytes."""

    practice: Practice
    batch: ClaimBatchRecord
    content: bytes

    def batch_now(self) -> ClaimBatchRecord:
        with self.practice.container.deps.uow() as uow:
            return uow.claim_batches.get(self.practice.biller.practice_id, self.batch.id)

    def claim_states(self) -> list[ClaimStatus]:
        return sorted(c.status for c in claims.list_claims(self.practice.container.deps, self.practice.biller))

    def submits(self) -> list[int]:
        """How many times each claim was submitted."""
        deps, biller = self.practice.container.deps, self.practice.biller
        listed = claims.list_claims(deps, biller)
        return [sum(h.event is ClaimEvent.SUBMIT for h in claims.get_claim(deps, biller, c.id).history) for c in listed]

    def attempt_rows(self) -> list[str]:
        with self.practice.container.deps.uow() as uow:
            rows = uow.audit.list(self.practice.biller.practice_id, entity_type=BATCH_ENTITY, entity_id=self.batch.id)
        return [r.detail for r in reversed(rows) if r.detail.startswith("send attempt")]

    def outbound_files(self) -> list[tuple[str, FileStatus]]:
        listed = exchange.list_files(self.practice.container.deps, self.practice.biller, direction="outbound")
        return [(f.remote_name, f.status) for f in listed]

    def send(self, mailbox: SftpClearinghouse, policy: RetryPolicy) -> list[submission.SentBatch]:
        return submission.send_batches(self.practice.container.deps, self.practice.biller, mailbox, retry=policy)


@pytest.fixture
def queued(practice: Practice) -> Queued:
    deps = practice.container.deps
    second = covered_encounter(practice, last_name="Birch", on=date(2026, 11, 19))
    claims.build_claims(deps, practice.biller, [covered_encounter(practice), second])
    claims.scrub_claims(deps, practice.biller)
    batches.batch_claims(deps, practice.biller, options=OPTIONS)
    with deps.uow() as uow:
        (batch,) = uow.claim_batches.list(practice.biller.practice_id)
        content = uow.claim_batches.content(practice.biller.practice_id, batch.id)
    return Queued(practice, batch, content)


@dataclass(frozen=True)
class Marks:
    """Client-to-server byte counts of one healthy upload session, at the steps that matter."""

    before_upload: int  # the temporary file is about to be opened
    before_rename: int  # the upload is complete and checked
    after_rename: int  # the rename request has reached the server (and its answer come back)

    @property
    def mid_upload(self) -> int:
        return (self.before_upload + self.before_rename) // 2


def rehearse(server: SftpServer, remote_name: str, data: bytes, monkeypatch: pytest.MonkeyPatch) -> Marks:
    """Upload ``data`` once through a healthy proxy, straight through the adapter, to learn where each step falls in
    the client's byte stream; the file is removed again. An SSH session's packets have the same sizes every time
    for the same names and bytes (curve25519, ed25519, a block cipher), so the counts hold for the real run."""
    marks: dict[str, int] = {}
    with FaultProxy(server.port) as proxy, monkeypatch.context() as patch:
        sent = lambda: proxy.connections[-1].upstream  # noqa: E731
        real_open, real_rename = paramiko.SFTPClient.open, paramiko.SFTPClient.rename

        def open_(self: paramiko.SFTPClient, filename: str, mode: str = "r", bufsize: int = -1) -> Any:
            if "w" in mode:
                marks["before_upload"] = sent()
            return real_open(self, filename, mode, bufsize)

        def rename(self: paramiko.SFTPClient, oldpath: str, newpath: str) -> None:
            marks["before_rename"] = sent()
            real_rename(self, oldpath, newpath)
            marks["after_rename"] = sent()

        patch.setattr(paramiko.SFTPClient, "open", open_)
        patch.setattr(paramiko.SFTPClient, "rename", rename)
        SftpClearinghouse(server.config(port=proxy.port)).send(remote_name, data)
    (server.outbound / remote_name).unlink()
    return Marks(**marks)


def hidden(seen: dict[str, bytes]) -> list[str]:
    return [name for name in seen if name.startswith(".")]


def visible(seen: dict[str, bytes]) -> dict[str, bytes]:
    return {name: data for name, data in seen.items() if not name.startswith(".")}


def on_disk(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_the_retry_policy_gives_exponential_delays_capped_and_jitter_only_when_asked() -> None:
    policy = RetryPolicy(attempts=5, base_delay_seconds=0.5, factor=3.0, max_delay_seconds=5.0)
    assert policy.delays() == [0.5, 1.5, 4.5, 5.0]
    jittered = RetryPolicy(attempts=3, base_delay_seconds=2.0, factor=2.0, jitter=0.5, random=lambda: 0.5)
    assert jittered.delays() == [1.5, 3.0]  # half of each delay drawn at random: 1 + 1 * 0.5, 2 + 2 * 0.5
    assert is_transient(ClearinghouseError("x", code="clearinghouse_unreachable"))
    assert not is_transient(ClearinghouseError("x", code="clearinghouse_auth_failed"))
    assert not is_transient(HostKeyRejected("x"))


@pytest.mark.parametrize("down", ["proxy closes at once", "proxy resets at once", "nothing listening"])
def test_an_unreachable_server_leaves_the_batch_queued_after_the_retries_and_a_later_send_delivers_it(
    queued: Queued, sftp: SftpServer, down: str
) -> None:
    pauses = Pauses(sftp.outbound)
    with FaultProxy(sftp.port) as proxy:
        proxy.always(Refuse(reset=down == "proxy resets at once"))
        port = free_port() if down == "nothing listening" else proxy.port
        started = time.monotonic()

        with pytest.raises(submission.BatchesNotSent) as failed:
            queued.send(SftpClearinghouse(sftp.config(port=port)), pauses.policy())

        assert time.monotonic() - started < 5
        assert failed.value.code == "clearinghouse_unreachable"
        assert failed.value.sent == []
        (unsent,) = failed.value.unsent
        assert (unsent.batch_id, unsent.file_name, unsent.code, unsent.attempts) == (
            queued.batch.id,
            queued.batch.file_name,
            "clearinghouse_unreachable",
            3,
        )
        assert f"{HOST}:{port}" in unsent.reason
        assert pauses.delays == [0.25, 1.0]
        assert len(proxy.connections) == (0 if down == "nothing listening" else 3)
        assert queued.batch_now().status is BatchStatus.BUILT
        assert queued.batch_now().clearinghouse_file_id is None
        assert queued.claim_states() == [ClaimStatus.QUEUED, ClaimStatus.QUEUED]
        assert queued.outbound_files() == []  # no file archived as sent (nor left "sending")
        assert queued.attempt_rows() == [
            "send attempt 1 of 3 to test-sftp failed (clearinghouse_unreachable); retrying in 0.25 s",
            "send attempt 2 of 3 to test-sftp failed (clearinghouse_unreachable); retrying in 1 s",
            "send attempt 3 of 3 to test-sftp failed (clearinghouse_unreachable); stays queued",
        ]
        assert on_disk(sftp.outbound) == {}

        proxy.always(Forward())
        sent = queued.send(SftpClearinghouse(sftp.config(port=proxy.port)), pauses.policy())

    assert [(s.batch_id, s.claims) for s in sent] == [(queued.batch.id, 2)]
    assert on_disk(sftp.outbound) == {queued.batch.file_name: queued.content}
    assert queued.batch_now().status is BatchStatus.SENT
    assert queued.claim_states() == [ClaimStatus.SUBMITTED, ClaimStatus.SUBMITTED]
    assert queued.submits() == [1, 1]
    assert queued.outbound_files() == [(queued.batch.file_name, FileStatus.SENT)]
    assert pauses.delays == [0.25, 1.0]  # the later send went through at once


def test_a_connection_dropped_mid_upload_is_retried_and_the_file_arrives_once_and_whole(
    queued: Queued, sftp: SftpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = queued.batch.file_name
    marks = rehearse(sftp, name, queued.content, monkeypatch)
    pauses = Pauses(sftp.outbound)
    with FaultProxy(sftp.port) as proxy:
        proxy.then(DropAfter(marks.mid_upload))

        sent = queued.send(SftpClearinghouse(sftp.config(port=proxy.port)), pauses.policy())

        assert [c.cut for c in proxy.connections] == [True, False]
        assert proxy.connections[0].upstream == marks.mid_upload
    assert pauses.delays == [0.25]
    (between,) = pauses.seen
    assert visible(between) == {}  # nothing the clearinghouse would pick up after the drop …
    (partial,) = hidden(between)  # … only the hidden, partial upload
    assert partial.startswith(f".{name}.") and partial.endswith(".part")
    assert len(between[partial]) < len(queued.content)
    assert [(s.batch_id, s.claims) for s in sent] == [(queued.batch.id, 2)]
    assert on_disk(sftp.outbound) == {name: queued.content}  # one complete copy, byte for byte; no temporary files
    assert queued.attempt_rows() == [
        "send attempt 1 of 3 to test-sftp failed (clearinghouse_unreachable); retrying in 0.25 s"
    ]
    assert queued.batch_now().status is BatchStatus.SENT
    assert queued.claim_states() == [ClaimStatus.SUBMITTED, ClaimStatus.SUBMITTED]
    assert queued.submits() == [1, 1]
    assert queued.outbound_files() == [(name, FileStatus.SENT)]


def test_a_connection_dropped_after_the_rename_is_not_uploaded_again(
    queued: Queued, sftp: SftpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = queued.batch.file_name
    marks = rehearse(sftp, name, queued.content, monkeypatch)
    pauses = Pauses(sftp.outbound)
    with FaultProxy(sftp.port) as proxy:
        proxy.then(DropAfter(marks.after_rename, after_answer=True))  # the server renames; we never hear

        sent = queued.send(SftpClearinghouse(sftp.config(port=proxy.port)), pauses.policy())

        assert [c.cut for c in proxy.connections] == [True, False]
    (between,) = pauses.seen
    assert between == {name: queued.content}  # the first attempt did deliver it, without knowing
    inode = (sftp.outbound / name).stat().st_ino
    assert [(s.batch_id, s.claims) for s in sent] == [(queued.batch.id, 2)]
    assert on_disk(sftp.outbound) == {name: queued.content}
    assert (sftp.outbound / name).stat().st_ino == inode  # the retry found it in place and uploaded nothing
    assert queued.attempt_rows() == [
        "send attempt 1 of 3 to test-sftp failed (clearinghouse_unreachable); retrying in 0.25 s"
    ]
    assert queued.batch_now().status is BatchStatus.SENT
    assert queued.submits() == [1, 1]
    assert queued.outbound_files() == [(name, FileStatus.SENT)]  # the "sending" row of the first attempt, now sent


def test_a_drop_on_every_attempt_leaves_the_batch_queued_and_a_later_send_delivers_it_once(
    queued: Queued, sftp: SftpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = queued.batch.file_name
    marks = rehearse(sftp, name, queued.content, monkeypatch)
    pauses = Pauses(sftp.outbound)
    with FaultProxy(sftp.port) as proxy:
        proxy.always(DropAfter(marks.mid_upload, reset=True))

        with pytest.raises(submission.BatchesNotSent) as failed:
            queued.send(SftpClearinghouse(sftp.config(port=proxy.port)), pauses.policy())

        assert [(u.batch_id, u.code, u.attempts) for u in failed.value.unsent] == [
            (queued.batch.id, "clearinghouse_unreachable", 3)
        ]
        assert pauses.delays == [0.25, 1.0]
        assert [visible(seen) for seen in pauses.seen] == [{}, {}]
        assert len(hidden(on_disk(sftp.outbound))) == 3  # three partial uploads, all hidden
        assert visible(on_disk(sftp.outbound)) == {}
        assert queued.batch_now().status is BatchStatus.BUILT
        assert queued.claim_states() == [ClaimStatus.QUEUED, ClaimStatus.QUEUED]
        assert queued.outbound_files() == []
        assert len(queued.attempt_rows()) == 3

        proxy.always(Forward())
        sent = queued.send(SftpClearinghouse(sftp.config(port=proxy.port)), pauses.policy())

    assert [(s.batch_id, s.claims) for s in sent] == [(queued.batch.id, 2)]
    assert on_disk(sftp.outbound) == {name: queued.content}  # the partial uploads were swept away
    assert queued.batch_now().status is BatchStatus.SENT
    assert queued.claim_states() == [ClaimStatus.SUBMITTED, ClaimStatus.SUBMITTED]
    assert queued.submits() == [1, 1]
    assert queued.outbound_files() == [(name, FileStatus.SENT)]
    assert queued.send(SftpClearinghouse(sftp.config(port=proxy.port)), pauses.policy()) == []


@pytest.mark.parametrize("where", ["before the SSH banner", "mid-upload"])
def test_a_stalled_server_is_bounded_by_the_timeouts(
    queued: Queued, sftp: SftpServer, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    name = queued.batch.file_name
    after = 0 if where == "before the SSH banner" else rehearse(sftp, name, queued.content, monkeypatch).mid_upload
    pauses = Pauses(sftp.outbound)
    with FaultProxy(sftp.port) as proxy:
        proxy.then(Stall(after=after))
        config = sftp.config(port=proxy.port, connect_timeout_seconds=0.5, operation_timeout_seconds=1.0)
        started = time.monotonic()

        sent = queued.send(SftpClearinghouse(config), pauses.policy())

        took = time.monotonic() - started
        assert [c.cut for c in proxy.connections] == [True, False]
    assert took < 5
    assert pauses.delays == [0.25]
    assert [(s.batch_id, s.claims) for s in sent] == [(queued.batch.id, 2)]
    assert on_disk(sftp.outbound) == {name: queued.content}
    assert queued.attempt_rows() == [
        "send attempt 1 of 3 to test-sftp failed (clearinghouse_unreachable); retrying in 0.25 s"
    ]
    assert queued.submits() == [1, 1]


def test_a_rejected_host_key_is_not_retried(queued: Queued, sftp: SftpServer) -> None:
    other = fingerprint_of("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl")
    pauses = Pauses(sftp.outbound)

    with pytest.raises(submission.BatchesNotSent) as failed:
        queued.send(SftpClearinghouse(sftp.config(host_key_fingerprint=other)), pauses.policy())

    assert failed.value.code == "host_key_rejected"
    assert [(u.code, u.attempts) for u in failed.value.unsent] == [("host_key_rejected", 1)]
    assert pauses.delays == []
    assert queued.attempt_rows() == ["send attempt 1 of 3 to test-sftp failed (host_key_rejected); stays queued"]
    assert queued.batch_now().status is BatchStatus.BUILT
    assert queued.claim_states() == [ClaimStatus.QUEUED, ClaimStatus.QUEUED]
