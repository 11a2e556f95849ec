"""X12 5010 codec: ``x12.read(data)`` gives the transactions in a file as domain objects; writers make files.

Layers: ``syntax`` (delimiters, segments, typed elements) → ``envelope`` (ISA/GS/ST … SE/GE/IEA, checked) → one
reader and one writer per transaction family: ``remittance`` / ``remittance_write`` (835, with
``remittance_loops``), ``claims`` / ``claims_write`` (837P, 837I, with ``claims_loops``), ``functional_ack``
(999, TA1), ``claim_status`` (277CA, 277), ``status`` (276), ``eligibility`` / ``eligibility_request`` /
``eligibility_write`` (271, 270). ``common`` holds NM1/N3/N4/REF/PER; ``construct``
the fast constructors of frozen domain objects. ``writer`` wraps bodies in envelopes with generated counts;
``validate`` lists every error with its location; ``jsonview`` shapes transactions for ``medbill x12 parse``.

The writers are imported on first use, so that ``medbill x12 validate`` (measured as a whole process against other
validators) loads only the reader it needs, not every writer and model. (``validate`` is imported here: it is both a
submodule and a function, and the package attribute must stay the function.)
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from medbill.formats.x12.envelope import Envelope, GroupHeader, InterchangeHeader
from medbill.formats.x12.errors import X12EnvelopeError, X12Error, X12StructureError, X12SyntaxError
from medbill.formats.x12.reader import Transaction, TransactionType, iter_read, read, read_stream
from medbill.formats.x12.syntax import Delimiters
from medbill.formats.x12.validate import Finding, Report, validate, validate_stream

if TYPE_CHECKING:
    from medbill.formats.x12.eligibility_write import write_270, write_271
    from medbill.formats.x12.writer import (
        write_276,
        write_277,
        write_277ca,
        write_835,
        write_837,
        write_999,
        write_ta1,
    )

_WHERE = {
    "eligibility_write": ("write_270", "write_271"),
    "writer": ("write_276", "write_277", "write_277ca", "write_835", "write_837", "write_999", "write_ta1"),
}
_MODULE_OF = {name: module for module, names in _WHERE.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_MODULE_OF])


__all__ = [
    "Delimiters",
    "Envelope",
    "Finding",
    "GroupHeader",
    "InterchangeHeader",
    "Report",
    "Transaction",
    "TransactionType",
    "X12EnvelopeError",
    "X12Error",
    "X12StructureError",
    "X12SyntaxError",
    "iter_read",
    "read",
    "read_stream",
    "validate",
    "validate_stream",
    "write_270",
    "write_271",
    "write_276",
    "write_277",
    "write_277ca",
    "write_835",
    "write_837",
    "write_999",
    "write_ta1",
]
