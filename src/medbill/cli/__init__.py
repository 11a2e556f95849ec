"""The `medbill` command line: one Typer app whose sub-apps are the doors' verbs."""

from __future__ import annotations

import sys

# Commands that need neither the database nor the other command groups start without loading them: `medbill x12
# validate` on a large file is measured against other validators as a whole process, start-up included.
_LIGHT = {"x12": "medbill.cli.x12"}


def main() -> None:
    args = sys.argv[1:]
    if args[:2] == ["x12", "validate"]:  # its plain forms need not even Typer
        from medbill.cli.x12_validate import fast_main

        code = fast_main(args[1:])
        if code is not None:
            raise SystemExit(code)
    if args and args[0] in _LIGHT:
        from importlib import import_module

        import_module(_LIGHT[args[0]]).app(args=args[1:], prog_name=f"medbill {args[0]}")
        return
    from medbill.cli.app import app

    app()
