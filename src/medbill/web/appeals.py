"""Appeals in the browser: from a denial, a page to draft the appeal (the argument and enclosures prefilled from the
denial category's template), see and download its letter, revise a draft, mark it sent and record the payer's answer;
the same page writes off what insurance still owes, by reason. A list of every appeal with its state and deadline."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from medbill.domain.appeals import OUTCOMES, AppealStatus, allowed_moves
from medbill.domain.errors import MedbillError
from medbill.domain.users import Permission
from medbill.domain.write_offs import REASON_TEXT
from medbill.services import accounts, appeals, claims, write_offs
from medbill.services.appeals import AppealPlan
from medbill.web.context import Posted, SignedIn, WebRoute, posted, signed_in
from medbill.web.forms import Reader
from medbill.web.rendering import FormState, page, secure

router = APIRouter(route_class=WebRoute, include_in_schema=False)

OUTCOME_CHOICES = [(s.value, s.value.replace("_", " ")) for s in AppealStatus if s in OUTCOMES]
REASON_CHOICES = [(r.value, text) for r, text in REASON_TEXT.items()]
STATUS_CHOICES = [(s.value, s.value.replace("_", " ")) for s in AppealStatus]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _page(
    request: Request,
    who: SignedIn,
    claim_id: str,
    *,
    draft: FormState | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    """The claim's appeal page: the claim and its denial, its appeals (newest first) with what each can do next, the
    draft form while no appeal is open, and the write-off form."""
    deps, actor = who.deps, who.actor
    detail = claims.get_claim(deps, actor, claim_id)  # the read is audited
    ledger = accounts.claim_ledger(deps, actor, claim_id)
    plan: AppealPlan | None = None
    no_plan = ""
    try:
        plan = appeals.plan_appeal(deps, actor, claim_id, work_item_id=request.query_params.get("item") or None)
    except MedbillError as exc:
        no_plan = exc.message
    history = plan.appeals if plan is not None else tuple(appeals.list_appeals(deps, actor, claim_id=claim_id))
    can_draft = plan is not None and not any(a.open for a in history)
    if draft is None and plan is not None:
        draft = FormState.of(
            {
                "argument": plan.argument,
                "attachments": "\n".join(plan.attachments),
                "level": str(plan.level),
                "work_item_id": plan.work_item.id if plan.work_item else "",
            }
        )
    context: dict[str, Any] = {
        "claim": detail.claim,
        "ledger": ledger,
        "plan": plan,
        "no_plan": no_plan,
        "history": history,
        "can_draft": can_draft,
        "draft": draft or FormState.of(),
        "errors": errors or {},
        "moves": {a.id: {m.value for m in allowed_moves(a.status)} for a in history},
        "outcomes": OUTCOME_CHOICES,
        "reasons": REASON_CHOICES,
        "today": deps.clock.today().isoformat(),
        "can_write_off": actor.can(Permission.BALANCE_WRITE_OFF),
        "written_off": bool(request.query_params.get("written_off")),
        "nav": "appeals",
    }
    return page(request, "appeal.html", context, status_code=status_code)


@router.get("/claims/{claim_id}/appeal")
def appeal_page(claim_id: str, request: Request, who: SignedIn = Depends(signed_in)) -> Response:
    who.actor.require(Permission.REMITTANCE_POST)
    return _page(request, who, claims.claim_id_for(who.deps, who.actor, claim_id))


@router.post("/claims/{claim_id}/appeal")
def draft(claim_id: str, request: Request, form: Posted = Depends(posted)) -> Response:
    who, values = form.who, form.values
    reader = Reader(values)
    argument = reader.required("argument")
    level_text = reader.text("level") or "1"
    if not level_text.isdigit():
        reader.fail("level", "is a whole number")
    state = FormState.of(values, reader.errors)
    if not reader.errors:
        try:
            appeals.draft_appeal(
                who.deps,
                who.actor,
                claim_id,
                work_item_id=reader.optional("work_item_id"),
                argument=argument,
                attachments=_lines(values.get("attachments", "")),
                level=int(level_text),
            )
        except MedbillError as exc:
            state.refuse(exc)
        else:
            return RedirectResponse(f"/claims/{claim_id}/appeal#appeals", status_code=303)
    return _page(request, who, claim_id, draft=state, status_code=422)


def _act(request: Request, form: Posted, appeal_id: str, act: str) -> Response:
    """Run one move on an appeal; back to its claim's page, or that page with the refusal beside the appeal."""
    who, reader = form.who, Reader(form.values)
    appeal = appeals.get_appeal(who.deps, who.actor, appeal_id)
    try:
        if act == "sent":
            day = reader.date("sent_on")
            if day is not None:
                appeals.mark_sent(who.deps, who.actor, appeal_id, day)
        elif act == "outcome":
            day = reader.date("answered_on")
            outcome = reader.required("outcome")
            if day is not None and outcome:
                appeals.record_outcome(who.deps, who.actor, appeal_id, outcome, day, reader.text("note"))
        else:
            appeals.revise_appeal(
                who.deps,
                who.actor,
                appeal_id,
                argument=form.values.get("argument", ""),
                attachments=_lines(form.values.get("attachments", "")),
            )
    except MedbillError as exc:
        reader.fail(exc.field or "form", exc.message)
    if reader.errors:
        message = "; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in reader.errors.items())
        return _page(request, who, appeal.claim_id, errors={appeal_id: message}, status_code=422)
    return RedirectResponse(f"/claims/{appeal.claim_id}/appeal#appeal-{appeal_id}", status_code=303)


@router.post("/appeals/{appeal_id}/sent")
def sent(appeal_id: str, request: Request, form: Posted = Depends(posted)) -> Response:
    return _act(request, form, appeal_id, "sent")


@router.post("/appeals/{appeal_id}/outcome")
def outcome(appeal_id: str, request: Request, form: Posted = Depends(posted)) -> Response:
    return _act(request, form, appeal_id, "outcome")


@router.post("/appeals/{appeal_id}/revise")
def revise(appeal_id: str, request: Request, form: Posted = Depends(posted)) -> Response:
    return _act(request, form, appeal_id, "revise")


@router.get("/appeals/{appeal_id}/letter")
def letter(appeal_id: str, who: SignedIn = Depends(signed_in)) -> Response:
    appeal, content = appeals.get_letter(who.deps, who.actor, appeal_id)
    disposition = f'inline; filename="appeal-{appeal.id}-level-{appeal.level}.pdf"'
    return secure(Response(content, media_type="application/pdf", headers={"Content-Disposition": disposition}))


@router.post("/claims/{claim_id}/write-off")
def write_off(claim_id: str, request: Request, form: Posted = Depends(posted)) -> Response:
    who, reader = form.who, Reader(form.values)
    reason, note = reader.required("reason"), reader.required("note")
    if not reader.errors:
        try:
            write_offs.write_off_claim(who.deps, who.actor, claim_id, reason, note=note)
        except MedbillError as exc:
            reader.fail(exc.field or "form", exc.message)
        else:
            return RedirectResponse(f"/claims/{claim_id}/appeal?written_off=1#write-off", status_code=303)
    message = "; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in reader.errors.items())
    return _page(request, who, claim_id, errors={"write_off": message}, status_code=422)


@router.get("/appeals")
def list_page(request: Request, who: SignedIn = Depends(signed_in)) -> Response:
    status = request.query_params.get("status") or None
    found = appeals.list_appeals(who.deps, who.actor, status=status)
    context = {"appeals": found, "status": status or "", "statuses": STATUS_CHOICES, "nav": "appeals"}
    return page(request, "appeals.html", context)
