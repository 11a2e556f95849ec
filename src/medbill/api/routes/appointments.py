"""Appointments: the day list, scheduling with planned services, and check-in/cancel."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Query

from medbill.api.deps import ActorDep, DepsDep
from medbill.api.schemas import AppointmentIn, AppointmentOut, AppointmentStatusIn, EstimateOut
from medbill.services import appointments, estimates

router = APIRouter(tags=["appointments"])


@router.get("/appointments", response_model=list[AppointmentOut])
def day_list(
    deps: DepsDep,
    actor: ActorDep,
    day: date = Query(..., alias="date", description="YYYY-MM-DD (UTC day)"),
    provider_id: str | None = None,
) -> list[AppointmentOut]:
    return [AppointmentOut.of(a) for a in appointments.appointments_on(deps, actor, day, provider_id=provider_id)]


@router.post("/appointments", response_model=AppointmentOut, status_code=201)
def schedule(body: AppointmentIn, deps: DepsDep, actor: ActorDep) -> AppointmentOut:
    return AppointmentOut.of(appointments.schedule_appointment(deps, actor, body.draft()))


@router.get("/appointments/{appointment_id}", response_model=AppointmentOut)
def get_appointment(appointment_id: str, deps: DepsDep, actor: ActorDep) -> AppointmentOut:
    return AppointmentOut.of(appointments.get_appointment(deps, actor, appointment_id))


@router.post("/appointments/{appointment_id}/status", response_model=AppointmentOut)
def set_status(appointment_id: str, body: AppointmentStatusIn, deps: DepsDep, actor: ActorDep) -> AppointmentOut:
    return AppointmentOut.of(appointments.set_appointment_status(deps, actor, appointment_id, body.status))


@router.get("/appointments/{appointment_id}/estimate", response_model=EstimateOut)
def estimate(appointment_id: str, deps: DepsDep, actor: ActorDep) -> EstimateOut:
    """What insurance is expected to pay and what the patient is expected to pay, today and in all."""
    return EstimateOut.of(estimates.estimate_appointment(deps, actor, appointment_id))
