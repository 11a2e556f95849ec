"""A clearinghouse with an HTTP API (httpx): submit a file, list the reports waiting, download one.

The shape, which a vendor's adapter maps its own API onto (paths are configurable):

    POST   {base}{submit_path}                 multipart form, field "file" (file name = the remote name)
                                               → 2xx; 409 when that name exists already
    GET    {base}{reports_path}                → {"reports": [{"name": …, "size": …, "created_at": ISO-8601}, …]}
                                                 (a bare list is accepted too; size and created_at are optional)
    GET    {base}{reports_path}/{name}         → the report's bytes
    DELETE {base}{reports_path}/{name}         only when delete_after_fetch is set

Authentication is a bearer token read from the environment variable named in ``token_env``. Errors name the
mailbox and the server's host and port, never the token, and never echo a response body (it may hold PHI).
"""

from __future__ import annotations

import contextlib
import fnmatch
import os
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from medbill.adapters.clearinghouse.base import Nesting, Now, apply_pattern, secret_from_env, utc_now
from medbill.adapters.clearinghouse.config import HttpConfig
from medbill.domain.errors import ClearinghouseError
from medbill.services.ports import RemoteFile

_X12 = "application/edi-x12"


class HttpClearinghouse(Nesting):
    transport = "http"

    def __init__(
        self,
        config: HttpConfig,
        *,
        environ: Mapping[str, str] | None = None,
        now: Now = utc_now,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.config = config
        self._environ = os.environ if environ is None else environ
        self._now = now
        self._transport = transport
        self._client: httpx.Client | None = None
        url = urlsplit(config.base_url)
        port = url.port or (443 if url.scheme == "https" else 80)
        self.where = f"HTTP mailbox {config.name} at {url.hostname}:{port}"

    @property
    def name(self) -> str:
        return self.config.name

    def outbound_name(self, name: str) -> str:
        return apply_pattern(self.config.file_name_pattern, name, self._now())

    def send(self, remote_name: str, data: bytes) -> None:
        with self, self._errors(f"submitting {remote_name}", maybe_delivered=True):
            response = self._http().post(self.config.submit_path, files={"file": (remote_name, data, _X12)})
            if response.status_code == 409:
                raise ClearinghouseError(
                    f"{self.where}: {remote_name} exists already; it was not overwritten", code="clearinghouse_conflict"
                )
            self._check(response, f"submitting {remote_name}", maybe_delivered=response.status_code == 504)

    def list_inbound(self) -> Sequence[RemoteFile]:
        with self, self._errors("listing the reports"):
            response = self._http().get(self.config.reports_path)
            self._check(response, "listing the reports")
            try:
                body = response.json()
            except ValueError as exc:
                raise ClearinghouseError(f"{self.where}: the list of reports is not JSON") from exc
            items = body.get("reports") if isinstance(body, dict) else body
            if not isinstance(items, list):
                raise ClearinghouseError(f'{self.where}: the list of reports has no "reports" list')
            found = [self._report(item) for item in items]
            wanted = [f for f in found if fnmatch.fnmatchcase(f.name, self.config.inbound_glob)]
            return sorted(wanted, key=lambda f: f.name)

    def fetch(self, remote_name: str) -> bytes:
        with self, self._errors(f"downloading {remote_name}"):
            response = self._http().get(self._report_path(remote_name))
            self._check(response, f"downloading {remote_name}")
            return response.content

    def confirm_fetched(self, remote_name: str) -> None:
        if not self.config.delete_after_fetch:
            return
        with self, self._errors(f"removing {remote_name}"):
            response = self._http().delete(self._report_path(remote_name))
            if response.status_code != 404:  # gone already is what we wanted
                self._check(response, f"removing {remote_name}")

    # --- connection ---------------------------------------------------------------------------------------------

    def _open(self) -> None:
        headers = {"Accept": "application/json, */*"}
        if self.config.token_env is not None:
            token = secret_from_env(self._environ, self.config.token_env, "API token", self.config.name)
            headers["Authorization"] = f"Bearer {token}"
        self._client = httpx.Client(
            base_url=self.config.base_url.rstrip("/"),
            headers=headers,
            timeout=httpx.Timeout(self.config.timeout_seconds),
            verify=self.config.verify_tls,
            transport=self._transport,
            follow_redirects=False,  # a redirect could carry the bearer token elsewhere
            trust_env=False,
        )

    def _close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            with contextlib.suppress(Exception):
                client.close()

    def _http(self) -> httpx.Client:
        assert self._client is not None, "used outside its with block"
        return self._client

    def _report_path(self, remote_name: str) -> str:
        return f"{self.config.reports_path.rstrip('/')}/{quote(remote_name, safe='')}"

    def _report(self, item: Any) -> RemoteFile:
        if isinstance(item, str):
            item = {"name": item}
        name = item.get("name") if isinstance(item, dict) else None
        if not isinstance(name, str) or not name:
            raise ClearinghouseError(f"{self.where}: a report in the list has no name")
        size = item.get("size")
        created = item.get("created_at")
        modified = None
        if isinstance(created, str):
            with contextlib.suppress(ValueError):
                parsed = datetime.fromisoformat(created.replace("Z", "+00:00"))
                modified = parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        return RemoteFile(name=name, size=size if isinstance(size, int) else None, modified_at=modified)

    def _check(self, response: httpx.Response, doing: str, *, maybe_delivered: bool = False) -> None:
        status = response.status_code
        if 200 <= status < 300:
            return
        if status in (401, 403):
            raise ClearinghouseError(
                f"{self.where}: {doing} was refused (HTTP {status}); check the token in {self.config.token_env}",
                code="clearinghouse_auth_failed",
            )
        raise ClearinghouseError(f"{self.where}: {doing} failed with HTTP {status}", maybe_delivered=maybe_delivered)

    @contextlib.contextmanager
    def _errors(self, doing: str, *, maybe_delivered: bool = False) -> Iterator[None]:
        """httpx's exceptions as ``ClearinghouseError``; a request that may have reached the server is flagged."""
        try:
            yield
        except ClearinghouseError:
            raise
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise ClearinghouseError(
                f"{self.where}: could not connect ({exc.__class__.__name__})", code="clearinghouse_unreachable"
            ) from exc
        except httpx.TimeoutException as exc:
            raise ClearinghouseError(
                f"{self.where}: {doing} timed out ({exc.__class__.__name__})",
                code="clearinghouse_unreachable",
                maybe_delivered=maybe_delivered and not isinstance(exc, httpx.PoolTimeout),
            ) from exc
        except httpx.HTTPError as exc:
            raise ClearinghouseError(
                f"{self.where}: {doing} failed ({exc.__class__.__name__})",
                code="clearinghouse_unreachable",
                maybe_delivered=maybe_delivered,
            ) from exc
