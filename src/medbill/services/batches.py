"""Claim batches: scrubbed claims into one 837 file per receiver and kind (837P professional, 837I institutional),
with persistent control numbers, kept and queued.

A claim with an error finding stays out of the batch. Forcing it in takes the admin role and leaves an audit row per
forced claim naming the rules it broke. Each batch's interchange (ISA13) and group (GS06) control numbers come from
counters per trading partner that only move forward, so a number is never sent twice to the same receiver. The file
is kept with the batch; every claim in it gets a snapshot (its document as sent) and moves to queued.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from medbill.domain.audit import AuditAction
from medbill.domain.claim_records import ClaimBatchRecord, ClaimRecord, ClaimSnapshot
from medbill.domain.claim_states import ClaimEvent, ClaimStatus, ClaimTransition
from medbill.domain.claims import ClaimBatch, ClaimKind, Contact, EntityType, NamedEntity
from medbill.domain.errors import PermissionDenied, ValidationError
from medbill.domain.identifiers import validate_phone
from medbill.domain.parties import Payer, Practice
from medbill.domain.users import Actor, Role
from medbill.formats.x12 import Envelope, write_837
from medbill.services.base import Deps, record_audit
from medbill.services.claim_build import x12_text
from medbill.services.claims import READ, WRITE, Progress, build_claims, no_progress, scrub_claims, store_transitions
from medbill.services.ports import ClaimQuery, UnitOfWork

ENTITY = "claim_batch"


# The 005010X222A1 and X223A2 guides recommend (front matter, on batch size) keeping a transaction set (ST-SE) to 5,000
# CLM segments at most; clearinghouses reject bigger ones. One 837 file holds one transaction set here.
MAX_CLAIMS_PER_FILE = 5000


@dataclass(frozen=True, slots=True, kw_only=True)
class BatchOptions:
    """Who the submitter is on the 837 (1000A) and in ISA06; the practice's own details when left empty."""

    submitter_id: str | None = None  # ISA06 / 1000A NM109: the practice's TIN, else its NPI
    contact_name: str | None = None  # 1000A PER02: the practice's name
    contact_phone: str | None = None  # 1000A PER04: the practice's phone
    usage: str = "P"  # ISA15: P production, T test
    force: tuple[str, ...] = ()  # claim ids to batch despite error findings (admin only)
    claims_per_file: int = MAX_CLAIMS_PER_FILE  # a payer's claims beyond this go to further files


@dataclass(frozen=True, slots=True, kw_only=True)
class BuiltBatch:
    batch: ClaimBatchRecord
    claims: tuple[ClaimRecord, ...]
    path: Path | None = None  # where the file was written, when asked


@dataclass(frozen=True, slots=True, kw_only=True)
class BatchResult:
    batches: tuple[BuiltBatch, ...] = ()
    held: tuple[ClaimRecord, ...] = ()  # scrubbed claims kept out for their error findings


def _submitter(practice: Practice, options: BatchOptions) -> tuple[str, NamedEntity]:
    sender = (options.submitter_id or practice.tin or practice.npi or "").strip().upper()
    if not sender or len(sender) > 15 or not sender.isalnum():
        raise ValidationError(
            "the submitter ID (ISA06) is 1 to 15 letters or digits: give the practice a TIN or an NPI, or pass one",
            field="submitter_id",
        )
    phone = options.contact_phone or practice.phone
    if not phone:
        raise ValidationError(
            "the 837's submitter contact (1000A PER) needs a phone number: give the practice a phone, or pass one",
            field="contact_phone",
        )
    entity = NamedEntity(
        role="41",
        entity_type=EntityType.ORGANIZATION,
        name=x12_text(practice.name),
        id_qualifier="46",
        identifier=sender,
        contacts=(
            Contact(
                function="IC",
                name=x12_text(options.contact_name or practice.name),
                numbers=(("TE", validate_phone(phone, field="contact_phone")),),
            ),
        ),
    )
    return sender, entity


def _receiver(payer: Payer) -> NamedEntity:
    return NamedEntity(
        role="40",
        entity_type=EntityType.ORGANIZATION,
        name=x12_text(payer.name),
        id_qualifier="46",
        identifier=payer.payer_id,
    )


def _ready(
    uow: UnitOfWork, deps: Deps, actor: Actor, force: Sequence[str], payer_id: str | None = None
) -> tuple[list[ClaimRecord], list[ClaimRecord]]:
    """(claims to batch, claims held back): scrubbed claims (of one payer, when named), those with error findings
    only when forced."""
    pid = actor.practice_id
    query = ClaimQuery(statuses=(ClaimStatus.SCRUBBED,), payer_id=payer_id, limit=1_000_000)
    scrubbed = uow.claims.find(pid, query)
    by_id = {c.id: c for c in scrubbed}
    for index, claim_id in enumerate(force):
        if claim_id not in by_id:
            status = uow.claims.get(pid, claim_id).status.value
            raise ValidationError(
                f"only a scrubbed claim can be batched; this one is {status}", field=f"force[{index}]"
            )
    ready: list[ClaimRecord] = []
    held: list[ClaimRecord] = []
    for claim in scrubbed:
        blocking = claim.blocking_findings
        if not blocking:
            ready.append(claim)
        elif claim.id in force:
            rules = ",".join(sorted({f.rule for f in blocking}))
            record_audit(
                uow, deps, actor, AuditAction.FORCE, "claim", claim.id, f"forced into a batch despite errors: {rules}"
            )
            ready.append(claim)
        else:
            held.append(claim)
    return ready, held


def batch_claims(
    deps: Deps,
    actor: Actor,
    *,
    options: BatchOptions | None = None,
    out_dir: Path | None = None,
    on_progress: Progress = no_progress,
    payer_id: str | None = None,
) -> BatchResult:
    """One 837 file per payer and kind (and per ``claims_per_file`` claims, 5,000 at most) for every scrubbed claim
    without error findings (or forced); claims become queued. ``payer_id``: only that payer's claims (a background
    job batches each payer in a chunk of its own; each payer's interchange numbers are its own counter)."""
    actor.require(WRITE)
    options = options or BatchOptions()
    if options.force and actor.role is not Role.ADMIN:
        raise PermissionDenied("forcing a claim with errors into a batch takes the admin role")
    if options.usage not in ("P", "T"):
        raise ValidationError("usage is P (production) or T (test)", field="usage")
    if payer_id is not None and options.force:
        raise ValidationError("force claims into a batch of all payers, not of one", field="force")
    if not 1 <= options.claims_per_file <= MAX_CLAIMS_PER_FILE:
        raise ValidationError(f"a file holds 1 to {MAX_CLAIMS_PER_FILE} claims", field="claims_per_file")
    if out_dir is not None and not out_dir.is_dir():
        raise ValidationError("is not a folder", field="out_dir")
    built: list[BuiltBatch] = []
    files: list[tuple[Path, bytes]] = []
    with deps.uow() as uow:
        pid = actor.practice_id
        ready, held = _ready(uow, deps, actor, options.force, payer_id)
        if not ready:
            uow.commit()  # the audit rows of forced claims, if any
            return BatchResult(held=tuple(held))
        practice = uow.practices.get(pid)
        sender, submitter = _submitter(practice, options)
        payers = {p.id: p for p in uow.payers.list(pid)}
        groups: dict[tuple[str, ClaimKind], list[ClaimRecord]] = {}
        for claim in sorted(ready, key=lambda c: c.patient_control_number):
            groups.setdefault((claim.payer_id, claim.document.kind), []).append(claim)
        files_of = [
            (key, part[start : start + options.claims_per_file])
            for key, part in sorted(groups.items(), key=lambda item: (payers[item[0][0]].payer_id, item[0][1]))
            for start in range(0, len(part), options.claims_per_file)
        ]
        now = deps.clock.now()
        done = 0
        for (payer_id, kind), claims in files_of:
            payer = payers[payer_id]
            receiver = payer.payer_id
            icn = uow.counters.next(pid, f"isa:{receiver}")
            gcn = uow.counters.next(pid, f"gs:{receiver}")
            document = ClaimBatch(
                kind=kind,
                reference=f"{icn:09d}",  # BHT03
                created=now.date(),
                created_time=now.strftime("%H%M"),
                submitter=submitter,
                receiver=_receiver(payer),
                claims=tuple(c.document for c in claims),
            )
            envelope = Envelope(
                sender_id=sender,
                receiver_id=receiver,
                interchange_control_number=icn,
                group_control_number=gcn,
                created=now,
                usage=options.usage,
            )
            content = write_837([document], envelope).encode("ascii")
            record = ClaimBatchRecord(
                practice_id=pid,
                kind=kind,
                payer_id=payer_id,
                sender_id=sender,
                receiver_id=receiver,
                receiver_name=payer.name,
                file_name=f"{kind.value}_{receiver}_{icn:09d}.x12",
                interchange_control_number=icn,
                group_control_number=gcn,
                claim_count=len(claims),
                total_charge_cents=sum(c.total_charge_cents for c in claims),
                sha256=hashlib.sha256(content).hexdigest(),
                size_bytes=len(content),
                created_at=now,
                created_by=actor.username,
            )
            uow.claim_batches.add(record, content)
            record_audit(
                uow, deps, actor, AuditAction.CREATE, ENTITY, record.id, f"payer={payer_id} claims={len(claims)}"
            )
            moves: list[tuple[ClaimRecord, ClaimTransition]] = []
            for claim in claims:
                moved, transition = claim.moved(
                    ClaimEvent.QUEUE, at=now, actor=actor.username, reason=f"batch {record.file_name}"
                )
                moves.append((replace(moved, batch_id=record.id), transition))
            # written in bulk: the moves (findings stay as they are), then each claim's document as sent, copied
            # from the claim's stored document (the one just written into the file) by the database
            store_transitions(uow, deps, actor, moves, findings=False)
            uow.claims.snapshot_as_sent(
                [
                    ClaimSnapshot(
                        practice_id=pid,
                        claim_id=claim.id,
                        batch_id=record.id,
                        patient_control_number=claim.patient_control_number,
                        total_charge_cents=claim.total_charge_cents,
                        taken_at=now,
                        document="",
                    )
                    for claim in claims
                ]
            )
            queued = [moved for moved, _ in moves]
            done += len(claims)
            on_progress(done, len(ready))
            path = out_dir / record.file_name if out_dir is not None else None
            if path is not None:
                files.append((path, content))
            built.append(BuiltBatch(batch=record, claims=tuple(queued), path=path))
        uow.commit()
    for path, content in files:  # after the commit: a file on disk always has its batch in the database
        path.write_bytes(content)
    return BatchResult(batches=tuple(built), held=tuple(held))


def list_batches(deps: Deps, actor: Actor, *, limit: int = 100, offset: int = 0) -> Sequence[ClaimBatchRecord]:
    actor.require(READ)
    with deps.uow() as uow:
        return uow.claim_batches.list(actor.practice_id, limit=limit, offset=offset)


def get_batch_file(deps: Deps, actor: Actor, batch_id: str) -> tuple[ClaimBatchRecord, bytes]:
    """A batch and its 837 bytes; the file holds PHI, so reading it is audited."""
    actor.require(READ)
    with deps.uow() as uow:
        batch = uow.claim_batches.get(actor.practice_id, batch_id)
        content = uow.claim_batches.content(actor.practice_id, batch_id)
        record_audit(uow, deps, actor, AuditAction.READ, ENTITY, batch.id, f"file={batch.file_name}")
        uow.commit()
    return batch, content


@dataclass(frozen=True, slots=True, kw_only=True)
class BillingRun:
    """What one pass of build → scrub → batch did."""

    built: int
    scrubbed: int
    held: int
    batched: int
    files: tuple[ClaimBatchRecord, ...]


def bill_unbilled(
    deps: Deps, actor: Actor, *, options: BatchOptions | None = None, out_dir: Path | None = None
) -> BillingRun:
    """The whole step after coding, for every encounter not billed yet: build, scrub, batch what is clean."""
    built = build_claims(deps, actor)
    scrubbed = scrub_claims(deps, actor)
    result = batch_claims(deps, actor, options=options, out_dir=out_dir)
    return BillingRun(
        built=len(built.created),
        scrubbed=len(scrubbed),
        held=len(result.held),
        batched=sum(b.batch.claim_count for b in result.batches),
        files=tuple(b.batch for b in result.batches),
    )
