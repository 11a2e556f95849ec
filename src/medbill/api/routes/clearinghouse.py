"""A batch with its acknowledgements (TA1/999 on the file, 277CA/277 per claim), and the archive of every file
exchanged with a clearinghouse, to list and download again."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel

from medbill.api.deps import ActorDep, DepsDep
from medbill.api.routes.claims import X12, BatchOut
from medbill.domain.money import cents_to_str
from medbill.services import batch_tracking
from medbill.services import clearinghouse as archive
from medbill.services.ports import ClearinghouseFile

router = APIRouter(tags=["clearinghouse"])


class FileVerdictOut(BaseModel):
    kind: Literal["TA1", "999"]
    code: str  # A accepted, R rejected, P partially accepted, E accepted with errors …
    text: str  # in words, with the segment and element errors
    at: datetime


class BatchClaimOut(BaseModel):
    id: str
    claim_id: str  # CLM01
    status: str  # the claim's state now
    total: str
    payer_claim_number: str | None
    acknowledged_by: Literal["TA1", "999", "277CA", "277"] | None  # the latest answer about it
    acknowledgement: str  # that answer's event (accept, reject, pend, status) and words
    acknowledged_at: datetime | None
    rejection_open: bool  # waiting on the rejection queue


class BatchDetailOut(BaseModel):
    batch: BatchOut
    acknowledgements: list[FileVerdictOut]
    claims: list[BatchClaimOut]


@router.get("/batches/{batch_id}", response_model=BatchDetailOut)
def get_batch(batch_id: str, deps: DepsDep, actor: ActorDep) -> BatchDetailOut:
    """A batch, the TA1/999 verdicts on its file, and each claim in it with its acknowledgement state."""
    detail = batch_tracking.batch_detail(deps, actor, batch_id)
    return BatchDetailOut(
        batch=BatchOut.of(detail.batch),
        acknowledgements=[FileVerdictOut(kind=v.kind, code=v.code, text=v.text, at=v.at) for v in detail.verdicts],
        claims=[
            BatchClaimOut(
                id=c.claim.id,
                claim_id=c.claim.patient_control_number,
                status=c.claim.status.value,
                total=cents_to_str(c.claim.total_charge_cents),
                payer_claim_number=c.claim.payer_claim_number,
                acknowledged_by=c.source,
                acknowledgement=f"{c.event.value}: {c.reason}" if c.event else "",
                acknowledged_at=c.at,
                rejection_open=c.rejection_open,
            )
            for c in detail.claims
        ],
    )


class FileOut(BaseModel):
    id: str
    mailbox: str
    transport: str
    direction: Literal["outbound", "inbound"]
    status: Literal["sending", "sent", "received", "processed"]
    name: str
    kind: str | None  # 837P, 999, TA1, 277CA, 277, 276, 835 …
    sha256: str
    size_bytes: int
    created_at: datetime

    @classmethod
    def of(cls, f: ClearinghouseFile) -> FileOut:
        return cls(
            id=f.id,
            mailbox=f.mailbox,
            transport=f.transport,
            direction=f.direction.value,
            status=f.status.value,
            name=f.remote_name,
            kind=f.x12_kind,
            sha256=f.sha256,
            size_bytes=f.size_bytes,
            created_at=f.created_at,
        )


@router.get("/files", response_model=list[FileOut])
def list_files(
    deps: DepsDep,
    actor: ActorDep,
    direction: Literal["outbound", "inbound"] | None = None,
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0),
) -> list[FileOut]:
    """Every file sent to or received from a clearinghouse, newest first."""
    return [FileOut.of(f) for f in archive.list_files(deps, actor, direction=direction, limit=limit, offset=offset)]


@router.get(
    "/files/{file_id}/content",
    response_class=Response,
    responses={200: {"content": {X12: {"schema": {"type": "string", "format": "binary"}}}}},
)
def file_content(file_id: str, deps: DepsDep, actor: ActorDep) -> Response:
    """An archived file byte for byte, to download again (the read is audited)."""
    found = archive.archived_file(deps, actor, file_id)
    return Response(
        found.content,
        media_type=X12,
        headers={"Content-Disposition": f'attachment; filename="{found.file.remote_name}"'},
    )
