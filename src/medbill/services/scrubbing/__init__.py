"""The claim scrubber: named rules (data where the issue says so) run over claims before they leave.

`scrub_claim(claim, context)` gives one claim's findings; `scrub_claims(claims, context)` a batch's, keyed by CLM01;
`RULES` is the registry (id, family, severity, description). `ScrubContext` carries what the database knows and
the 837 does not (coverage, filing limits, lines already sent, a practice's payer rule book); every field is
optional, so a bare 837 file scrubs with `ScrubContext()`.
"""

from medbill.services.scrubbing.context import (
    ClaimFacts,
    CoveragePeriod,
    LineSignature,
    ScrubContext,
    line_signatures,
    sent_map,
)
from medbill.services.scrubbing.engine import has_errors, scrub_batch, scrub_claim, scrub_claims
from medbill.services.scrubbing.lookups import Lookups
from medbill.services.scrubbing.payer_rules import PayerRuleBook, load_rule_book, parse_rule_book, shipped_rule_book
from medbill.services.scrubbing.registry import RULES, Rule

__all__ = [
    "RULES",
    "ClaimFacts",
    "CoveragePeriod",
    "LineSignature",
    "Lookups",
    "PayerRuleBook",
    "Rule",
    "ScrubContext",
    "has_errors",
    "line_signatures",
    "load_rule_book",
    "parse_rule_book",
    "scrub_batch",
    "scrub_claim",
    "scrub_claims",
    "sent_map",
    "shipped_rule_book",
]
