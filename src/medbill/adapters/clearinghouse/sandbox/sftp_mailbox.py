"""The sandbox payer on the far side of an SFTP mailbox: files go up and come down through ``SftpClearinghouse``
(a real sshd serving the sandbox folder), and after each upload the payer answers what arrived in its folder."""

from __future__ import annotations

from collections.abc import Sequence

from medbill.adapters.clearinghouse.base import Nesting
from medbill.adapters.clearinghouse.sandbox.adapter import SandboxClearinghouse
from medbill.adapters.clearinghouse.sftp import SftpClearinghouse
from medbill.services.ports import RemoteFile


class SandboxOverSftp(Nesting):
    """Send and poll through SFTP; the sandbox payer answers each file as it lands in its outbound folder."""

    transport = "sftp"

    def __init__(self, sandbox: SandboxClearinghouse, sftp: SftpClearinghouse) -> None:
        self.sandbox = sandbox
        self.sftp = sftp

    @property
    def name(self) -> str:
        return self.sftp.name

    @property
    def address(self) -> str:
        return f"{self.sftp.config.host}:{self.sftp.config.port}"

    @property
    def where(self) -> str:
        return self.sftp.where

    def outbound_name(self, name: str) -> str:
        return self.sftp.outbound_name(name)

    def send(self, remote_name: str, data: bytes) -> None:
        with self:
            self.sftp.send(remote_name, data)
            self.sandbox.process_pending()

    def list_inbound(self) -> Sequence[RemoteFile]:
        return self.sftp.list_inbound()

    def fetch(self, remote_name: str) -> bytes:
        return self.sftp.fetch(remote_name)

    def confirm_fetched(self, remote_name: str) -> None:
        self.sftp.confirm_fetched(remote_name)

    def _open(self) -> None:
        self.sftp.__enter__()

    def _close(self) -> None:
        self.sftp.__exit__(None, None, None)
