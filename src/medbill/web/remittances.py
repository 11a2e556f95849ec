"""Getting paid, in the browser: upload an 835, preview what posting will do, post it; the imported remittances;
the work queues (unmatched, denials, underpayments, held advices) with closing an item."""

from __future__ import annotations

import base64
import binascii

from fastapi import APIRouter, Depends
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from medbill.domain.errors import MedbillError, ValidationError
from medbill.domain.money import parse_cents
from medbill.domain.work_items import Queue, WorkQuery
from medbill.domain.write_offs import REASON_TEXT, WriteOffReason
from medbill.services import accounts, follow_up, posting, setup
from medbill.services.documents import MAX_UPLOAD_BYTES
from medbill.web.context import Posted, PostedUpload, SignedIn, WebRoute, container_of, posted, posted_upload, signed_in
from medbill.web.rendering import page

router = APIRouter(route_class=WebRoute, include_in_schema=False)

QUEUE_TITLES = {
    Queue.DENIAL: "Denials",
    Queue.UNMATCHED: "Unmatched remittance",
    Queue.UNDERPAYMENT: "Underpayments",
    Queue.HELD_REMITTANCE: "Held remittances (do not balance)",
    Queue.FRONT_DESK: "Front desk (eligibility findings)",
    Queue.REJECTION: "Rejections (fix and send again)",
    Queue.NO_RESPONSE: "No response from the payer",
    Queue.PAST_DUE: "Patient balances past due",
}


def _list_page(request: Request, who: SignedIn, **extra: object) -> Response:
    rows = accounts.list_remittances(who.deps, who.actor, limit=100)
    counts = accounts.queue_counts(who.deps, who.actor)
    context: dict[str, object] = {
        "remittances": rows,
        "counts": counts,
        "titles": QUEUE_TITLES,
        "report": None,
        "error": None,
    }
    context.update({"nav": "remittances", **extra})
    return page(request, "remittances.html", context, status_code=422 if extra.get("error") else 200)


@router.get("/remittances")
def list_remittances(request: Request, who: SignedIn = Depends(signed_in)) -> Response:
    return _list_page(request, who)


def _import(request: Request, who: SignedIn, data: bytes, name: str, *, dry_run: bool) -> Response:
    tolerance = container_of(request).settings.underpayment_tolerance_cents
    report = posting.import_remittance(
        who.deps, who.actor, data, file_name=name, dry_run=dry_run, tolerance_cents=tolerance
    )
    return _list_page(
        request,
        who,
        report=report,
        name=name,
        content=base64.b64encode(data).decode() if dry_run else None,
    )


@router.post("/remittances/preview")
async def preview(request: Request, upload: PostedUpload = Depends(posted_upload)) -> Response:
    """A dry run: everything posting would do, nothing kept; the page offers to post the same bytes."""
    name, data = upload.files.get("file", ("", b""))
    try:
        if not data:
            raise ValidationError("choose an 835 file", field="file")
        if len(data) > MAX_UPLOAD_BYTES:
            raise ValidationError(f"the file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB", field="file")
        return await run_in_threadpool(_import, request, upload.who, data, name or "upload.835", dry_run=True)
    except MedbillError as exc:
        return await run_in_threadpool(_list_page, request, upload.who, error=exc.message)


@router.post("/remittances/post")
async def post(request: Request, form: Posted = Depends(posted)) -> Response:
    """Post the file the preview showed (its bytes come back with the form; the import key keeps it to once)."""
    name = form.values.get("name", "upload.835")
    try:
        try:
            data = base64.b64decode(form.values.get("content", ""), validate=True)
        except binascii.Error:
            raise ValidationError("the previewed file did not come back whole; upload it again", field="file") from None
        if not data or len(data) > MAX_UPLOAD_BYTES:
            raise ValidationError("the previewed file did not come back whole; upload it again", field="file")
        return await run_in_threadpool(_import, request, form.who, data, name, dry_run=False)
    except MedbillError as exc:
        return await run_in_threadpool(_list_page, request, form.who, error=exc.message)


@router.get("/remittances/{remittance_id}")
def show(remittance_id: str, request: Request, who: SignedIn = Depends(signed_in)) -> Response:
    detail = accounts.get_remittance(who.deps, who.actor, remittance_id)
    totals: dict[str, int] = {}
    for entry in detail.entries:
        totals[entry.kind.value] = totals.get(entry.kind.value, 0) + entry.amount_cents
    context = {"detail": detail, "totals": totals, "titles": QUEUE_TITLES, "nav": "remittances"}
    return page(request, "remittance.html", context)


@router.get("/queues/{queue}")
def queue(queue: str, request: Request, who: SignedIn = Depends(signed_in)) -> Response:
    """One queue, filtered by owner, category, age, amount and words, oldest first (or by due date or amount)."""
    try:
        which = Queue(queue)
    except ValueError:
        raise ValidationError(f"no work queue called {queue!r}", field="queue") from None
    params = request.query_params
    names = ("owner", "payer_id", "provider_id", "category", "min_age_days", "min_amount", "q", "order")
    filters = {k: params.get(k, "").strip() for k in names}
    try:
        age = int(filters["min_age_days"]) if filters["min_age_days"] else None
        query = WorkQuery(
            queue=which,
            owner="" if filters["owner"] == "none" else (filters["owner"] or None),
            payer_id=filters["payer_id"] or None,
            provider_id=filters["provider_id"] or None,
            category=filters["category"] or None,
            created_before=follow_up.older_than(who.deps, age) if age is not None else None,
            min_amount_cents=parse_cents(filters["min_amount"], field="min_amount") if filters["min_amount"] else None,
            text=filters["q"] or None,
            order=filters["order"] or "oldest",
            limit=500,
        )
        items = follow_up.find_work(who.deps, who.actor, query)
        error = None
    except (MedbillError, ValueError) as exc:
        items, error = [], getattr(exc, "message", "a filter is not a number")
    counts = accounts.queue_counts(who.deps, who.actor)
    context = {
        "queue": which,
        "items": items,
        "counts": counts,
        "titles": QUEUE_TITLES,
        "filters": filters,
        "payers": [(p.id, p.name) for p in setup.list_payers(who.deps, who.actor)],
        "providers": [(p.id, p.display_name()) for p in setup.list_providers(who.deps, who.actor)],
        "error": error,
        "write_off_reasons": [(r.value, REASON_TEXT[r]) for r in WriteOffReason],
        "nav": "remittances",
    }
    return page(request, "queue.html", context, status_code=422 if error else 200)


@router.post("/queues/{queue}/bulk")
async def bulk(queue: str, request: Request, form: Posted = Depends(posted)) -> Response:
    """Assign the ticked items (to me, to a user, or to nobody), close them all with one resolution, write off their
    claims for one reason, or draft an appeal for each (the last two all or nothing)."""
    raw = await request.form()
    ids = [str(v) for v in raw.getlist("ids")]
    action = form.values.get("action", "")
    who = form.who
    if action == "close":
        await run_in_threadpool(follow_up.close_items, who.deps, who.actor, ids, form.values.get("resolution", ""))
    elif action == "write_off":
        reason, note = form.values.get("reason", ""), form.values.get("resolution", "")
        await run_in_threadpool(follow_up.bulk_write_off, who.deps, who.actor, ids, reason, note)
    elif action == "appeal":
        await run_in_threadpool(follow_up.bulk_draft_appeals, who.deps, who.actor, ids)
    else:
        owner = form.values.get("owner", "").strip()
        target = who.actor.username if owner in ("", "me") else (None if owner == "none" else owner)
        await run_in_threadpool(follow_up.assign, who.deps, who.actor, ids, target)
    return RedirectResponse(f"/queues/{Queue(queue).value}", status_code=303)


@router.get("/claims/{claim_id}/ledger")
def claim_ledger(claim_id: str, request: Request, who: SignedIn = Depends(signed_in)) -> Response:
    """The claim's service lines with every entry on them (charge, each payer, the patient) and their balances."""
    ledger = accounts.claim_ledger(who.deps, who.actor, claim_id)
    return page(request, "claim_ledger.html", {"ledger": ledger, "titles": QUEUE_TITLES, "nav": "remittances"})
