"""NCCI rules: procedure-to-procedure pairs on one date of service, and medically unlikely units (MUE).

The PTP pairs are the CMS hospital outpatient code editor's (I/OCE 27.1) table: the practitioner PTP table was
not obtainable, so a professional claim is checked against its hospital-outpatient sibling and every message
says so. The MUE values are the CMS practitioner MUE table effective 2026-04-01.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from medbill.codesets.reference import MUE_EFFECTIVE
from medbill.domain.claims import ServiceLine
from medbill.domain.scrub import Finding
from medbill.services.scrubbing.registry import RULES
from medbill.services.scrubbing.view import ClaimView

R = RULES
PTP_SOURCE = "NCCI PTP, hospital outpatient I/OCE 27.1 table (practitioner table not available)"
MUE_SOURCE = f"CMS practitioner MUE effective {MUE_EFFECTIVE.isoformat()}"
# NCCI Policy Manual ch. I §E: modifiers that may bypass an edit with modifier indicator 1
BYPASS_MODIFIERS = frozenset(
    {"59", "XE", "XS", "XP", "XU", "24", "25", "27", "57", "58", "78", "79", "91"}
    | {"E1", "E2", "E3", "E4", "FA", "F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9"}
    | {"LC", "LD", "LM", "RC", "RI", "LT", "RT", "TA", "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9"}
)


def _by_date(v: ClaimView) -> dict[date, list[ServiceLine]]:
    groups: dict[date, list[ServiceLine]] = defaultdict(list)
    for line, on in zip(v.claim.lines, v.line_dates, strict=True):
        if on is not None and line.procedure is not None and line.procedure.code:
            groups[on].append(line)
    return groups


def check_ptp(v: ClaimView, out: list[Finding]) -> None:
    lk = v.lookups
    for on, lines in _by_date(v).items():
        if len(lines) < 2:
            continue
        for x, first in enumerate(lines):
            a = first.procedure.code  # type: ignore[union-attr]
            for second in lines[x + 1 :]:
                b = second.procedure.code  # type: ignore[union-attr]
                if a == b:
                    continue
                edit = lk.ptp_edit(a, b, on)
                if edit is None or edit.modifier_indicator not in ("0", "1"):
                    continue
                col2 = second if edit.column2 == b else first
                col1 = first if col2 is second else second
                mods = {*col1.procedure.modifiers, *col2.procedure.modifiers}  # type: ignore[union-attr]
                if edit.modifier_indicator == "1" and mods & BYPASS_MODIFIERS:
                    continue
                what = (
                    "if the services were distinct (separate site, session or practitioner), append 59 or "
                    "XE/XS/XP/XU to the column 2 code; otherwise remove the line"
                    if edit.modifier_indicator == "1"
                    else "no modifier bypasses this pair (modifier indicator 0): remove the line"
                )
                rule = "ncci.ptp_pair" if edit.modifier_indicator == "1" else "ncci.ptp_pair_no_bypass"
                out.append(
                    R[rule].finding(
                        f"Line {col2.number}: {edit.column2} is not paid with {edit.column1} (line {col1.number}) on "
                        f"{on.isoformat()} ({PTP_SOURCE}); {what}.",
                        line=col2.number,
                        field=f"lines[{col2.number}].procedure",
                        location=v.where("modifier"),
                    )
                )


def check_mue(v: ClaimView, out: list[Finding]) -> None:
    lk = v.lookups
    per_day: dict[tuple[date, str], tuple[Decimal, int]] = {}
    for line, on in zip(v.claim.lines, v.line_dates, strict=True):
        p = line.procedure
        if p is None:
            continue
        mue = lk.mue(p.code)
        if mue is None or mue.max_units == 0:  # 0: not a practitioner service (e.g. DME, billed to the DME MAC)
            continue
        if mue.adjudication_indicator == "1":
            if line.units > mue.max_units:
                out.append(
                    R["ncci.mue_line"].finding(
                        f"Line {line.number}: {line.units} units of {p.code} exceed the limit of {mue.max_units} per "
                        f"line ({MUE_SOURCE}); bill the units given, and if more were medically necessary, split them "
                        "on lines with the right modifier and keep the documentation.",
                        line=line.number,
                        field=f"lines[{line.number}].units",
                        location=v.where("units"),
                    )
                )
        elif on is not None:
            key = (on, p.code)
            before = per_day.get(key)
            per_day[key] = (line.units + before[0] if before else line.units, line.number)
    for (on, code), (units, n) in per_day.items():
        mue = lk.mue(code)
        if mue is not None and units > mue.max_units:
            out.append(
                R["ncci.mue_date"].finding(
                    f"{units} units of {code} on {on.isoformat()} exceed the limit of {mue.max_units} per day "
                    f"({MUE_SOURCE}, adjudication indicator {mue.adjudication_indicator}); correct the units.",
                    line=n,
                    field=f"lines[{n}].units",
                    location=v.where("units"),
                )
            )
