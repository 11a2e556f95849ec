"""X12 files as readable documents: upload one, see its loops indented and its codes described; nothing is kept."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from medbill.domain.errors import MedbillError
from medbill.services.documents import x12_document
from medbill.web.context import PostedUpload, SignedIn, WebRoute, posted_upload, signed_in
from medbill.web.rendering import page

router = APIRouter(route_class=WebRoute, include_in_schema=False)


@router.get("/x12")
def upload_form(request: Request, who: SignedIn = Depends(signed_in)) -> Response:
    return page(request, "x12_view.html", {"document": None, "error": None, "nav": "x12"})


@router.post("/x12/view")
async def view(request: Request, upload: PostedUpload = Depends(posted_upload)) -> Response:
    name, data = upload.files.get("file", ("", b""))
    try:
        document = await run_in_threadpool(x12_document, upload.who.actor, data, name=name or "upload")
    except MedbillError as exc:
        return page(request, "x12_view.html", {"document": None, "error": exc.message, "nav": "x12"}, status_code=422)
    return page(request, "x12_view.html", {"document": document, "name": name, "error": None, "nav": "x12"})
