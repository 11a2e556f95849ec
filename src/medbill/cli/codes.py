"""`medbill codes …` commands."""

from __future__ import annotations

import typer

app = typer.Typer(help="codes commands", no_args_is_help=True)
