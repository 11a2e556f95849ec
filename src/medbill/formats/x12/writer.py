"""Writing X12: domain objects to a complete interchange (ISA/GS/ST … SE/GE/IEA) with counts generated."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from medbill.domain.acknowledgements import (
    ClaimAcknowledgement,
    ClaimStatusRequest,
    FunctionalAcknowledgement,
    InterchangeAcknowledgement,
)
from medbill.domain.claims import ClaimBatch, ClaimKind
from medbill.domain.remittance import Remittance
from medbill.formats.x12 import claim_status as st277
from medbill.formats.x12 import claims_loops as c837
from medbill.formats.x12 import claims_write as c837w
from medbill.formats.x12 import functional_ack as ack
from medbill.formats.x12 import remittance as r835
from medbill.formats.x12 import remittance_write as r835w
from medbill.formats.x12 import status as s276
from medbill.formats.x12.envelope import (
    Envelope,
    begin_group,
    begin_interchange,
    begin_transaction,
    end_group,
    end_interchange,
    end_transaction,
    transaction_number,
)
from medbill.formats.x12.syntax import SegmentWriter

T = TypeVar("T")


def write_interchange(
    envelope: Envelope,
    functional_id: str,
    set_id: str,
    version: str,
    documents: Sequence[T],
    body: Callable[[SegmentWriter, T], None],
    *,
    st03: bool = True,
) -> str:
    """One interchange with one functional group holding one transaction set per document."""
    w = begin_interchange(envelope)
    begin_group(w, envelope, functional_id, version)
    for index, doc in enumerate(documents):
        control = transaction_number(envelope, index)
        start = begin_transaction(w, set_id, control, version if st03 else None)
        body(w, doc)
        end_transaction(w, control, start)
    end_group(w, envelope, len(documents))
    return end_interchange(w, envelope)


def write_835(remittances: Sequence[Remittance], envelope: Envelope) -> str:
    """An 835 interchange (005010X221A1), one transaction set per remittance."""
    return write_interchange(
        envelope,
        "HP",
        "835",
        r835.IMPLEMENTATION,
        remittances,
        r835w.write_835_body,
        st03=False,  # 835 ST03 not used
    )


def write_999(acks: Sequence[FunctionalAcknowledgement], envelope: Envelope) -> str:
    """A 999 interchange (005010X231A1), one transaction set per acknowledged functional group."""
    return write_interchange(envelope, "FA", "999", ack.IMPLEMENTATION_999, acks, ack.write_999_body)


def write_ta1(acks: Sequence[InterchangeAcknowledgement], envelope: Envelope) -> str:
    """An interchange holding only TA1 segments (no functional group)."""
    w = begin_interchange(envelope)
    for a in acks:
        ack.write_ta1(w, a)
    return end_interchange(w, envelope, groups=0)


def write_837(batches: Sequence[ClaimBatch], envelope: Envelope) -> str:
    """An 837P or 837I interchange, one transaction set per batch (all batches of one kind)."""
    kinds = {b.kind for b in batches}
    if len(kinds) != 1:
        raise ValueError("one 837 interchange holds batches of one kind (837P or 837I)")
    version = c837.PROFESSIONAL if kinds == {ClaimKind.PROFESSIONAL} else c837.INSTITUTIONAL
    return write_interchange(envelope, "HC", "837", version, batches, c837w.write_837_body)


def write_277ca(acks: Sequence[ClaimAcknowledgement], envelope: Envelope) -> str:
    """A 277CA interchange (005010X214), one transaction set per acknowledgement."""
    return write_interchange(envelope, "HN", "277", ack.IMPLEMENTATION_277CA, acks, st277.write_277ca_body)


def write_276(requests: Sequence[ClaimStatusRequest], envelope: Envelope) -> str:
    """A 276 claim status request interchange (005010X212)."""
    return write_interchange(envelope, "HR", "276", s276.IMPLEMENTATION, requests, s276.write_276_body)


def write_277(responses: Sequence[ClaimAcknowledgement], envelope: Envelope) -> str:
    """A 277 claim status response interchange (005010X212)."""
    return write_interchange(envelope, "HN", "277", s276.IMPLEMENTATION, responses, st277.write_277_body)
