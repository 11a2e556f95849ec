"""Reading X12: bytes or text (or a binary file) to transactions whose content is a domain object."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from importlib import import_module
from typing import TYPE_CHECKING, BinaryIO, TypeAlias, cast

from medbill.formats.x12.envelope import GroupHeader, InterchangeHeader, RawTransaction, walk_interchange
from medbill.formats.x12.errors import X12Error, X12StructureError
from medbill.formats.x12.syntax import decode, iter_interchanges_from_stream, split_interchanges

if TYPE_CHECKING:  # the models are imported with the reader that builds them: reading an 835 loads no 271 model
    from medbill.domain.acknowledgements import (
        ClaimAcknowledgement,
        ClaimStatusRequest,
        FunctionalAcknowledgement,
        InterchangeAcknowledgement,
    )
    from medbill.domain.claims import ClaimBatch
    from medbill.domain.eligibility import EligibilityRequest, EligibilityResponse
    from medbill.domain.remittance import Remittance

    Document: TypeAlias = (
        Remittance
        | ClaimBatch
        | FunctionalAcknowledgement
        | ClaimAcknowledgement
        | InterchangeAcknowledgement
        | ClaimStatusRequest
        | EligibilityRequest
        | EligibilityResponse
    )


class TransactionType(StrEnum):
    REMITTANCE = "835"
    PROFESSIONAL_CLAIM = "837P"
    INSTITUTIONAL_CLAIM = "837I"
    FUNCTIONAL_ACK = "999"
    CLAIM_ACK = "277CA"
    CLAIM_STATUS_REQUEST = "276"
    CLAIM_STATUS_RESPONSE = "277"
    INTERCHANGE_ACK = "TA1"
    ELIGIBILITY_REQUEST = "270"
    ELIGIBILITY_RESPONSE = "271"


@dataclass(frozen=True, slots=True, kw_only=True)
class Transaction:
    """One transaction set as read: its type, control number, envelope, and the domain object it carries."""

    type: TransactionType
    control_number: str
    implementation: str
    interchange: InterchangeHeader
    group: GroupHeader | None
    document: Document


def _kind(raw: RawTransaction) -> TransactionType:
    set_id = raw.set_id
    impl = raw.implementation
    if set_id == "835":
        return TransactionType.REMITTANCE
    if set_id == "837":
        if "X223" in impl:
            return TransactionType.INSTITUTIONAL_CLAIM
        if "X222" in impl:
            return TransactionType.PROFESSIONAL_CLAIM
        raise X12StructureError(
            f"837 implementation '{impl}' is neither 005010X222 nor 005010X223",
            code="x12_unsupported_transaction",
            segment_position=1,
            segment_id="ST",
            element_position=3,
            expected="005010X222A1 or 005010X223A2",
        )
    if set_id == "999":
        return TransactionType.FUNCTIONAL_ACK
    if set_id == "277" and "X214" in impl:
        return TransactionType.CLAIM_ACK
    if set_id == "277" and "X212" in impl:
        return TransactionType.CLAIM_STATUS_RESPONSE
    if set_id == "276" and "X212" in impl:
        return TransactionType.CLAIM_STATUS_REQUEST
    if set_id == "TA1":
        return TransactionType.INTERCHANGE_ACK
    if set_id in ("270", "271") and "X279" in impl:
        return TransactionType.ELIGIBILITY_REQUEST if set_id == "270" else TransactionType.ELIGIBILITY_RESPONSE
    raise X12StructureError(
        f"transaction set {set_id} ({impl}) is not one medbill reads yet",
        code="x12_unsupported_transaction",
        segment_position=1,
        segment_id="ST",
        element_position=1,
        expected="835, 837, 999, 270, 271, 276, 277, 277CA or TA1",
    )


# Each transaction's reader, imported the first time a file holds one: validating an 835 loads no 271 reader.
_READERS: dict[TransactionType, tuple[str, str]] = {
    TransactionType.REMITTANCE: ("remittance", "read_835"),
    TransactionType.PROFESSIONAL_CLAIM: ("claims", "read_837"),
    TransactionType.INSTITUTIONAL_CLAIM: ("claims", "read_837"),
    TransactionType.FUNCTIONAL_ACK: ("functional_ack", "read_999"),
    TransactionType.CLAIM_ACK: ("claim_status", "read_277ca"),
    TransactionType.INTERCHANGE_ACK: ("functional_ack", "read_ta1"),
    TransactionType.CLAIM_STATUS_REQUEST: ("status", "read_276"),
    TransactionType.CLAIM_STATUS_RESPONSE: ("claim_status", "read_277"),
    TransactionType.ELIGIBILITY_REQUEST: ("eligibility_request", "read_270"),
    TransactionType.ELIGIBILITY_RESPONSE: ("eligibility", "read_271"),
}
_loaded: dict[TransactionType, Callable[[RawTransaction], Document]] = {}


def _reader(kind: TransactionType) -> Callable[[RawTransaction], Document]:
    found = _loaded.get(kind)
    if found is None:
        module, name = _READERS[kind]
        found = cast("Callable[[RawTransaction], Document]", getattr(import_module(f"{__package__}.{module}"), name))
        _loaded[kind] = found
    return found


def decode_transaction(raw: RawTransaction) -> Transaction:
    """The domain object for one raw transaction set; errors carry the interchange and transaction set."""
    try:
        kind = _kind(raw)
        document = _reader(kind)(raw)
    except X12Error as exc:
        raise exc.located(
            interchange=raw.interchange.control_number, transaction=raw.control_number if raw.set_id != "TA1" else None
        ) from None
    return Transaction(
        type=kind,
        control_number=raw.control_number,
        implementation=raw.implementation,
        interchange=raw.interchange,
        group=raw.group,
        document=document,
    )


def iter_raw(data: bytes | str) -> Iterator[RawTransaction]:
    for delimiters, segments in split_interchanges(decode(data)):
        yield from walk_interchange(delimiters, segments)


def iter_read(data: bytes | str) -> Iterator[Transaction]:
    """Transactions one at a time (the whole file's envelope is checked as it goes)."""
    for raw in iter_raw(data):
        yield decode_transaction(raw)


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Reading builds millions of small acyclic objects; the cyclic collector would rescan them again and again.

    Nothing the codec builds holds a cycle, so pausing the collector while reading frees nothing late.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read(data: bytes | str) -> list[Transaction]:
    """Every transaction set in ``data`` as domain objects; raises an X12 error that says where on the first fault."""
    with _no_cyclic_gc():
        return list(iter_read(data))


def read_stream(stream: BinaryIO) -> Iterator[Transaction]:
    """Transactions from a binary file, one interchange in memory at a time."""
    for delimiters, segments in iter_interchanges_from_stream(stream):
        for raw in walk_interchange(delimiters, segments):
            yield decode_transaction(raw)
