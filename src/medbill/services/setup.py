"""Setting a practice up: the practice itself, its providers, facilities and payers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from medbill.domain.audit import AuditAction
from medbill.domain.errors import MedbillError
from medbill.domain.fields import parse_enum
from medbill.domain.parties import (
    Address,
    ClaimFilingIndicator,
    Facility,
    Payer,
    Practice,
    Provider,
    ProviderKind,
    ProviderRole,
    TinKind,
)
from medbill.domain.users import Actor, Permission
from medbill.services.base import Deps, record_audit


@dataclass(frozen=True, slots=True, kw_only=True)
class AddressDraft:
    line1: str
    city: str
    state: str
    zip: str
    line2: str | None = None

    def build(self, prefix: str = "address") -> Address:
        """The Address, with a refusal's field placed under ``prefix`` (``guarantor.address.zip``)."""
        try:
            return Address(line1=self.line1, line2=self.line2, city=self.city, state=self.state, zip=self.zip)
        except MedbillError as exc:
            if prefix == "address":
                raise
            field = prefix + (exc.field or "").removeprefix("address")
            raise type(exc)(exc.message, field=field, code=exc.code) from None


def create_practice(
    deps: Deps,
    *,
    name: str,
    npi: str | None = None,
    tin: str | None = None,
    address: AddressDraft | None = None,
    phone: str | None = None,
    taxonomy: str | None = None,
) -> Practice:
    """A new tenant. Run by an operator (CLI, demo), not through the API: there is no practice to act in yet."""
    practice = Practice(
        name=name, npi=npi, tin=tin, address=address.build() if address else None, phone=phone, taxonomy=taxonomy
    )
    with deps.uow() as uow:
        uow.practices.add(practice)
        uow.commit()
    return practice


def list_practices(deps: Deps) -> Sequence[Practice]:
    with deps.uow() as uow:
        return uow.practices.list()


def get_practice(deps: Deps, actor: Actor) -> Practice:
    with deps.uow() as uow:
        return uow.practices.get(actor.practice_id)


@dataclass(frozen=True, slots=True, kw_only=True)
class ProviderDraft:
    kind: str
    last_name: str
    npi: str
    first_name: str | None = None
    taxonomy: str | None = None
    tin: str | None = None
    tin_kind: str = "EIN"
    roles: tuple[str, ...] = ("rendering",)
    address: AddressDraft | None = None


def add_provider(deps: Deps, actor: Actor, draft: ProviderDraft) -> Provider:
    actor.require(Permission.SETUP_WRITE)
    provider = Provider(
        practice_id=actor.practice_id,
        kind=parse_enum(ProviderKind, draft.kind, "kind"),
        last_name=draft.last_name,
        first_name=draft.first_name,
        npi=draft.npi,
        taxonomy=draft.taxonomy,
        tin=draft.tin,
        tin_kind=parse_enum(TinKind, draft.tin_kind, "tin_kind"),
        roles=frozenset(parse_enum(ProviderRole, r, "roles") for r in draft.roles),
        address=draft.address.build() if draft.address else None,
    )
    with deps.uow() as uow:
        uow.providers.add(provider)
        record_audit(uow, deps, actor, AuditAction.CREATE, "provider", provider.id)
        uow.commit()
    return provider


@dataclass(frozen=True, slots=True, kw_only=True)
class FacilityDraft:
    name: str
    address: AddressDraft
    npi: str | None = None
    place_of_service: str = "11"


def add_facility(deps: Deps, actor: Actor, draft: FacilityDraft) -> Facility:
    actor.require(Permission.SETUP_WRITE)
    facility = Facility(
        practice_id=actor.practice_id,
        name=draft.name,
        address=draft.address.build(),
        npi=draft.npi,
        place_of_service=draft.place_of_service,
    )
    with deps.uow() as uow:
        uow.facilities.add(facility)
        record_audit(uow, deps, actor, AuditAction.CREATE, "facility", facility.id)
        uow.commit()
    return facility


@dataclass(frozen=True, slots=True, kw_only=True)
class PayerDraft:
    name: str
    payer_id: str
    claim_filing_indicator: str
    timely_filing_days: int = 365
    appeal_window_days: int = 180
    address: AddressDraft | None = None
    phone: str | None = None


def add_payer(deps: Deps, actor: Actor, draft: PayerDraft) -> Payer:
    actor.require(Permission.SETUP_WRITE)
    payer = Payer(
        practice_id=actor.practice_id,
        name=draft.name,
        payer_id=draft.payer_id,
        claim_filing_indicator=parse_enum(ClaimFilingIndicator, draft.claim_filing_indicator, "claim_filing_indicator"),
        timely_filing_days=draft.timely_filing_days,
        appeal_window_days=draft.appeal_window_days,
        address=draft.address.build() if draft.address else None,
        phone=draft.phone,
    )
    with deps.uow() as uow:
        uow.payers.add(payer)
        record_audit(uow, deps, actor, AuditAction.CREATE, "payer", payer.id)
        uow.commit()
    return payer


def list_providers(deps: Deps, actor: Actor) -> Sequence[Provider]:
    actor.require(Permission.SETUP_READ)
    with deps.uow() as uow:
        return uow.providers.list(actor.practice_id)


def list_facilities(deps: Deps, actor: Actor) -> Sequence[Facility]:
    actor.require(Permission.SETUP_READ)
    with deps.uow() as uow:
        return uow.facilities.list(actor.practice_id)


def list_payers(deps: Deps, actor: Actor) -> Sequence[Payer]:
    actor.require(Permission.SETUP_READ)
    with deps.uow() as uow:
        return uow.payers.list(actor.practice_id)


def get_provider(deps: Deps, actor: Actor, provider_id: str) -> Provider:
    actor.require(Permission.SETUP_READ)
    with deps.uow() as uow:
        return uow.providers.get(actor.practice_id, provider_id)


def get_facility(deps: Deps, actor: Actor, facility_id: str) -> Facility:
    actor.require(Permission.SETUP_READ)
    with deps.uow() as uow:
        return uow.facilities.get(actor.practice_id, facility_id)


def get_payer(deps: Deps, actor: Actor, payer_id: str) -> Payer:
    actor.require(Permission.SETUP_READ)
    with deps.uow() as uow:
        return uow.payers.get(actor.practice_id, payer_id)
