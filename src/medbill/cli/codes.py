"""`medbill codes …` commands: show, search, load-cpt, em, suggest and the reference-list lookups."""

from __future__ import annotations

import json
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from medbill.domain.errors import MedbillError

app = typer.Typer(
    help="Code sets: ICD-10-CM, HCPCS, CPT numbers, modifiers, POS, CARC/RARC, E/M.", no_args_is_help=True
)

JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")]
DateOpt = Annotated[str | None, typer.Option("--date", help="Date of service, YYYY-MM-DD (default today).")]


def _fail(message: str, code: int = 1) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _date(text: str | None) -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        _fail(f"invalid_input: --date {text!r} is not a date in the form YYYY-MM-DD", 2)


def _emit(payload: Any, as_json: bool, lines: list[str]) -> None:
    if as_json:
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=None))
    else:
        typer.echo("\n".join(lines))


def _error(exc: MedbillError) -> NoReturn:
    _fail(f"{exc.code}: {exc.message}")


class SystemChoice(StrEnum):
    auto = "auto"
    icd10cm = "icd10cm"
    hcpcs = "hcpcs"
    cpt = "cpt"


@app.command()
def show(
    code: Annotated[str, typer.Argument(help="A code: E11.9 or E119, S52.501A, J3490, 99213.")],
    on: DateOpt = None,
    system: Annotated[SystemChoice, typer.Option("--system", help="Force a code system.")] = SystemChoice.auto,
    as_json: JsonOpt = False,
) -> None:
    """Print a code's full context: title, chapter and block, billable or not, notes, 7th characters."""
    from medbill.codesets import lookup
    from medbill.domain.coding import CodeSystem

    chosen = {
        SystemChoice.icd10cm: CodeSystem.ICD10CM,
        SystemChoice.hcpcs: CodeSystem.HCPCS,
        SystemChoice.cpt: CodeSystem.CPT,
    }.get(system)
    when = _date(on)
    try:
        info = lookup.describe(code, when, chosen)
    except MedbillError as exc:
        _error(exc)
    _emit(info, as_json, _show_lines(info))


def _show_lines(info: dict[str, Any]) -> list[str]:
    flag = "billable" if info["billable"] else "NOT billable (header)"
    valid = "valid" if info["valid_on_date"] else "NOT valid"
    lines = [
        f"{info['code']}  {info['title']}",
        f"  {info['system']} · {flag} · {valid} on {info['date']} · {info['edition']}",
    ]
    if info.get("reason"):
        lines.append(f"  reason: {info['reason']['message']}")
    if info.get("chapter"):
        lines.append(f"  chapter {info['chapter']['code']}: {info['chapter']['title']}")
    if info.get("block"):
        lines.append(f"  block {info['block']['code']}: {info['block']['title']}")
    if info.get("needs_seventh_character") or info.get("seventh_characters"):
        lines.append("  7th characters:")
        lines.extend(f"    {s['character']}  {s['meaning']}" for s in info["seventh_characters"])
    for kind, notes in (info.get("notes") or {}).items():
        lines.append(f"  {kind.replace('_', ' ')}:")
        lines.extend(
            f"    - {n['text']}" + (f"  [at {n['source']}]" if n["source"] != info["code"] else "") for n in notes
        )
    if info.get("children"):
        lines.append("  codes below:")
        lines.extend(f"    {c['code']}  {c['title']}" for c in info["children"][:30])
    if info.get("convention"):
        c = info["convention"]
        lines.append(f"  convention: sex={c['sex']} record={c['record']} ({c['source']})")
    if info.get("age_range"):
        a = info["age_range"]
        lines.append(f"  ages {a['lo']}–{a['hi']} ({a['edit']})")
    if info.get("title_note"):
        lines.append(f"  {info['title_note']}")
    if info.get("mue"):
        lines.append(f"  MUE: {info['mue']['max_units']} unit(s), MAI {info['mue']['adjudication_indicator']}")
    return lines


@app.command()
def search(
    text: Annotated[str, typer.Argument(help="Words ('type 2 diabetes with neuropathy') or a code prefix (E11.4).")],
    limit: Annotated[int, typer.Option("--limit", min=1, max=500)] = 20,
    on: DateOpt = None,
    system: Annotated[SystemChoice, typer.Option("--system")] = SystemChoice.icd10cm,
    as_json: JsonOpt = False,
) -> None:
    """Rank codes by title and inclusion terms (billable first, headers shown as such)."""
    from medbill.codesets import reference, store

    when = _date(on)
    if system in (SystemChoice.hcpcs,):
        refs = reference.hcpcs().search(text, limit=limit)
        results = [
            {"code": r.code, "title": r.description, "billable": r.status == "current", "score": 1.0} for r in refs
        ]
    else:
        try:
            hits = store.icd10cm_search().search(text, limit=limit, on=when)
        except MedbillError as exc:
            _error(exc)
        results = [
            {"code": h.code, "title": h.title, "billable": h.billable, "score": h.score, "kind": h.kind} for h in hits
        ]
    lines = [f"{r['code']:<9} {'' if r['billable'] else '[header] '}{r['title']}  ({r['score']})" for r in results]
    _emit({"query": text, "results": results}, as_json, lines or ["no matches"])


@app.command("load-cpt")
def load_cpt(
    file: Annotated[Path, typer.Argument(help="Your licensed CPT descriptor file (code, descriptor per line).")],
    as_json: JsonOpt = False,
) -> None:
    """Load a practice's licensed CPT descriptors into the local store (never shipped with medbill)."""
    from medbill.codesets import cpt

    try:
        n = cpt.load_cpt_file(file)
    except MedbillError as exc:
        _error(exc)
    _emit(
        {"loaded": n, "store": str(cpt.store_path())}, as_json, [f"loaded {n} CPT descriptors into {cpt.store_path()}"]
    )


@app.command("load-edition")
def load_edition(
    file: Annotated[Path, typer.Argument(help="An ICD-10-CM tabular XML, or a CMS code-description addenda file.")],
    name: Annotated[str, typer.Option("--name", help="Edition name, e.g. FY2028.")],
    starts: Annotated[str, typer.Option("--from", help="First date of service it covers, YYYY-MM-DD.")],
    ends: Annotated[str, typer.Option("--to", help="Last date of service it covers, YYYY-MM-DD.")],
    base: Annotated[
        str | None, typer.Option("--base", help="Edition an addenda applies to (default: the latest).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a dated ICD-10-CM edition; it never replaces or overlaps the loaded ones."""
    from medbill.codesets import store

    if not file.is_file():
        _fail(f"invalid_input: {file} is not a readable file")
    try:
        spec = store.register_edition(
            file, name=name, effective_from=_date(starts), effective_to=_date(ends), base=base
        )
        icd = store.icd10cm()
    except ValueError as exc:
        _fail(f"invalid_input: {exc}")
    except MedbillError as exc:
        _error(exc)
    billable = sum(1 for _ in icd.edition(spec.name).billable_codes())
    payload = {
        "edition": spec.name,
        "from": spec.effective_from.isoformat(),
        "to": spec.effective_to.isoformat(),
        "base": spec.base,
        "billable_codes": billable,
        "editions": [e.name for e in icd.editions],
    }
    _emit(
        payload,
        as_json,
        [f"loaded {spec.name} ({spec.effective_from} to {spec.effective_to}): {billable} billable codes"],
    )


class PatientChoice(StrEnum):
    new = "new"
    established = "established"


@app.command()
def em(
    patient: Annotated[PatientChoice, typer.Option("--patient", help="new or established")],
    minutes: Annotated[int | None, typer.Option("--time", help="Total time on the date, minutes.")] = None,
    problems: Annotated[str | None, typer.Option("--problems", help="minimal|low|moderate|high")] = None,
    data: Annotated[str | None, typer.Option("--data", help="minimal|limited|moderate|extensive")] = None,
    risk: Annotated[str | None, typer.Option("--risk", help="minimal|low|moderate|high")] = None,
    documents: Annotated[int, typer.Option("--documents", min=0, help="Unique external notes reviewed.")] = 0,
    results: Annotated[int, typer.Option("--results", min=0, help="Unique test results reviewed.")] = 0,
    orders: Annotated[int, typer.Option("--orders", min=0, help="Unique tests ordered.")] = 0,
    historian: Annotated[bool, typer.Option("--historian", help="An independent historian was needed.")] = False,
    interpretation: Annotated[
        bool, typer.Option("--interpretation", help="Independent interpretation of a test.")
    ] = False,
    discussion: Annotated[
        bool, typer.Option("--discussion", help="Management discussed with an external physician.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Office/outpatient E/M level (99202–99215) by total time or by MDM (two of three elements).

    The data element is given as a level (--data) or counted (--documents, --results, --orders, --historian,
    --interpretation, --discussion) as the AMA MDM table counts it.
    """
    from medbill.domain.em import DataReviewed, EmInput, EmResult, MdmLevel, PatientStatus, calculate

    counted = DataReviewed(
        unique_documents_reviewed=documents,
        unique_results_reviewed=results,
        unique_tests_ordered=orders,
        independent_historian=historian,
        independent_interpretation=interpretation,
        discussion_with_external_physician=discussion,
    )
    try:
        data_level = MdmLevel.parse(data, element="data") if data else (counted.level() if counted.given else None)
        result = calculate(
            EmInput(
                patient=PatientStatus(patient.value),
                total_minutes=minutes,
                problems=MdmLevel.parse(problems, element="problems") if problems else None,
                data=data_level,
                risk=MdmLevel.parse(risk, element="risk") if risk else None,
            )
        )
    except MedbillError as exc:
        _error(exc)
    if counted.given and not data:
        result = EmResult(
            code=result.code,
            method=result.method,
            mdm_level=result.mdm_level,
            reasons=(counted.describe(), *result.reasons),
            prolonged_code=result.prolonged_code,
            prolonged_units=result.prolonged_units,
        )
    payload = {
        "code": result.code,
        "method": result.method,
        "mdm_level": result.mdm_level.label if result.mdm_level else None,
        "reasons": list(result.reasons),
        "prolonged": {"code": result.prolonged_code, "units": result.prolonged_units}
        if result.prolonged_code
        else None,
    }
    lines = [f"{result.code} (by {result.method})", *(f"  - {r}" for r in result.reasons)]
    _emit(payload, as_json, lines)


@app.command()
def suggest(
    file: Annotated[
        Path | None, typer.Argument(help="A text file holding the note; '-' or nothing reads stdin.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=100)] = 10,
    on: DateOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Suggest ICD-10-CM codes from a clinical note, with the words that support each, and E/M hints."""
    from medbill.codesets import suggest as suggesting

    text = sys.stdin.read() if file is None or str(file) == "-" else _read(file)
    if not text.strip():
        _fail("invalid_input: the note is empty")
    result = suggesting.suggest(text, limit=limit, on=_date(on))
    payload = suggesting.to_json(result)
    lines = [
        f"{s['code']:<9} {s['title']}  ({s['score']})  ← {', '.join(repr(e) for e in s['evidence'][:3])}"
        for s in payload["suggestions"]
    ]
    if payload["em"]:
        lines.append("E/M hints: " + "; ".join(f"{k}={v}" for k, v in payload["em"].items() if v is not None))
    _emit(payload, as_json, lines or ["no suggestions"])


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        _fail(f"invalid_input: cannot read {path}: {exc.strerror}")


class RefSet(StrEnum):
    pos = "pos"
    carc = "carc"
    rarc = "rarc"
    group = "group"
    status_category = "status-category"
    status = "status"
    modifier = "modifier"
    taxonomy = "taxonomy"
    hcpcs = "hcpcs"


@app.command()
def ref(
    code_set: Annotated[RefSet, typer.Argument(help="Which list.")],
    code: Annotated[str, typer.Argument(help="The code, or words to search its descriptions for.")],
    as_json: JsonOpt = False,
) -> None:
    """Look up a reference code: POS, CARC, RARC, group, claim status (category), modifier, taxonomy, HCPCS."""
    from medbill.codesets import reference

    tables = {
        RefSet.pos: reference.place_of_service,
        RefSet.carc: reference.carc,
        RefSet.rarc: reference.rarc,
        RefSet.group: reference.adjustment_groups,
        RefSet.status_category: reference.claim_status_categories,
        RefSet.status: reference.claim_statuses,
        RefSet.modifier: reference.modifiers,
        RefSet.taxonomy: reference.taxonomy,
        RefSet.hcpcs: reference.hcpcs,
    }
    table = tables[code_set]()
    found = table.get(code)
    rows = [found] if found is not None else table.search(code)
    if not rows:
        _fail(f"unknown_code: {code!r} is not a {table.system} code and no description matches it")
    payload = {
        "results": [
            {
                "code": r.code,
                "system": r.system,
                "description": r.description,
                "status": r.status,
                "effective_from": r.effective_from.isoformat() if r.effective_from else None,
                "effective_to": r.effective_to.isoformat() if r.effective_to else None,
                **dict(r.extra),
            }
            for r in rows
        ]
    }
    _emit(
        payload,
        as_json,
        [f"{r.code:<11} {r.description}" + ("" if r.status == "current" else f" [{r.status}]") for r in rows],
    )


@app.command()
def mue(
    code: Annotated[str, typer.Argument(help="CPT or HCPCS code.")],
    as_json: JsonOpt = False,
) -> None:
    """The practitioner MUE (most units per day or line) for a code, CMS NCCI 2026-04-01."""
    from medbill.codesets import reference

    m = reference.mue_practitioner().get(code.strip().upper())
    if m is None:
        _fail(f"unknown_code: no practitioner MUE for {code.strip().upper()!r}")
    payload = {
        "code": m.code,
        "max_units": m.max_units,
        "adjudication_indicator": m.adjudication_indicator,
        "rationale": m.rationale,
    }
    _emit(
        payload, as_json, [f"{m.code}: at most {m.max_units} unit(s) (MAI {m.adjudication_indicator}, {m.rationale})"]
    )


@app.command()
def ptp(
    first: Annotated[str, typer.Argument(help="A CPT/HCPCS code.")],
    second: Annotated[str, typer.Argument(help="The other code on the same date of service.")],
    on: DateOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """The NCCI PTP edit between two codes on a date (OCE table; see data/SOURCES.md), or none."""
    from medbill.codesets import ncci

    when = _date(on)
    edit = ncci.ptp().edit_on(first, second, when)
    if edit is None:
        payload: dict[str, Any] = {"edit": None, "date": when.isoformat()}
        _emit(payload, as_json, [f"no NCCI PTP edit between {first.upper()} and {second.upper()} on {when}"])
        return
    payload = {
        "edit": {
            "column1": edit.column1,
            "column2": edit.column2,
            "effective_from": edit.effective_from.isoformat(),
            "deleted_after": edit.deleted_after.isoformat() if edit.deleted_after else None,
            "modifier_indicator": edit.modifier_indicator,
            "modifier_allowed": edit.modifier_allowed,
        },
        "date": when.isoformat(),
    }
    how = "an NCCI-associated modifier may bypass it" if edit.modifier_allowed else "no modifier bypasses it"
    _emit(payload, as_json, [f"{edit.column2} is column 2 to {edit.column1} on {when}: {how}"])
