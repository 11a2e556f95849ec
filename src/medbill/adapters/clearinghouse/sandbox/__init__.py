"""The sandbox payer: adjudicates our 837s with real pricing, benefits and denial rules, and answers in X12."""

from medbill.adapters.clearinghouse.sandbox.adapter import SandboxClearinghouse
from medbill.adapters.clearinghouse.sandbox.adjudicator import SandboxState
from medbill.adapters.clearinghouse.sandbox.config import SandboxPayer, load_payers
from medbill.adapters.clearinghouse.sandbox.engine import Answers, SandboxPayerEngine

__all__ = ["Answers", "SandboxClearinghouse", "SandboxPayer", "SandboxPayerEngine", "SandboxState", "load_payers"]
