"""The right adapter for a connection's configuration: a new vendor is a new adapter here, not a new workflow."""

from __future__ import annotations

from collections.abc import Mapping

from medbill.adapters.clearinghouse.config import ClearinghouseConfig, DirectoryConfig, HttpConfig, SftpConfig
from medbill.services.ports import Clearinghouse


def build_clearinghouse(config: ClearinghouseConfig, *, environ: Mapping[str, str] | None = None) -> Clearinghouse:
    """An adapter for ``config``; secrets are read from ``environ`` (default: the process environment) on connect."""
    if isinstance(config, SftpConfig):
        from medbill.adapters.clearinghouse.sftp import SftpClearinghouse

        return SftpClearinghouse(config, environ=environ)
    if isinstance(config, HttpConfig):
        from medbill.adapters.clearinghouse.http import HttpClearinghouse  # httpx loads only for HTTP mailboxes

        return HttpClearinghouse(config, environ=environ)
    if isinstance(config, DirectoryConfig):
        from medbill.adapters.clearinghouse.directory import DirectoryClearinghouse

        return DirectoryClearinghouse(config)
    raise TypeError(f"no clearinghouse adapter for {type(config).__name__}")
