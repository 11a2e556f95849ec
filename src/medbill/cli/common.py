"""What every command shares: building the container, failing with one line, printing JSON."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import typer
from rich.console import Console

from medbill.bootstrap import Container, Settings, build
from medbill.domain.errors import MedbillError

console = Console()
err_console = Console(stderr=True)


def fail(message: str, code: int = 1) -> NoReturn:
    err_console.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


@contextmanager
def container() -> Iterator[Container]:
    """The container for one command; a domain error ends the command with its one-line reason."""
    built = build(Settings())
    try:
        yield built
    except MedbillError as exc:
        fail(str(exc))
    finally:
        built.close()


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, default=str))


def guarded(fn: Callable[[], None]) -> None:
    try:
        fn()
    except MedbillError as exc:
        fail(str(exc))
