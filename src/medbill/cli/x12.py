"""`medbill x12 …` commands: parse a file to JSON, validate a file against the 5010 guides."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from medbill.cli.x12_validate import check
from medbill.formats import x12 as codec
from medbill.formats.x12.jsonview import transaction_json

app = typer.Typer(
    help="Read and check X12 5010 files (835, 837P, 837I, 999, 277CA, 270, 271, 276, 277, TA1).", no_args_is_help=True
)

FileArg = Annotated[Path, typer.Argument(help="The X12 file.")]


def _fail(message: str) -> typer.Exit:
    typer.echo(message.replace("\n", " "), err=True)
    return typer.Exit(code=1)


@app.command("parse")
def parse(file: FileArg, as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Print the transactions in FILE (with --json, as {"transactions": [...]}, amounts as decimal strings)."""
    try:
        with file.open("rb") as stream:
            if as_json:
                out = sys.stdout
                out.write('{"transactions": [')
                for n, t in enumerate(codec.read_stream(stream)):
                    out.write(("," if n else "") + "\n" + json.dumps(transaction_json(t)))
                out.write("\n]}\n")
                return
            for t in codec.read_stream(stream):
                summary = transaction_json(t)
                claims = len(summary.get("claims", []))
                typer.echo(
                    f"{t.type.value} {t.control_number} (interchange {t.interchange.control_number})"
                    + (f": {claims} claims" if "claims" in summary else "")
                )
    except codec.X12Error as exc:
        raise _fail(f"error: {exc}") from None
    except BrokenPipeError:  # the reader of our output went away (| head): not an error of the file
        raise typer.Exit(code=0) from None
    except OSError as exc:
        raise _fail(f"error: cannot read {file}: {exc.strerror}") from None


@app.command("validate")
def validate(file: FileArg, as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Check FILE's envelopes, structure and guide rules; exit 1 when there is any error."""
    code = check(file, as_json=as_json)
    if code:
        raise typer.Exit(code=code)
