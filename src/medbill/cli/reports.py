"""`medbill reports …`: A/R aging and the KPIs, on the screen, as JSON, or into CSV and Excel files.

The two ``--json`` answers are contracts: ``reports kpis --json`` is one object whose keys are the KPI names, each
with its value as a decimal string and the counts behind it; ``reports aging --json`` is the buckets with amounts
(decimal strings) and claim counts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table as RichTable

from medbill.cli.admin import practice_id_for
from medbill.cli.common import console, container, fail, print_json
from medbill.domain.money import Money

if TYPE_CHECKING:
    from medbill.formats.report_files import Table
    from medbill.services.reports import AgingCell, AgingReport, KpiReport, KpiSet

app = typer.Typer(help="A/R aging and the KPIs billers are measured by.", no_args_is_help=True)

PracticeOpt = Annotated[str | None, typer.Option(help="practice id or name (default: the only one)")]
JsonOpt = Annotated[bool, typer.Option("--json", help="machine-readable output")]
CsvOpt = Annotated[Path | None, typer.Option("--csv", help="also write the report to this CSV file")]
XlsxOpt = Annotated[Path | None, typer.Option("--xlsx", help="also write the report to this Excel workbook")]


def _day(text: str | None, name: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"{name}: {text!r} is not a date (YYYY-MM-DD)")


def _dollars(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def aging_table(report: AgingReport) -> Table:
    from medbill.formats.report_files import Table

    labels = report.labels

    def line(name: str, account: str | None, cells: Mapping[str, AgingCell], total: AgingCell) -> tuple[Any, ...]:
        amounts = (_dollars(cells[b].amount_cents) for b in labels)
        return (name, account, *amounts, _dollars(total.amount_cents), *(cells[b].claims for b in labels), total.claims)

    rows = [line(r.label, r.account_number, r.buckets, r.total) for r in report.rows]
    rows.append(line("total", None, report.totals, report.total))
    header = (
        report.by.value,
        "account",
        *(f"{b} amount" for b in labels),
        "total amount",
        *(f"{b} claims" for b in labels),
        "total claims",
    )
    return Table(title=f"aging by {report.by.value}", header=header, rows=tuple(rows))


def kpi_tables(report: KpiReport) -> list[Table]:
    from medbill.formats.report_files import Table
    from medbill.services.report_json import counts_json

    header = ("scope", "from", "to", "kpi", "group", "value", "unit", "counts", "note")

    def rows(sets: tuple[KpiSet, ...]) -> tuple[tuple[Any, ...], ...]:
        out: list[tuple[Any, ...]] = []
        for s in sets:
            for key, kpi in s.kpis.items():
                items = [(None, kpi), *((report.payer_names.get(g, g), sub) for g, sub in kpi.groups.items())]
                for group, k in items:
                    counts = "; ".join(f"{n}={v}" for n, v in counts_json(k.counts).items())
                    out.append(
                        (s.label, s.period.start, s.period.end, key, group, k.value, k.unit.value, counts, k.note)
                    )
        return tuple(out)

    return [
        Table(title="KPIs", header=header, rows=rows((report.overall,))),
        Table(title="by month", header=header, rows=rows(report.by_month)),
        Table(title="by payer", header=header, rows=rows(report.by_payer)),
        Table(title="by provider", header=header, rows=rows(report.by_provider)),
    ]


def _write(tables: list[Table], csv_file: Path | None, xlsx_file: Path | None) -> None:
    from medbill.formats.report_files import to_csv, to_xlsx

    if csv_file is not None:  # one CSV: the tables share their header, so their rows follow each other
        rows = tuple(row for t in tables for row in t.rows)
        csv_file.write_bytes(to_csv(replace(tables[0], rows=rows)))
    if xlsx_file is not None:
        xlsx_file.write_bytes(to_xlsx(tables))


@app.command("aging")
def aging(
    by: Annotated[str, typer.Option(help="payer (insurance balances) or patient (patient balances)")] = "payer",
    basis: Annotated[str, typer.Option(help="age from the date of service, or of the claim's last submission")] = (
        "service"
    ),
    as_of: Annotated[str | None, typer.Option("--as-of", help="the day to age to (default: today)")] = None,
    csv_file: CsvOpt = None,
    xlsx_file: XlsxOpt = None,
    practice: PracticeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """A/R in 0–30, 31–60, 61–90, 91–120 and 120+ days, in dollars and claims."""
    from medbill.services import reports
    from medbill.services.report_json import aging_json
    from medbill.services.users import operator

    actor = operator(practice_id_for(practice))
    day = _day(as_of, "as_of")
    with container() as c:
        report = reports.ar_aging(c.deps, actor, by=by, basis=basis, as_of=day)
    _write([aging_table(report)], csv_file, xlsx_file)
    if as_json:
        print_json(aging_json(report))
        return
    table = RichTable(report.by.value, *report.labels, "total", title=f"A/R aging at {report.as_of.isoformat()}")
    for row in (*report.rows, None):
        cells = report.totals if row is None else row.buckets
        total = report.total if row is None else row.total
        table.add_row(
            "total" if row is None else row.label,
            *(f"{Money(cells[b].amount_cents).display()} ({cells[b].claims})" for b in report.labels),
            f"{Money(total.amount_cents).display()} ({total.claims})",
        )
    console.print(table)


@app.command("kpis")
def kpis(
    from_: Annotated[str | None, typer.Option("--from", help="first day (default: six months back)")] = None,
    to: Annotated[str | None, typer.Option("--to", help="last day (default: today)")] = None,
    csv_file: CsvOpt = None,
    xlsx_file: XlsxOpt = None,
    target: Annotated[
        list[str] | None,
        typer.Option(help="your own target, e.g. clean_claim_rate=0.97 or days_in_ar=35 (also MEDBILL_KPI_TARGETS)"),
    ] = None,
    practice: PracticeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Clean-claim rate, first-pass resolution, denial rates, days in A/R, A/R over 90 days, net collection rate,
    charge lag, days to submit and estimate accuracy; the files also hold them by month, payer and provider."""
    from medbill.services import reports
    from medbill.services.report_json import counts_json, kpis_json
    from medbill.services.users import operator

    actor = operator(practice_id_for(practice))
    start, end = _day(from_, "from"), _day(to, "to")
    from medbill.domain.kpis import Targets

    with container() as c:
        chosen = Targets.parse(",".join(filter(None, [c.settings.kpi_targets, *(target or [])])))
        report = reports.kpis(c.deps, actor, start, end, targets=chosen)
    _write(kpi_tables(report), csv_file, xlsx_file)
    if as_json:
        print_json(kpis_json(report.overall, report.targets, report.payer_names))
        return
    table = RichTable("KPI", "value", "target", "counts", title=f"KPIs {report.period.label}")
    for key, kpi in report.overall.kpis.items():
        goal = report.targets.for_key(key)
        met = report.targets.meets(kpi)
        mark = "" if met is None else (" [green]met[/green]" if met else " [red]missed[/red]")
        counts = ", ".join(f"{n} {v}" for n, v in counts_json(kpi.counts).items()) or kpi.note
        table.add_row(key, kpi.display, (goal.text if goal else "") + mark, counts)
    console.print(table)
