"""Reading posted forms into the services' drafts: text, dates, dollars and counts, each refusal under its field."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime

from medbill.domain.errors import MedbillError
from medbill.domain.money import parse_cents
from medbill.services.patients import CoverageDraft, GuarantorDraft, PatientDraft, SubscriberDraft
from medbill.services.setup import AddressDraft

SELF = "18"  # X12 individual relationship code: the patient is the subscriber


class Reader:
    """Reads fields of one posted form, collecting an error per field instead of stopping at the first."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self.values = values
        self.errors: dict[str, str] = {}

    def text(self, name: str) -> str:
        return self.values.get(name, "").strip()

    def required(self, name: str) -> str:
        """The text, noting "is required" when blank (the service says the same; this shows every blank at once)."""
        value = self.text(name)
        if not value:
            self.fail(name, "is required")
        return value

    def optional(self, name: str) -> str | None:
        return self.text(name) or None

    def any_filled(self, *names: str) -> bool:
        return any(self.text(n) for n in names)

    def fail(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)

    def date(self, name: str, *, required: bool = True) -> date | None:
        """A date from a date picker (YYYY-MM-DD) or typed the US way (MM/DD/YYYY)."""
        raw = self.text(name)
        if not raw:
            if required:
                self.fail(name, "is required")
            return None
        for pattern in ("%Y-%m-%d", "%m/%d/%Y"):
            try:
                return datetime.strptime(raw, pattern).date()
            except ValueError:
                continue
        self.fail(name, "is not a date; use the date picker or write it as MM/DD/YYYY")
        return None

    def cents(self, name: str) -> int | None:
        """Dollars as typed ("125", "$1,250.50") to integer cents; None when left blank."""
        raw = self.text(name)
        if not raw:
            return None
        try:
            return parse_cents(raw, field=name)
        except MedbillError as exc:
            self.fail(name, exc.message)
            return None

    def whole(self, name: str, *, default: int) -> int:
        raw = self.text(name)
        if not raw:
            return default
        if not re.fullmatch(r"-?\d{1,6}", raw):
            self.fail(name, "is a whole number such as 1")
            return default
        return int(raw)

    def choice(self, name: str) -> str:
        raw = self.text(name)
        if not raw:
            self.fail(name, "is required; choose one")
        return raw


def _address(r: Reader, prefix: str) -> AddressDraft:
    return AddressDraft(
        line1=r.required(f"{prefix}.line1"),
        line2=r.optional(f"{prefix}.line2"),
        city=r.required(f"{prefix}.city"),
        state=r.required(f"{prefix}.state"),
        zip=r.required(f"{prefix}.zip"),
    )


GUARANTOR_NAMES = ("guarantor.last_name", "guarantor.first_name")


def patient_draft(values: Mapping[str, str]) -> tuple[PatientDraft | None, dict[str, str]]:
    """The registration form as a PatientDraft, or the errors found before asking the service."""
    r = Reader(values)
    last_name, first_name = r.required("last_name"), r.required("first_name")
    birth_date = r.date("birth_date")
    sex = r.choice("sex")
    address = _address(r, "address")
    guarantor = None
    if r.any_filled(*GUARANTOR_NAMES):
        same = r.text("guarantor.same_address") == "yes"
        guarantor = GuarantorDraft(
            last_name=r.required("guarantor.last_name"),
            first_name=r.required("guarantor.first_name"),
            relationship=r.choice("guarantor.relationship"),
            address=address if same else _address(r, "guarantor.address"),
            phone=r.optional("guarantor.phone"),
        )
    if r.errors or birth_date is None:
        return None, r.errors
    draft = PatientDraft(
        last_name=last_name,
        first_name=first_name,
        middle_name=r.optional("middle_name"),
        name_suffix=r.optional("name_suffix"),
        birth_date=birth_date,
        sex=sex,
        address=address,
        phone=r.optional("phone"),
        email=r.optional("email"),
        account_number=r.optional("account_number"),
        guarantor=guarantor,
    )
    return draft, {}


SUBSCRIBER_NAMES = ("subscriber.last_name", "subscriber.first_name", "subscriber.birth_date", "subscriber.sex")


def coverage_draft(values: Mapping[str, str]) -> tuple[CoverageDraft | None, dict[str, str]]:
    """The add-coverage form as a CoverageDraft; the subscriber is read when the patient is not the subscriber."""
    r = Reader(values)
    payer_id = r.choice("payer_id")
    order = r.choice("order")
    member_id = r.required("member_id")
    relationship = r.text("relationship") or SELF
    effective_from = r.date("effective_from")
    effective_to = r.date("effective_to", required=False)
    copay, deductible = r.cents("copay"), r.cents("deductible")
    subscriber = None
    if relationship != SELF or r.any_filled(*SUBSCRIBER_NAMES):
        names = r.required("subscriber.last_name"), r.required("subscriber.first_name")
        birth_date = r.date("subscriber.birth_date")
        sex = r.choice("subscriber.sex")
        if birth_date is not None:
            subscriber = SubscriberDraft(last_name=names[0], first_name=names[1], birth_date=birth_date, sex=sex)
    if r.errors or effective_from is None:
        return None, r.errors
    draft = CoverageDraft(
        payer_id=payer_id,
        order=order,
        member_id=member_id,
        group_number=r.optional("group_number"),
        plan_name=r.optional("plan_name"),
        effective_from=effective_from,
        effective_to=effective_to,
        relationship=relationship,
        subscriber=subscriber,
        copay_cents=copay or 0,
        deductible_cents=deductible or 0,
        coinsurance_percent=r.text("coinsurance_percent") or "0",
    )
    return draft, {}
