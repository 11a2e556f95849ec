"""The sandbox payer behind the ``Clearinghouse`` port: a mailbox folder whose answers the payer writes itself.

The mailbox is a directory (``outbound/`` where 837s arrive, ``inbound/`` where the 999, 277CA and 835 appear,
``state.json`` with the members' benefits used so far), so the same folders can be served by an SFTP server and
answered by ``process_pending`` for files that arrived through it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath

from medbill.adapters.clearinghouse.base import Nesting, Now, utc_now
from medbill.adapters.clearinghouse.config import DirectoryConfig
from medbill.adapters.clearinghouse.directory import DirectoryClearinghouse
from medbill.adapters.clearinghouse.sandbox.adjudicator import SandboxState
from medbill.adapters.clearinghouse.sandbox.config import SandboxPayer, load_payers
from medbill.adapters.clearinghouse.sandbox.engine import SandboxPayerEngine
from medbill.domain.errors import ClearinghouseError
from medbill.services.ports import RemoteFile

STATE_FILE = "state.json"
ANSWERED_FILE = "answered.txt"


class SandboxClearinghouse(Nesting):
    """Send an 837 and the sandbox payer's 999, 277CA and 835 for it are waiting in the inbound list."""

    transport = "sandbox"

    def __init__(
        self,
        root: Path,
        *,
        name: str = "sandbox",
        payers: Mapping[str, SandboxPayer] | None = None,
        seed: int = 0,
        now: Now = utc_now,
    ) -> None:
        self.root = root
        self._now = now
        self.engine = SandboxPayerEngine(load_payers() if payers is None else payers, seed=seed)
        self.mailbox = DirectoryClearinghouse(
            DirectoryConfig(
                name=name, outbound_dir=root / "outbound", inbound_dir=root / "inbound", create_folders=True
            ),
            now=now,
        )

    @property
    def name(self) -> str:
        return self.mailbox.name

    def outbound_name(self, name: str) -> str:
        return self.mailbox.outbound_name(name)

    def send(self, remote_name: str, data: bytes) -> None:
        """Deliver the file to the payer and let it answer at once."""
        with self:
            self.mailbox.send(remote_name, data)
            self.process_pending()

    def process_pending(self) -> list[str]:
        """Answer every outbound file not answered yet (also those dropped in by another transport); their names."""
        with self:
            answered_path = self.root / ANSWERED_FILE
            answered = set(answered_path.read_text().split()) if answered_path.exists() else set()
            names = sorted(
                e.name
                for e in os.scandir(self.root / "outbound")
                if e.is_file() and not e.name.startswith(".") and e.name not in answered
            )
            for name in names:
                self._answer(name, (self.root / "outbound" / name).read_bytes())
                with answered_path.open("a", encoding="utf-8") as fh:
                    fh.write(name + "\n")
            return names

    def _answer(self, name: str, data: bytes) -> None:
        state_path = self.root / STATE_FILE
        state = SandboxState.loads(state_path.read_text()) if state_path.exists() else SandboxState()
        answers = self.engine.answer(data, state, self._now())
        stem = PurePosixPath(name).stem
        inbound = self.root / "inbound"
        for suffix, text in (
            ("TA1", answers.ack_ta1),
            ("999", answers.ack_999),
            ("277CA", answers.ack_277ca),
            ("835", answers.remittance_835),
            ("277", answers.status_277),
            ("271", answers.eligibility_271),
        ):
            if text is not None:
                _write_new(inbound / f"{stem}.{suffix}.x12", text.encode("ascii"))
        tmp = state_path.with_suffix(".tmp")
        tmp.write_text(state.dumps())
        os.replace(tmp, state_path)

    def list_inbound(self) -> Sequence[RemoteFile]:
        return self.mailbox.list_inbound()

    def fetch(self, remote_name: str) -> bytes:
        return self.mailbox.fetch(remote_name)

    def confirm_fetched(self, remote_name: str) -> None:
        self.mailbox.confirm_fetched(remote_name)

    def _open(self) -> None:
        self.mailbox.__enter__()

    def _close(self) -> None:
        self.mailbox.__exit__(None, None, None)


def _write_new(path: Path, data: bytes) -> None:
    try:
        with path.open("xb") as fh:
            fh.write(data)
    except FileExistsError:
        raise ClearinghouseError(
            f"sandbox: {path.name} exists already; it was not overwritten", code="clearinghouse_conflict"
        ) from None
