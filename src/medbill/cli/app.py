"""The root Typer app and the registration of every command group."""

from __future__ import annotations

import typer

from medbill.cli import codes, x12

app = typer.Typer(help="medbill: medical billing and coding.", no_args_is_help=True, pretty_exceptions_enable=False)
app.add_typer(codes.app, name="codes")
app.add_typer(x12.app, name="x12")
