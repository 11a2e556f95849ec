"""Exchanging files with a clearinghouse: send one, poll for answers (each fetched once), and the archive of both.

Every file that leaves or arrives is archived (bytes, sha256, direction, transport, time) before anything else
relies on it, so it can be downloaded again. What "fetched already" means is the archive's unique key: the
mailbox, the direction, the remote name and the content hash. A file whose name comes back with other bytes is
new and is fetched again; the same bytes under the same name never are.

The order of a send: archive as ``sending`` and commit, upload, mark ``sent``. If the transport reports a clean
failure the ``sending`` row is removed (nothing was sent); if it reports that the file may have arrived, or the
process dies mid-way, the row stays ``sending`` so that someone checks the mailbox before sending it again. A
resumed send (``resume=True``, what batches use) does that check itself: it sends the same bytes again under the
same remote name, and the transport, which never overwrites, finds them delivered or puts them in place.

The order of a poll, per file: fetch, archive as ``received`` and commit, then ``confirm_fetched`` (which deletes
remotely only when the transport is configured to).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta

from medbill.domain.audit import AuditAction
from medbill.domain.errors import ClearinghouseError, Conflict, MedbillError, ValidationError
from medbill.domain.fields import new_id
from medbill.domain.users import Actor, Permission
from medbill.services.base import Deps, record_audit
from medbill.services.ports import (
    Clearinghouse,
    ClearinghouseFile,
    FileDirection,
    FileStatus,
    RemoteFile,
    UnitOfWork,
)

# Sending to and polling a clearinghouse is billing work (admin, biller).
EXCHANGE = Permission.CLAIMS_SUBMIT
READ = Permission.PATIENT_READ  # the files hold PHI: reading one is audited like reading a patient

ENTITY = "clearinghouse_file"
MAX_NAME = 255
# A listed file whose name, size and modification time match one fetched at least this long after that time was
# already complete when we fetched it: it is skipped without downloading it again.
SETTLED = timedelta(seconds=2)
# How many of the newest outbound files a resumed send looks through for an earlier send of the same bytes.
RESUME_LOOKBACK = 1000

_X12_KINDS = {
    "837": {"005010X222A1": "837P", "005010X223A2": "837I", "005010X224A2": "837D"},
    "277": {"005010X214": "277CA", "005010X212": "277"},
}


@dataclass(frozen=True, slots=True, kw_only=True)
class ArchivedFile:
    """An archived file with its bytes."""

    file: ClearinghouseFile
    content: bytes


def check_remote_name(name: str, field: str = "name") -> str:
    """A bare file name: no folders, no leading dot (hidden and temporary files are ours), no control characters."""
    if not name or len(name) > MAX_NAME:
        raise ValidationError(f"a file name is 1 to {MAX_NAME} characters", field=field)
    if "/" in name or "\\" in name or name.startswith(".") or any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        raise ValidationError(
            "a file name has no folder part, does not start with a dot and has no control characters", field=field
        )
    return name


def x12_kind(data: bytes) -> str | None:
    """The kind of X12 file (``837P``, ``999``, ``277CA``, ``835``, ``TA1`` …) from its first ST (or TA1) segment."""
    head = data[:8192].lstrip(b"\xef\xbb\xbf \r\n\t")
    if not head.startswith(b"ISA") or len(head) < 106:
        return None
    element, terminator = head[3:4], head[105:106]
    ta1 = False
    for segment in head.split(terminator)[1:]:
        fields = segment.strip().split(element)
        tag = fields[0].decode("ascii", "replace")
        if tag == "TA1":
            ta1 = True
        elif tag == "ST" and len(fields) > 1:
            set_id = fields[1].decode("ascii", "replace")
            version = fields[3].decode("ascii", "replace") if len(fields) > 3 else ""
            return _X12_KINDS.get(set_id, {}).get(version, set_id)[:8]
    return "TA1" if ta1 else None


def send_file(
    deps: Deps,
    actor: Actor,
    clearinghouse: Clearinghouse,
    name: str,
    data: bytes,
    kind: str | None = None,
    *,
    permission: Permission = EXCHANGE,
    resume: bool = False,
    then: Callable[[UnitOfWork, ClearinghouseFile], None] | None = None,
) -> ClearinghouseFile:
    """Send ``data`` to the mailbox's outbound side under the name its naming pattern gives ``name``; archived.
    ``permission``: what the caller's verb needs (an eligibility 270 is front-desk work, not claim submission).

    ``resume`` is for a file that must reach the mailbox once and whose bytes say which it is (an 837 batch: its
    interchange control number is never reused): an earlier send of the same bytes to this mailbox is taken up
    again. One archived as sent is not sent again; one left ``sending`` (its outcome unknown) is sent again under
    its first remote name, which the transport never overwrites (SFTP takes the same bytes found there as
    delivered), and a failure leaves it ``sending``. ``then(uow, file)`` runs in the transaction that archives the
    file as sent, so what depends on the delivery (a batch marked sent, its claims submitted) happens exactly once.
    """
    actor.require(permission)
    check_remote_name(name)
    if not data:
        raise ValidationError("an empty file is not sent", field="data")
    digest = hashlib.sha256(data).hexdigest()
    earlier = None
    if resume:
        with deps.uow() as uow:
            earlier = _earlier_send(uow, actor, clearinghouse, name, digest)
    if earlier is not None and earlier.status is FileStatus.SENT:
        if then is not None:
            with deps.uow() as uow:
                then(uow, earlier)
                uow.commit()
        return earlier
    record = earlier or _archive_sending(deps, actor, clearinghouse, name, data, kind, digest)
    try:
        with clearinghouse:
            clearinghouse.send(record.remote_name, data)
    except MedbillError as exc:  # the transport's refusals; anything else leaves the outcome unknown
        # A file taken up again stays "sending" whatever this attempt did: the earlier one may have delivered it.
        maybe_delivered = earlier is not None or (isinstance(exc, ClearinghouseError) and exc.maybe_delivered)
        with deps.uow() as uow:
            if not maybe_delivered:
                uow.clearinghouse_files.remove(actor.practice_id, record.id)
            outcome = "may have arrived; check the mailbox" if maybe_delivered else "not sent"
            record_audit(uow, deps, actor, AuditAction.CREATE, ENTITY, None, f"send failed ({exc.code}): {outcome}")
            uow.commit()
        raise
    sent = replace(record, status=FileStatus.SENT)
    with deps.uow() as uow:
        uow.clearinghouse_files.set_status(actor.practice_id, record.id, FileStatus.SENT)
        record_audit(uow, deps, actor, AuditAction.CREATE, ENTITY, record.id, _detail("sent", record))
        if then is not None:
            then(uow, sent)
        uow.commit()
    return sent


def _archive_sending(
    deps: Deps, actor: Actor, clearinghouse: Clearinghouse, name: str, data: bytes, kind: str | None, digest: str
) -> ClearinghouseFile:
    """Archive the file as ``sending`` under the remote name the mailbox gives it, and commit, before any upload."""
    remote_name = check_remote_name(clearinghouse.outbound_name(name), "remote_name")
    record = ClearinghouseFile(
        id=new_id(),
        practice_id=actor.practice_id,
        mailbox=clearinghouse.name,
        transport=clearinghouse.transport,
        direction=FileDirection.OUTBOUND,
        status=FileStatus.SENDING,
        remote_name=remote_name,
        x12_kind=kind or x12_kind(data),
        sha256=digest,
        size_bytes=len(data),
        created_at=deps.clock.now(),
    )
    try:
        with deps.uow() as uow:
            uow.clearinghouse_files.add(record, data)
            uow.commit()
    except Conflict as exc:
        raise Conflict(
            f"this file was already sent to {clearinghouse.name} as {remote_name}; nothing was sent again"
        ) from exc
    return record


def _earlier_send(
    uow: UnitOfWork, actor: Actor, clearinghouse: Clearinghouse, name: str, digest: str
) -> ClearinghouseFile | None:
    """The outbound file with these bytes archived for this mailbox, if any: looked up by the name the pattern gives
    (exact when the pattern has no timestamp or unique part), else among the newest outbound files."""
    files = uow.clearinghouse_files
    guess = clearinghouse.outbound_name(name)
    found = files.find(actor.practice_id, clearinghouse.name, FileDirection.OUTBOUND, guess, digest)
    if found is not None:
        return found
    newest = files.list(actor.practice_id, direction=FileDirection.OUTBOUND, limit=RESUME_LOOKBACK)
    return next((f for f in newest if f.mailbox == clearinghouse.name and f.sha256 == digest), None)


def poll(
    deps: Deps,
    actor: Actor,
    clearinghouse: Clearinghouse,
    *,
    kinds: Collection[str] | None = None,
    permission: Permission = EXCHANGE,
) -> Sequence[ArchivedFile]:
    """Fetch every file waiting on the inbound side that was not fetched before; returns the new ones, archived.

    A failure part-way keeps what was archived before it (a next poll goes on from there) and raises. With ``kinds``
    (``{"271"}``), files of other kinds are left in the mailbox, neither archived nor confirmed, for their own poller.
    """
    actor.require(permission)
    fetched: list[ArchivedFile] = []
    with clearinghouse:
        listing = [f for f in clearinghouse.list_inbound() if _listable(f.name)]
        with deps.uow() as uow:
            known = uow.clearinghouse_files.received(actor.practice_id, clearinghouse.name, [f.name for f in listing])
        for remote in sorted(listing, key=lambda f: (f.modified_at is None, f.modified_at, f.name)):
            if not any(_settled_copy(remote, k) for k in known):
                data = clearinghouse.fetch(remote.name)
                if kinds is not None and x12_kind(data) not in kinds:
                    continue
                archived = _archive_received(deps, actor, clearinghouse, remote, data)
                if archived is not None:
                    fetched.append(archived)
            clearinghouse.confirm_fetched(remote.name)  # archived now or before: a configured cleanup may run
    return fetched


def archived_file(deps: Deps, actor: Actor, file_id: str) -> ArchivedFile:
    """An archived file and its bytes, to download again (the read is audited)."""
    actor.require(READ)
    with deps.uow() as uow:
        file = uow.clearinghouse_files.get(actor.practice_id, file_id)
        content = uow.clearinghouse_files.content(actor.practice_id, file_id)
        record_audit(uow, deps, actor, AuditAction.READ, ENTITY, file_id, f"{file.direction.value} file downloaded")
        uow.commit()
    return ArchivedFile(file=file, content=content)


def mark_processed(deps: Deps, actor: Actor, file_id: str) -> None:
    """An inbound file has been taken in (its 835 posted by hand or by a job): the next poll leaves it alone."""
    actor.require(READ)
    with deps.uow() as uow:
        file = uow.clearinghouse_files.get(actor.practice_id, file_id)
        if file.direction is FileDirection.INBOUND and file.status is FileStatus.RECEIVED:
            uow.clearinghouse_files.set_status(actor.practice_id, file_id, FileStatus.PROCESSED)
            uow.commit()


def list_files(
    deps: Deps, actor: Actor, *, direction: str | None = None, limit: int = 100, offset: int = 0
) -> Sequence[ClearinghouseFile]:
    """The archive, newest first (listing columns only)."""
    actor.require(READ)
    wanted = None
    if direction is not None:
        try:
            wanted = FileDirection(direction)
        except ValueError:
            raise ValidationError("is outbound or inbound", field="direction") from None
    if not 1 <= limit <= 1000 or offset < 0:
        raise ValidationError("limit is 1 to 1000 and offset is not negative", field="limit")
    with deps.uow() as uow:
        return uow.clearinghouse_files.list(actor.practice_id, direction=wanted, limit=limit, offset=offset)


def _listable(name: str) -> bool:
    try:
        check_remote_name(name)
    except ValidationError:
        return False
    return True


def _settled_copy(remote: RemoteFile, known: ClearinghouseFile) -> bool:
    """``known`` is this very file: same name, size and time, and it had stopped changing when it was fetched."""
    return (
        known.remote_name == remote.name
        and remote.size is not None
        and remote.modified_at is not None
        and known.remote_size == remote.size
        and known.remote_modified_at == remote.modified_at
        and remote.modified_at + SETTLED <= known.created_at
    )


def _archive_received(
    deps: Deps, actor: Actor, clearinghouse: Clearinghouse, remote: RemoteFile, data: bytes
) -> ArchivedFile | None:
    """Archive a fetched file unless the same bytes under the same name are archived already (then None)."""
    digest = hashlib.sha256(data).hexdigest()
    record = ClearinghouseFile(
        id=new_id(),
        practice_id=actor.practice_id,
        mailbox=clearinghouse.name,
        transport=clearinghouse.transport,
        direction=FileDirection.INBOUND,
        status=FileStatus.RECEIVED,
        remote_name=remote.name,
        x12_kind=x12_kind(data),
        sha256=digest,
        size_bytes=len(data),
        created_at=deps.clock.now(),
        remote_size=remote.size,
        remote_modified_at=remote.modified_at,
    )
    try:
        with deps.uow() as uow:
            files = uow.clearinghouse_files
            if files.find(actor.practice_id, clearinghouse.name, FileDirection.INBOUND, remote.name, digest):
                return None
            files.add(record, data)
            record_audit(uow, deps, actor, AuditAction.CREATE, ENTITY, record.id, _detail("received", record))
            uow.commit()
    except Conflict:
        return None  # another poller archived the same file a moment ago
    return ArchivedFile(file=record, content=data)


def _detail(verb: str, file: ClearinghouseFile) -> str:
    kind = file.x12_kind or "file"
    return f"{verb} {kind} via {file.transport} mailbox {file.mailbox} ({file.size_bytes} bytes, sha256 {file.sha256[:12]})"
