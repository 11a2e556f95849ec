"""X12 5010 codec: ``x12.read(data)`` gives the transactions in a file as domain objects; writers make files.

Layers: ``syntax`` (delimiters, segments, typed elements) → ``envelope`` (ISA/GS/ST … SE/GE/IEA, checked) → one
reader and one writer per transaction family: ``remittance`` / ``remittance_write`` (835, with
``remittance_loops``), ``claims`` / ``claims_write`` (837P, 837I, with ``claims_loops``), ``functional_ack``
(999, TA1), ``claim_status`` (277CA, 277), ``status`` (276), ``eligibility`` / ``eligibility_request`` /
``eligibility_write`` (271, 270). ``common`` holds NM1/N3/N4/REF/PER; ``construct``
the fast constructors of frozen domain objects. ``writer`` wraps bodies in envelopes with generated counts;
``validate`` lists every error with its location; ``jsonview`` shapes transactions for ``medbill x12 parse``.
"""

from medbill.formats.x12.eligibility_write import write_270, write_271
from medbill.formats.x12.envelope import Envelope, GroupHeader, InterchangeHeader
from medbill.formats.x12.errors import X12EnvelopeError, X12Error, X12StructureError, X12SyntaxError
from medbill.formats.x12.reader import Transaction, TransactionType, iter_read, read, read_stream
from medbill.formats.x12.syntax import Delimiters
from medbill.formats.x12.validate import Finding, Report, validate, validate_stream
from medbill.formats.x12.writer import (
    write_276,
    write_277,
    write_277ca,
    write_835,
    write_837,
    write_999,
    write_ta1,
)

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
