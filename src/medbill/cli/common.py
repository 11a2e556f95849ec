"""What every command shares: building the container, failing with one line, printing JSON."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NoReturn

import typer
from rich.console import Console

from medbill.domain.errors import MedbillError

if TYPE_CHECKING:
    from medbill.bootstrap import Container

console = Console()
err_console = Console(stderr=True)


def fail(message: str, code: int = 1) -> NoReturn:
    err_console.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


@contextmanager
def container() -> Iterator[Container]:
    """The container for one command; a domain error ends the command with its one-line reason."""
    from medbill.bootstrap import Settings, build  # the database layer loads only for commands that use it

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
