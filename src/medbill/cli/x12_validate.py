"""`medbill x12 validate FILE [--json]` without Typer: the check and its report, for the Typer command and the fast path.

`medbill x12 validate` on a large file is measured against other validators as a whole process, start-up included;
importing Typer (and, through it, Click and more) costs about a tenth of a second, so the plain forms of the command
(`validate FILE`, with or without `--json`) run from here directly. Anything else (`--help`, an unknown option) goes
through Typer as before, and the Typer command calls the same ``check``: one report, two doors.
"""

from __future__ import annotations

import sys
from pathlib import Path


def _out(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def check(file: Path, *, as_json: bool) -> int:
    """Validate FILE, print the report (or one line on stderr when it cannot be read) and return the exit code."""
    from medbill.formats.x12.validate import validate_stream

    try:
        with file.open("rb") as stream:
            report = validate_stream(stream)
    except OSError as exc:
        sys.stderr.write(f"error: cannot read {file}: {exc.strerror}".replace("\n", " ") + "\n")
        return 1
    findings = report.findings or []
    if as_json:
        import json

        _out(
            json.dumps(
                {
                    "file": str(file),
                    "ok": not findings,
                    "transactions": report.transactions,
                    "errors": [f.as_dict() for f in findings],
                }
            )
        )
    else:
        for f in findings:
            _out(f"{file}: {f.location()}: {f.message}" + (f" (expected {f.expected})" if f.expected else ""))
        _out(
            f"{file}: {'OK' if not findings else f'{len(findings)} error(s)'}, {report.transactions} transaction set(s)"
        )
    return 1 if findings else 0


def fast_main(args: list[str]) -> int | None:
    """The exit code of ``validate FILE [--json]`` run without Typer; None when ``args`` are any other form."""
    if not args or args[0] != "validate":
        return None
    rest = args[1:]
    files = [a for a in rest if a != "--json"]
    if len(files) != 1 or files[0].startswith("-") or len(rest) - len(files) > 1:
        return None
    return check(Path(files[0]), as_json=len(rest) > 1)
