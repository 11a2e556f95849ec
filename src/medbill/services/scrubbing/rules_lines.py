"""Line rules: each line's date, procedure or revenue code and pointers are there, and the arithmetic adds up."""

from __future__ import annotations

import re

from medbill.domain.scrub import Finding
from medbill.services.scrubbing.registry import RULES
from medbill.services.scrubbing.view import ClaimView

R = RULES
_REVENUE = re.compile(r"\d{4}")  # SV201 / UB-04 FL 42


def _money(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def check_lines(v: ClaimView, out: list[Finding]) -> None:
    c = v.claim
    n_dx = len(v.diagnoses)
    today = v.context.today
    for line, on in zip(c.lines, v.line_dates, strict=True):
        n = line.number
        if on is None:
            out.append(
                R["completeness.service_date"].finding(
                    f"Line {n}: add the date of service.",
                    line=n,
                    field=f"lines[{n}].service_date",
                    location=v.where("line_date"),
                )
            )
        elif today is not None and on > today:
            out.append(
                R["completeness.service_date_future"].finding(
                    f"Line {n}: the date of service {on.isoformat()} is after today ({today.isoformat()}); bill it "
                    "once the service is given.",
                    line=n,
                    field=f"lines[{n}].service_date",
                    location=v.where("line_date"),
                )
            )
        if v.professional:
            if line.procedure is None or not line.procedure.code.strip():
                out.append(
                    R["completeness.procedure"].finding(
                        f"Line {n}: add the CPT/HCPCS code.",
                        line=n,
                        field=f"lines[{n}].procedure",
                        location=v.where("procedure"),
                    )
                )
            if not line.diagnosis_pointers:
                out.append(
                    R["completeness.diagnosis_pointer"].finding(
                        f"Line {n}: point the line at the diagnosis (1–4 pointers) that justifies it.",
                        line=n,
                        field=f"lines[{n}].diagnosis_pointers",
                        location=v.where("pointer"),
                    )
                )
            bad = [p for p in line.diagnosis_pointers if not 1 <= p <= n_dx]
            if bad:
                out.append(
                    R["arithmetic.pointer_invalid"].finding(
                        f"Line {n}: diagnosis pointer {', '.join(map(str, bad))} points past the claim's {n_dx} "
                        "diagnoses; point at one of them.",
                        line=n,
                        field=f"lines[{n}].diagnosis_pointers",
                        location=v.where("pointer"),
                    )
                )
        elif not (line.revenue_code or "").strip():
            out.append(
                R["completeness.revenue_code"].finding(
                    f"Line {n}: add the revenue code (4 digits, e.g. 0450).",
                    line=n,
                    field=f"lines[{n}].revenue_code",
                    location=v.where("revenue"),
                )
            )
        elif not _REVENUE.fullmatch(line.revenue_code or ""):
            out.append(
                R["codes.revenue_code_malformed"].finding(
                    f"Line {n}: revenue code '{line.revenue_code}' is not four digits; write it with its leading "
                    "zero (0450, not 450).",
                    line=n,
                    field=f"lines[{n}].revenue_code",
                    location=v.where("revenue"),
                )
            )
        if line.units <= 0:
            out.append(
                R["arithmetic.units_positive"].finding(
                    f"Line {n}: units are {line.units}; bill at least one unit.",
                    line=n,
                    field=f"lines[{n}].units",
                    location=v.where("units"),
                )
            )
        if line.charge_cents < 0:
            out.append(
                R["arithmetic.line_charge_negative"].finding(
                    f"Line {n}: the charge is {_money(line.charge_cents)}; a charge cannot be negative (use a "
                    "replacement claim to lower it).",
                    line=n,
                    field=f"lines[{n}].charge",
                    location=v.where("line_charge"),
                )
            )
    total = c.lines_total_cents()
    if total != c.total_charge_cents:
        out.append(
            R["arithmetic.total_mismatch"].finding(
                f"The claim total is {_money(c.total_charge_cents)} but the lines add up to {_money(total)}; "
                "correct the total or the line charges.",
                field="total_charge",
                location=v.where("total"),
            )
        )
