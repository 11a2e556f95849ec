"""Appeals of denials: the appeal's states and the moves between them, the levels, the default argument per denial
category, and the letter's content as the PDF renderer reads it.

An appeal is drafted (with its letter), sent, and answered: won, partly won or lost; it may be withdrawn before the
answer. A lost (or partly won) appeal may be taken to the next level, one level at a time, with at most one appeal of a
claim open at once. The default arguments are starting points a biller replaces with the facts of the case; each
category's enclosures are the records a payer's appeal reviewer asks for first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum

from medbill.domain.errors import InvalidTransition, ValidationError
from medbill.domain.fields import new_id

MAX_LEVEL = 5  # Medicare has five (redetermination … judicial review); commercial plans two and an external review
MAX_ARGUMENT = 6000  # characters: about two pages of letter
MAX_ATTACHMENTS = 30
MAX_ATTACHMENT = 120
MAX_OUTCOME = 500


class AppealStatus(StrEnum):
    DRAFTED = "drafted"
    SENT = "sent"
    WON = "won"  # the payer reversed the denial in full
    PARTLY_WON = "partly_won"  # paid part of what was appealed
    LOST = "lost"  # the denial was upheld
    WITHDRAWN = "withdrawn"  # we took it back (corrected claim sent instead, paid meanwhile …)


OUTCOMES = frozenset({AppealStatus.WON, AppealStatus.PARTLY_WON, AppealStatus.LOST, AppealStatus.WITHDRAWN})
OPEN = frozenset({AppealStatus.DRAFTED, AppealStatus.SENT})
ESCALATES = frozenset({AppealStatus.LOST, AppealStatus.PARTLY_WON})  # what the next level may follow

_MOVES: dict[AppealStatus, frozenset[AppealStatus]] = {
    AppealStatus.DRAFTED: frozenset({AppealStatus.SENT, AppealStatus.WITHDRAWN}),
    AppealStatus.SENT: frozenset(
        {AppealStatus.WON, AppealStatus.PARTLY_WON, AppealStatus.LOST, AppealStatus.WITHDRAWN}
    ),
    AppealStatus.WON: frozenset(),
    AppealStatus.PARTLY_WON: frozenset(),
    AppealStatus.LOST: frozenset(),
    AppealStatus.WITHDRAWN: frozenset(),
}


def allowed_moves(status: AppealStatus) -> frozenset[AppealStatus]:
    return _MOVES[status]


def _move(current: AppealStatus, to: AppealStatus) -> None:
    if to not in _MOVES[current]:
        allowed = ", ".join(sorted(s.value for s in _MOVES[current])) or "nothing: the appeal is answered"
        raise InvalidTransition(f"an appeal that is {current.value} cannot become {to.value} (it may become {allowed})")


def argument_text(text: str, field_name: str = "argument") -> str:
    """The argument as paragraphs: lines trimmed, runs of blank lines made one, at most ``MAX_ARGUMENT`` characters."""
    paragraphs = paragraphs_of(text)
    if not paragraphs:
        raise ValidationError("say why the payer should pay: the letter's argument is empty", field=field_name)
    joined = "\n\n".join(paragraphs)
    if len(joined) > MAX_ARGUMENT:
        raise ValidationError(f"is at most {MAX_ARGUMENT} characters; enclose the records instead", field=field_name)
    return joined


def paragraphs_of(text: str) -> list[str]:
    """Blank-line separated paragraphs, each with its lines joined by single spaces."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in str(text).replace("\r\n", "\n").split("\n"):
        words = " ".join(line.split())
        if words:
            current.append(words)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def attachment_list(items: Iterable[str], field_name: str = "attachments") -> tuple[str, ...]:
    """The enclosures, one per entry: trimmed, blanks dropped, duplicates once, each at most 120 characters."""
    seen: dict[str, None] = {}
    for item in items:
        for line in str(item).splitlines():
            name = " ".join(line.split())
            if not name:
                continue
            if len(name) > MAX_ATTACHMENT:
                raise ValidationError(f"each enclosure's name is at most {MAX_ATTACHMENT} characters", field=field_name)
            seen.setdefault(name, None)
    if len(seen) > MAX_ATTACHMENTS:
        raise ValidationError(f"at most {MAX_ATTACHMENTS} enclosures", field=field_name)
    return tuple(seen)


@dataclass(frozen=True, slots=True, kw_only=True)
class Appeal:
    """One appeal of one claim at one level, with its letter kept apart (PDF bytes in the store)."""

    id: str = field(default_factory=new_id)
    practice_id: str
    claim_id: str
    work_item_id: str | None = None
    status: AppealStatus = AppealStatus.DRAFTED
    level: int = 1
    reason: str  # the denial in words, as the letter states it
    argument: str
    attachments: tuple[str, ...] = ()
    due_on: date | None = None  # the last day the payer accepts it
    created_at: datetime
    created_by: str
    sent_on: date | None = None
    answered_on: date | None = None
    outcome: str | None = None  # the payer's answer in the biller's words

    def __post_init__(self) -> None:
        if isinstance(self.level, bool) or not isinstance(self.level, int) or not 1 <= self.level <= MAX_LEVEL:
            raise ValidationError(f"an appeal's level is 1 to {MAX_LEVEL}", field="level")
        if not self.reason.strip():
            raise ValidationError("an appeal states the denial it appeals", field="reason")

    @property
    def open(self) -> bool:
        return self.status in OPEN

    def sent(self, on: date) -> Appeal:
        _move(self.status, AppealStatus.SENT)
        if on < self.created_at.date():
            raise ValidationError("an appeal is sent on or after the day it was drafted", field="sent_on")
        return replace(self, status=AppealStatus.SENT, sent_on=on)

    def answered(self, outcome: AppealStatus, on: date, note: str) -> Appeal:
        if outcome not in OUTCOMES:
            raise ValidationError("the outcome is won, partly_won, lost or withdrawn", field="outcome")
        _move(self.status, outcome)
        if on < (self.sent_on or self.created_at.date()):
            raise ValidationError("the answer comes on or after the day the appeal was sent", field="answered_on")
        text = " ".join(note.split())
        if len(text) > MAX_OUTCOME:
            raise ValidationError(f"the note is at most {MAX_OUTCOME} characters", field="note")
        return replace(self, status=outcome, answered_on=on, outcome=text or outcome.value.replace("_", " "))

    def revised(self, *, argument: str, attachments: Sequence[str]) -> Appeal:
        """A drafted appeal with a new argument or enclosures (the letter is rendered again); a sent one is final."""
        if self.status is not AppealStatus.DRAFTED:
            raise InvalidTransition(f"only a drafted appeal can be revised; this one is {self.status.value}")
        return replace(self, argument=argument_text(argument), attachments=attachment_list(attachments))


def check_level(level: int, earlier: Sequence[Appeal]) -> None:
    """Refuse a new appeal at ``level`` unless it is the claim's next step: nothing open, level 1 first, and a higher
    level only after the level below it was lost or partly won."""
    if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= MAX_LEVEL:
        raise ValidationError(f"an appeal's level is 1 to {MAX_LEVEL}", field="level")
    if any(a.open for a in earlier):
        raise InvalidTransition("this claim has an appeal drafted or sent already: answer or withdraw it first")
    answered = [a for a in earlier if a.status is not AppealStatus.WITHDRAWN]
    top = max((a.level for a in answered), default=0)
    if level == 1 and top == 0:
        return
    below = [a for a in answered if a.level == level - 1]
    if level == top + 1 and below and any(a.status in ESCALATES for a in below):
        return
    if top == 0:
        raise ValidationError("the first appeal of a claim is level 1", field="level")
    raise ValidationError(
        f"the next appeal of this claim is level {top + 1}, after level {top} was lost or partly won", field="level"
    )


# --- templates: a default argument and enclosures per denial category ------------------------------------------------


class AppealTemplate(StrEnum):
    MEDICAL_NECESSITY = "medical_necessity"
    AUTHORIZATION = "authorization"
    TIMELY_FILING = "timely_filing"
    BUNDLING = "bundling"
    OTHER = "other"


_ARGUMENTS: dict[AppealTemplate, tuple[str, ...]] = {
    AppealTemplate.MEDICAL_NECESSITY: (
        "We ask you to reconsider this denial. The services were medically necessary for the patient's condition, "
        "as the enclosed medical records document: the diagnoses on the claim, the patient's symptoms and history, "
        "and the treating provider's findings support the services billed.",
        "The services meet the plan's coverage criteria and are consistent with accepted standards of medical "
        "practice for this diagnosis. The enclosed letter of medical necessity from the treating provider explains "
        "why no less intensive alternative was appropriate.",
        "Please reprocess the claim for payment under the patient's benefits.",
    ),
    AppealTemplate.AUTHORIZATION: (
        "We ask you to reconsider this denial for missing authorization. The service was authorized, or qualified "
        "for retroactive authorization, as the enclosed documents show.",
        "Where the authorization number was left off the claim, we enclose it with the payer's confirmation; where "
        "the service could not wait for authorization, the enclosed records show why it was urgent.",
        "Please reprocess the claim with the authorization on file.",
    ),
    AppealTemplate.TIMELY_FILING: (
        "We ask you to reverse this timely-filing denial. The claim was first submitted within the plan's filing "
        "limit, as the enclosed proof of timely filing shows: the clearinghouse acceptance report (999/277CA) "
        "with its date, and the payer's acknowledgement of the original submission.",
        "The claim on appeal is the same claim, sent again after the original was rejected or lost; its filing date "
        "is the date of the first submission.",
        "Please reprocess the claim for payment.",
    ),
    AppealTemplate.BUNDLING: (
        "We ask you to reconsider the bundling of these services. The procedures were distinct: performed at a "
        "separate session, on a different site or organ system, or through a separate incision, as the enclosed "
        "operative and procedure notes document.",
        "The modifier on the claim (59 or XE, XS, XP, XU) identifies the distinct procedural service, as the "
        "National Correct Coding Initiative policy manual allows when the documentation supports it.",
        "Please reprocess each service for separate payment.",
    ),
    AppealTemplate.OTHER: (
        "We ask you to reconsider this denial. The enclosed records show that the services were provided as billed "
        "and are covered under the patient's plan.",
        "Please review the enclosed documentation and reprocess the claim for payment.",
    ),
}

_ENCLOSURES: dict[AppealTemplate, tuple[str, ...]] = {
    AppealTemplate.MEDICAL_NECESSITY: (
        "Copy of the claim",
        "Explanation of benefits / remittance advice",
        "Medical records for the date(s) of service",
        "Letter of medical necessity from the treating provider",
    ),
    AppealTemplate.AUTHORIZATION: (
        "Copy of the claim",
        "Explanation of benefits / remittance advice",
        "Authorization approval or retro-authorization request",
        "Medical records for the date(s) of service",
    ),
    AppealTemplate.TIMELY_FILING: (
        "Copy of the claim",
        "Explanation of benefits / remittance advice",
        "Proof of timely filing: clearinghouse acceptance report (999/277CA)",
    ),
    AppealTemplate.BUNDLING: (
        "Copy of the claim",
        "Explanation of benefits / remittance advice",
        "Operative or procedure notes",
    ),
    AppealTemplate.OTHER: (
        "Copy of the claim",
        "Explanation of benefits / remittance advice",
        "Medical records for the date(s) of service",
    ),
}


def template_for(category: str | None) -> AppealTemplate:
    """The template of a denial category (domain.denials.DenialCategory values); any other category is ``other``."""
    try:
        return AppealTemplate(category or "other")
    except ValueError:
        return AppealTemplate.OTHER


def default_argument(category: str | None) -> str:
    return "\n\n".join(_ARGUMENTS[template_for(category)])


def default_attachments(category: str | None) -> tuple[str, ...]:
    return _ENCLOSURES[template_for(category)]


LEVEL_NAMES = {1: "First-level appeal", 2: "Second-level appeal", 3: "Third-level appeal"}


def level_name(level: int) -> str:
    return LEVEL_NAMES.get(level, f"Level {level} appeal")


# --- the letter's content ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class AppealLetter:
    """Everything the appeal letter says, in the order it says it; the renderer only lays it out."""

    practice_name: str
    practice_address: tuple[str, ...]  # lines: street, city state ZIP
    practice_phone: str | None = None
    practice_npi: str | None = None
    practice_tin: str | None = None
    letter_date: date
    payer_name: str
    payer_address: tuple[str, ...] = ()  # empty: the payer has no address on file (the biller writes it in)
    payer_identifier: str | None = None
    level: int = 1
    patient_name: str
    patient_birth_date: date | None = None
    member_id: str
    claim_number: str  # our CLM01
    payer_claim_number: str | None = None  # the payer's ICN/DCN from the 835
    service_from: date
    service_to: date
    billed_cents: int
    denial: str  # CARC/RARC in words
    argument: tuple[str, ...]  # paragraphs
    enclosures: tuple[str, ...] = ()
    signer_name: str
    signer_title: str = "Billing office"
    provider_name: str | None = None  # the rendering provider the appeal speaks for
    provider_npi: str | None = None
    due_on: date | None = None

    def __post_init__(self) -> None:
        if isinstance(self.billed_cents, bool) or not isinstance(self.billed_cents, int):
            raise TypeError("billed_cents is integer cents")
        if not self.argument:
            raise ValidationError("the letter needs an argument", field="argument")

    @property
    def dates_of_service(self) -> str:
        first = self.service_from.strftime("%m/%d/%Y")
        return first if self.service_to == self.service_from else f"{first} - {self.service_to.strftime('%m/%d/%Y')}"

    @property
    def subject(self) -> str:
        return f"{level_name(self.level)}: claim {self.claim_number}"
