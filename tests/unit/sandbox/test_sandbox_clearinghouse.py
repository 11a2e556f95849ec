"""The sandbox payer behind the Clearinghouse port: send an 837, list and fetch its 999, 277CA and 835."""

from __future__ import annotations

from pathlib import Path

import pytest

from medbill.adapters.clearinghouse.sandbox import SandboxClearinghouse
from medbill.domain.errors import ClearinghouseError
from medbill.domain.remittance import Remittance
from medbill.formats import x12
from medbill.services.ports import Clearinghouse
from tests.unit.sandbox.sandbox_helpers import NOW, claim, file_of


def sandbox(root: Path) -> SandboxClearinghouse:
    return SandboxClearinghouse(root, seed=3, now=lambda: NOW)


def test_sending_an_837_leaves_its_three_answers_in_the_inbound_list(tmp_path: Path) -> None:
    mailbox: Clearinghouse = sandbox(tmp_path)
    data = file_of(claim("PCN-1", "SBXCOMM", "COMM-COPAY", [("99213", (), 20000)]))
    with mailbox:
        mailbox.send("batch1.837", data)
        names = [f.name for f in mailbox.list_inbound()]
        assert names == ["batch1.277CA.x12", "batch1.835.x12", "batch1.999.x12"]
        (remit,) = x12.read(mailbox.fetch("batch1.835.x12"))
    assert isinstance(remit.document, Remittance) and remit.document.payment.amount_cents == 11787
    assert mailbox.transport == "sandbox" and mailbox.name == "sandbox"
    assert (tmp_path / "outbound" / "batch1.837").read_bytes() == data


def test_benefits_and_duplicates_carry_over_between_files(tmp_path: Path) -> None:
    mailbox = sandbox(tmp_path)
    first = claim("PCN-1", "SBXCOMM", "COMM-DEDPART", [("99213", (), 20000)])
    mailbox.send("a.837", file_of(first, icn=601))
    mailbox.send("b.837", file_of(first, icn=602))  # the same service again
    (again,) = x12.read(mailbox.fetch("b.835.x12"))
    assert isinstance(again.document, Remittance)
    line = again.document.claims[0].lines[0]
    assert [(a.group.value, a.carc) for a in line.adjustments] == [("OA", "18")]
    assert again.interchange.control_number == "000000006"  # second file: interchanges 4, 5 and 6


def test_files_dropped_in_by_another_transport_are_answered_once(tmp_path: Path) -> None:
    mailbox = sandbox(tmp_path)
    (tmp_path / "outbound").mkdir(parents=True)
    (tmp_path / "outbound" / "via-sftp.837").write_bytes(
        file_of(claim("PCN-9", "SBXMCR", "MCR-0001", [("99213", (), 20000)]))
    )
    assert mailbox.process_pending() == ["via-sftp.837"]
    assert mailbox.process_pending() == []
    assert len(mailbox.list_inbound()) == 3


def test_the_same_remote_name_is_never_overwritten(tmp_path: Path) -> None:
    mailbox = sandbox(tmp_path)
    data = file_of(claim("PCN-1", "SBXCOMM", "COMM-COPAY", [("99213", (), 20000)]))
    mailbox.send("x.837", data)
    with pytest.raises(ClearinghouseError):
        mailbox.send("x.837", data)
