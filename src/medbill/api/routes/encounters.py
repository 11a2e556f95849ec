"""Encounters: record one with its diagnoses and lines, read them back."""

from __future__ import annotations

from fastapi import APIRouter, Query

from medbill.api.deps import ActorDep, DepsDep
from medbill.api.schemas import EncounterIn, EncounterOut
from medbill.services import encounters

router = APIRouter(tags=["encounters"])


@router.get("/encounters", response_model=list[EncounterOut])
def list_encounters(
    deps: DepsDep, actor: ActorDep, patient_id: str | None = None, limit: int = Query(50, ge=1, le=500)
) -> list[EncounterOut]:
    return [EncounterOut.of(e) for e in encounters.list_encounters(deps, actor, patient_id=patient_id, limit=limit)]


@router.post("/encounters", response_model=EncounterOut, status_code=201)
def record_encounter(body: EncounterIn, deps: DepsDep, actor: ActorDep) -> EncounterOut:
    return EncounterOut.of(encounters.record_encounter(deps, actor, body.draft()))


@router.get("/encounters/{encounter_id}", response_model=EncounterOut)
def get_encounter(encounter_id: str, deps: DepsDep, actor: ActorDep) -> EncounterOut:
    return EncounterOut.of(encounters.get_encounter(deps, actor, encounter_id))
