"""`medbill x12 …` commands."""

from __future__ import annotations

import typer

app = typer.Typer(help="x12 commands", no_args_is_help=True)
