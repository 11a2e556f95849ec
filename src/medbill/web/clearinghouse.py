"""Claims with the payer, in the browser: the 837 batches (claims by state and payer), one batch with its TA1/999
verdicts and each claim's 277CA/277 state, and the archive of every file exchanged, each downloadable again."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import Response

from medbill.domain.errors import ValidationError
from medbill.services import batch_tracking, batches, claims
from medbill.services import clearinghouse as archive
from medbill.web.context import SignedIn, WebRoute, signed_in
from medbill.web.rendering import page, secure

router = APIRouter(route_class=WebRoute, include_in_schema=False)

X12 = "application/edi-x12"


@router.get("/batches")
def list_batches(request: Request, who: SignedIn = Depends(signed_in)) -> Response:
    counts = claims.claim_counts(who.deps, who.actor)
    payers = sorted({c.payer_id for c in counts})
    states = sorted({c.status.value for c in counts})
    grid = {(c.payer_id, c.status.value): c for c in counts}
    names = {b.payer_id: b.receiver_name for b in batches.list_batches(who.deps, who.actor, limit=1000)}
    context = {
        "rows": batch_tracking.batch_rows(who.deps, who.actor, limit=200),
        "payers": payers,
        "states": states,
        "grid": grid,
        "names": names,
        "nav": "batches",
    }
    return page(request, "batches.html", context)


@router.get("/batches/{batch_id}")
def show_batch(batch_id: str, request: Request, who: SignedIn = Depends(signed_in)) -> Response:
    detail = batch_tracking.batch_detail(who.deps, who.actor, batch_id)
    return page(request, "batch.html", {"detail": detail, "nav": "batches"})


@router.get("/batches/{batch_id}/file")
def batch_file(batch_id: str, who: SignedIn = Depends(signed_in)) -> Response:
    record, content = batches.get_batch_file(who.deps, who.actor, batch_id)
    disposition = f'attachment; filename="{record.file_name}"'
    return secure(Response(content, media_type=X12, headers={"Content-Disposition": disposition}))


@router.get("/files")
def list_files(request: Request, direction: str | None = None, who: SignedIn = Depends(signed_in)) -> Response:
    wanted = direction or None
    if wanted not in (None, "inbound", "outbound"):
        raise ValidationError("is outbound or inbound", field="direction")
    files = archive.list_files(who.deps, who.actor, direction=wanted, limit=500)
    return page(request, "files.html", {"files": files, "direction": wanted, "nav": "batches"})


@router.get("/files/{file_id}/download")
def download(file_id: str, who: SignedIn = Depends(signed_in)) -> Response:
    found = archive.archived_file(who.deps, who.actor, file_id)
    disposition = f'attachment; filename="{found.file.remote_name}"'
    return secure(Response(found.content, media_type=X12, headers={"Content-Disposition": disposition}))
