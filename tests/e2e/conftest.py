"""Fixtures for the web UI end to end: a signed-in HTTP client over the whole app, and a live server for the browser."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient

from medbill.bootstrap import Container
from medbill.server import create_app
from tests.support import PASSWORD, Practice, seed_practice

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """The CSRF token a page's forms carry."""
    match = _CSRF.search(html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


def sign_in(client: TestClient, username: str = "biller", password: str = PASSWORD) -> str:
    """Sign in through the login form; returns the session's CSRF token."""
    page = client.get("/login")
    assert page.status_code == 200
    done = client.post("/login", data={"username": username, "password": password, "csrf_token": csrf_of(page.text)})
    assert done.status_code == 200 and done.url.path == "/", done.text[:400]
    return csrf_of(done.text)


@dataclass(frozen=True, slots=True)
class Web:
    client: TestClient
    practice: Practice
    csrf: str

    def post(self, path: str, data: dict[str, str], *, follow: bool = False) -> Any:  # httpx's or httpx2's Response
        return self.client.post(path, data={**data, "csrf_token": self.csrf}, follow_redirects=follow)


@pytest.fixture
def web_practice(sqlite_container: Container) -> Practice:
    """The seeded practice on SQLite: the web layer's behaviour does not depend on the database, so its many
    refusal cases run once; ``web_on_each_database`` runs the whole flow on SQLite and PostgreSQL."""
    return seed_practice(sqlite_container)


def _signed_in(practice: Practice) -> Iterator[Web]:
    with TestClient(create_app(practice.container)) as client:
        yield Web(client=client, practice=practice, csrf=sign_in(client))


@pytest.fixture
def web(web_practice: Practice) -> Iterator[Web]:
    """The whole app (API and web UI) over the seeded practice, signed in as its biller."""
    yield from _signed_in(web_practice)


@pytest.fixture
def web_on_each_database(practice: Practice) -> Iterator[Web]:
    """As ``web``, once on SQLite and once on a fresh PostgreSQL database."""
    yield from _signed_in(practice)


@pytest.fixture
def anonymous(web_practice: Practice) -> Iterator[TestClient]:
    with TestClient(create_app(web_practice.container)) as client:
        yield client


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True, slots=True)
class LiveServer:
    url: str
    practice: Practice


@pytest.fixture
def live_server(sqlite_container: Container) -> Iterator[LiveServer]:
    """uvicorn serving the whole app on a free loopback port, in a thread, over a seeded SQLite practice."""
    practice = seed_practice(sqlite_container)
    port = _free_port()
    config = uvicorn.Config(
        create_app(sqlite_container), host="127.0.0.1", port=port, log_level="warning", access_log=False, lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="medbill-live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the live server did not start")
        time.sleep(0.02)
    try:
        yield LiveServer(url=f"http://127.0.0.1:{port}", practice=practice)
    finally:
        server.should_exit = True
        thread.join(timeout=20)
