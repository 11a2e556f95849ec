"""Uploaded files shown as documents: an X12 file as its loops, segments and described codes."""

from __future__ import annotations

from fastapi import APIRouter, UploadFile
from pydantic import BaseModel

from medbill.api.deps import ActorDep
from medbill.formats.x12.outline import OutlineLoop
from medbill.services.documents import MAX_UPLOAD_BYTES, x12_document

router = APIRouter(tags=["files"])


class ElementOut(BaseModel):
    ref: str
    value: str
    description: str | None


class SegmentOut(BaseModel):
    position: int
    id: str
    name: str
    elements: list[ElementOut]


class LoopOut(BaseModel):
    id: str
    name: str
    segments: list[SegmentOut]
    children: list[LoopOut]

    @classmethod
    def of(cls, loop: OutlineLoop) -> LoopOut:
        return cls(
            id=loop.id,
            name=loop.name,
            segments=[
                SegmentOut(
                    position=s.position,
                    id=s.id,
                    name=s.name,
                    elements=[ElementOut(ref=r, value=v, description=d) for r, v, d in s.elements],
                )
                for s in loop.segments
            ],
            children=[cls.of(c) for c in loop.children],
        )


class X12DocumentOut(BaseModel):
    transaction_types: list[str]
    problems: list[str]
    interchanges: list[LoopOut]


@router.post("/x12/view", response_model=X12DocumentOut)
async def view_x12(file: UploadFile, actor: ActorDep) -> X12DocumentOut:
    """An uploaded X12 file as a readable document; nothing is stored."""
    data = await file.read(MAX_UPLOAD_BYTES + 1)
    document = x12_document(actor, data, name=file.filename or "upload")
    return X12DocumentOut(
        transaction_types=document.transaction_types,
        problems=document.problems,
        interchanges=[LoopOut.of(i) for i in document.interchanges],
    )
