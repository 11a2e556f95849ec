"""The HTTP API transport against a small clearinghouse API the test serves on 127.0.0.1 on a free port."""

from __future__ import annotations

import email.parser
import email.policy
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote

import pytest

from medbill.adapters.clearinghouse.config import HttpConfig
from medbill.adapters.clearinghouse.http import HttpClearinghouse
from medbill.domain.errors import ClearinghouseError
from medbill.services import clearinghouse as exchange
from medbill.services.ports import FileStatus
from tests.integration.sftp_server import free_port
from tests.support import Practice

TOKEN = "synthetic-token-for-tests"


@dataclass
class FakeApi:
    """What the API holds and what it was asked."""

    submissions: dict[str, bytes] = field(default_factory=dict)
    reports: dict[str, bytes] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    authorizations: set[str] = field(default_factory=set)
    fail_with: int | None = None
    port: int = 0


class Handler(BaseHTTPRequestHandler):
    api: FakeApi

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet

    def _begin(self) -> bool:
        self.api.requests.append((self.command, self.path))
        self.api.authorizations.add(self.headers.get("Authorization", ""))
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            self._answer(401, b'{"error": "unauthorized"}')
            return False
        if self.api.fail_with:
            self._answer(self.api.fail_with, b'{"error": "synthetic failure"}')
            return False
        return True

    def _answer(self, status: int, body: bytes = b"", content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        body = self.rfile.read(length)
        if not self._begin():
            return
        if self.path != "/api/v1/submissions":
            return self._answer(404)
        head = f"Content-Type: {self.headers['Content-Type']}\r\n\r\n".encode()
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
        (part,) = [p for p in message.iter_parts() if p.get_param("name", header="content-disposition") == "file"]
        name = str(part.get_filename())
        if name in self.api.submissions:
            return self._answer(409, b'{"error": "exists"}')
        self.api.submissions[name] = part.get_payload(decode=True)
        self._answer(201, json.dumps({"id": name}).encode())

    def do_GET(self) -> None:
        if not self._begin():
            return
        if self.path == "/api/v1/reports":
            listing = [
                {"name": n, "size": len(b), "created_at": "2026-11-26T15:00:00Z"} for n, b in self.api.reports.items()
            ]
            return self._answer(200, json.dumps({"reports": listing}).encode())
        name = unquote(self.path.removeprefix("/api/v1/reports/"))
        if name not in self.api.reports:
            return self._answer(404)
        self._answer(200, self.api.reports[name], "application/edi-x12")

    def do_DELETE(self) -> None:
        if not self._begin():
            return
        name = unquote(self.path.removeprefix("/api/v1/reports/"))
        if self.api.reports.pop(name, None) is None:
            return self._answer(404)
        self._answer(204)


@pytest.fixture
def api() -> Iterator[FakeApi]:
    state = FakeApi()
    handler = type("BoundHandler", (Handler,), {"api": state})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def mailbox(port: int, token: str = TOKEN, **overrides: Any) -> HttpClearinghouse:
    config = HttpConfig(
        name="test-api", base_url=f"http://127.0.0.1:{port}/api/v1", token_env="TEST_API_TOKEN", timeout_seconds=5.0
    )
    for key, value in overrides.items():
        config = HttpConfig(**{**{f: getattr(config, f) for f in config.__slots__}, key: value})
    return HttpClearinghouse(config, environ={"TEST_API_TOKEN": token})


def test_a_file_is_posted_with_the_bearer_token_and_archived(practice: Practice, api: FakeApi) -> None:
    deps, biller = practice.container.deps, practice.biller

    sent = exchange.send_file(deps, biller, mailbox(api.port), "batch 1.x12", b"synthetic claims", "837P")

    assert api.submissions == {"batch 1.x12": b"synthetic claims"}
    assert api.authorizations == {f"Bearer {TOKEN}"}
    assert (sent.status, sent.transport, sent.mailbox, sent.x12_kind) == (FileStatus.SENT, "http", "test-api", "837P")


def test_reports_are_fetched_once_and_deleted_only_when_configured(practice: Practice, api: FakeApi) -> None:
    deps, biller = practice.container.deps, practice.biller
    api.reports = {"ack 1.999": b"synthetic ack", "remit-1.835": b"synthetic remit"}

    first = exchange.poll(deps, biller, mailbox(api.port))
    second = exchange.poll(deps, biller, mailbox(api.port))
    api.reports["ack 1.999"] = b"synthetic ack, corrected"
    third = exchange.poll(deps, biller, mailbox(api.port))

    assert sorted((f.file.remote_name, f.content) for f in first) == [
        ("ack 1.999", b"synthetic ack"),
        ("remit-1.835", b"synthetic remit"),
    ]
    assert second == []
    assert [(f.file.remote_name, f.content) for f in third] == [("ack 1.999", b"synthetic ack, corrected")]
    assert not [r for r in api.requests if r[0] == "DELETE"]

    assert exchange.poll(deps, biller, mailbox(api.port, delete_after_fetch=True)) == []
    assert sorted(r[1] for r in api.requests if r[0] == "DELETE") == [
        "/api/v1/reports/ack%201.999",
        "/api/v1/reports/remit-1.835",
    ]
    assert api.reports == {}


def test_a_refused_token_is_named_by_its_variable_never_shown(practice: Practice, api: FakeApi) -> None:
    deps, biller = practice.container.deps, practice.biller
    api.reports = {"ack.999": b"synthetic"}

    with pytest.raises(ClearinghouseError) as refused:
        exchange.poll(deps, biller, mailbox(api.port, token="synthetic-wrong-token"))

    assert refused.value.code == "clearinghouse_auth_failed"
    assert "TEST_API_TOKEN" in str(refused.value)
    assert "synthetic-wrong-token" not in str(refused.value)
    assert exchange.list_files(deps, biller) == []


def test_a_failed_submission_is_an_error_and_nothing_is_archived(practice: Practice, api: FakeApi) -> None:
    deps, biller = practice.container.deps, practice.biller
    api.fail_with = 500

    with pytest.raises(ClearinghouseError) as failed:
        exchange.send_file(deps, biller, mailbox(api.port), "batch-2.x12", b"synthetic claims")

    assert "HTTP 500" in str(failed.value)
    assert f"127.0.0.1:{api.port}" in str(failed.value)
    assert failed.value.maybe_delivered is False
    assert exchange.list_files(deps, biller) == []


def test_an_existing_name_is_refused_by_the_api(practice: Practice, api: FakeApi) -> None:
    deps, biller = practice.container.deps, practice.biller
    api.submissions["batch-3.x12"] = b"already there"

    with pytest.raises(ClearinghouseError) as exists:
        exchange.send_file(deps, biller, mailbox(api.port), "batch-3.x12", b"synthetic claims")

    assert exists.value.code == "clearinghouse_conflict"
    assert api.submissions == {"batch-3.x12": b"already there"}
    assert exchange.list_files(deps, biller) == []


def test_an_api_that_is_down_is_a_clear_error(practice: Practice) -> None:
    deps, biller = practice.container.deps, practice.biller
    port = free_port()

    with pytest.raises(ClearinghouseError) as down:
        exchange.send_file(deps, biller, mailbox(port), "batch-4.x12", b"synthetic claims")

    assert down.value.code == "clearinghouse_unreachable"
    assert f"127.0.0.1:{port}" in str(down.value)
    assert down.value.maybe_delivered is False
    assert exchange.list_files(deps, biller) == []
