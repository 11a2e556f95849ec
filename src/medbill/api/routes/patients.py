"""Patients (search, register, read with an audit row, update) and their coverages."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Query

from medbill.api.deps import ActorDep, DepsDep
from medbill.api.schemas import CoverageIn, CoverageOut, PatientIn, PatientOut
from medbill.services import patients
from medbill.services.ports import PatientQuery

router = APIRouter(tags=["patients"])


@router.get("/patients", response_model=list[PatientOut])
def search_patients(
    deps: DepsDep,
    actor: ActorDep,
    name: str | None = Query(None, description="last-name prefix, or 'last, first' prefixes"),
    birth_date: date | None = None,
    account_number: str | None = None,
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0),
) -> list[PatientOut]:
    query = PatientQuery(name=name, birth_date=birth_date, account_number=account_number, limit=limit, offset=offset)
    return [PatientOut.of(p) for p in patients.search_patients(deps, actor, query)]


@router.post("/patients", response_model=PatientOut, status_code=201)
def register_patient(body: PatientIn, deps: DepsDep, actor: ActorDep) -> PatientOut:
    return PatientOut.of(patients.register_patient(deps, actor, body.draft()))


@router.get("/patients/{patient_id}", response_model=PatientOut)
def get_patient(patient_id: str, deps: DepsDep, actor: ActorDep) -> PatientOut:
    return PatientOut.of(patients.get_patient(deps, actor, patient_id))


@router.put("/patients/{patient_id}", response_model=PatientOut)
def update_patient(patient_id: str, body: PatientIn, deps: DepsDep, actor: ActorDep) -> PatientOut:
    return PatientOut.of(patients.update_patient(deps, actor, patient_id, body.draft()))


@router.get("/patients/{patient_id}/coverages", response_model=list[CoverageOut], tags=["coverages"])
def list_coverages(patient_id: str, deps: DepsDep, actor: ActorDep) -> list[CoverageOut]:
    return [CoverageOut.of(c) for c in patients.list_coverages(deps, actor, patient_id)]


@router.post("/patients/{patient_id}/coverages", response_model=CoverageOut, status_code=201, tags=["coverages"])
def add_coverage(patient_id: str, body: CoverageIn, deps: DepsDep, actor: ActorDep) -> CoverageOut:
    return CoverageOut.of(patients.add_coverage(deps, actor, patient_id, body.draft()))


@router.post("/coverages/{coverage_id}/end", response_model=CoverageOut, tags=["coverages"])
def end_coverage(
    coverage_id: str,
    deps: DepsDep,
    actor: ActorDep,
    last_day: date = Query(..., description="the last day the coverage is in force"),
) -> CoverageOut:
    return CoverageOut.of(patients.end_coverage(deps, actor, coverage_id, last_day))
