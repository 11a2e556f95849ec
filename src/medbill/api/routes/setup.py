"""The practice and its set-up: providers, facilities, payers and fee schedules."""

from __future__ import annotations

from fastapi import APIRouter

from medbill.api.deps import ActorDep, DepsDep
from medbill.api.schemas import (
    FacilityIn,
    FacilityOut,
    FeeScheduleIn,
    FeeScheduleOut,
    PayerIn,
    PayerOut,
    PracticeOut,
    ProviderIn,
    ProviderOut,
)
from medbill.services import encounters, setup

router = APIRouter()


@router.get("/practice", response_model=PracticeOut, tags=["practices"])
def current_practice(deps: DepsDep, actor: ActorDep) -> PracticeOut:
    return PracticeOut.of(setup.get_practice(deps, actor))


@router.get("/providers", response_model=list[ProviderOut], tags=["providers"])
def list_providers(deps: DepsDep, actor: ActorDep) -> list[ProviderOut]:
    return [ProviderOut.of(p) for p in setup.list_providers(deps, actor)]


@router.post("/providers", response_model=ProviderOut, status_code=201, tags=["providers"])
def add_provider(body: ProviderIn, deps: DepsDep, actor: ActorDep) -> ProviderOut:
    return ProviderOut.of(setup.add_provider(deps, actor, body.draft()))


@router.get("/providers/{provider_id}", response_model=ProviderOut, tags=["providers"])
def get_provider(provider_id: str, deps: DepsDep, actor: ActorDep) -> ProviderOut:
    return ProviderOut.of(setup.get_provider(deps, actor, provider_id))


@router.get("/facilities", response_model=list[FacilityOut], tags=["facilities"])
def list_facilities(deps: DepsDep, actor: ActorDep) -> list[FacilityOut]:
    return [FacilityOut.of(f) for f in setup.list_facilities(deps, actor)]


@router.post("/facilities", response_model=FacilityOut, status_code=201, tags=["facilities"])
def add_facility(body: FacilityIn, deps: DepsDep, actor: ActorDep) -> FacilityOut:
    return FacilityOut.of(setup.add_facility(deps, actor, body.draft()))


@router.get("/facilities/{facility_id}", response_model=FacilityOut, tags=["facilities"])
def get_facility(facility_id: str, deps: DepsDep, actor: ActorDep) -> FacilityOut:
    return FacilityOut.of(setup.get_facility(deps, actor, facility_id))


@router.get("/payers", response_model=list[PayerOut], tags=["payers"])
def list_payers(deps: DepsDep, actor: ActorDep) -> list[PayerOut]:
    return [PayerOut.of(p) for p in setup.list_payers(deps, actor)]


@router.post("/payers", response_model=PayerOut, status_code=201, tags=["payers"])
def add_payer(body: PayerIn, deps: DepsDep, actor: ActorDep) -> PayerOut:
    return PayerOut.of(setup.add_payer(deps, actor, body.draft()))


@router.get("/payers/{payer_id}", response_model=PayerOut, tags=["payers"])
def get_payer(payer_id: str, deps: DepsDep, actor: ActorDep) -> PayerOut:
    return PayerOut.of(setup.get_payer(deps, actor, payer_id))


@router.get("/fee-schedules", response_model=list[FeeScheduleOut], tags=["fee schedules"])
def list_fee_schedules(deps: DepsDep, actor: ActorDep) -> list[FeeScheduleOut]:
    return [FeeScheduleOut.of(s) for s in encounters.list_fee_schedules(deps, actor)]


@router.post("/fee-schedules", response_model=FeeScheduleOut, status_code=201, tags=["fee schedules"])
def add_fee_schedule(body: FeeScheduleIn, deps: DepsDep, actor: ActorDep) -> FeeScheduleOut:
    return FeeScheduleOut.of(encounters.add_fee_schedule(deps, actor, body.draft()))
