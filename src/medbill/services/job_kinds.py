"""The long jobs of the revenue cycle as background-job kinds: how each is split into chunks and what a chunk runs.

Every chunk calls the same service the CLI, API and web call, so running in the background changes nothing about
what is done; each of those services is idempotent for a retried chunk (claims are keyed by encounter and payer,
an 835 by payer, trace and claim payments, a batch is sent once, a scrubbed claim is scrubbed again to the same
findings). Chunk sizes: claims are built and scrubbed 500 at a time (a patient's claims stay in one scrub chunk, so
duplicate checks across them still see each other); 837s are built a payer a chunk; an 835 file is one chunk; the
other jobs are one chunk each.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from medbill.domain.claim_states import ClaimStatus
from medbill.domain.errors import ValidationError
from medbill.domain.jobs import JobKind, split
from medbill.domain.statements import StatementRules
from medbill.domain.users import Actor, Permission
from medbill.services import batches, claim_status, claims, eligibility, posting, submission
from medbill.services import clearinghouse as mailbox
from medbill.services import statements as statement_runs
from medbill.services.jobs import ChunkContext, JobSpec, JsonMap, Planned, register, start_job
from medbill.services.ports import UnitOfWork

DEFAULT_CHUNK = 500
MAX_CHUNK = 5000


def _chunk_size(params: JsonMap) -> dict[str, Any]:
    size = params.get("chunk_size", DEFAULT_CHUNK)
    if not isinstance(size, int) or isinstance(size, bool) or not 1 <= size <= MAX_CHUNK:
        raise ValidationError(f"chunk_size is a whole number from 1 to {MAX_CHUNK}", field="chunk_size")
    return {"chunk_size": size}


def _mailbox(params: JsonMap) -> dict[str, Any]:
    name = params.get("mailbox")
    if name is not None and (not isinstance(name, str) or not name.strip()):
        raise ValidationError("mailbox is the name of a clearinghouse connection", field="mailbox")
    return {"mailbox": name}


def _batch_options(params: JsonMap) -> dict[str, Any]:
    usage = params.get("usage", "P")
    if usage not in ("P", "T"):
        raise ValidationError("usage is P (production) or T (test), as ISA15", field="usage")
    phone = params.get("contact_phone")
    if phone is not None and (not isinstance(phone, str) or not phone.isdigit() or len(phone) != 10):
        raise ValidationError("contact_phone is ten digits (1000A PER04)", field="contact_phone")
    per_file = params.get("claims_per_file", batches.MAX_CLAIMS_PER_FILE)
    if not isinstance(per_file, int) or isinstance(per_file, bool) or not 1 <= per_file <= batches.MAX_CLAIMS_PER_FILE:
        raise ValidationError(
            f"claims_per_file is a whole number from 1 to {batches.MAX_CLAIMS_PER_FILE}", field="claims_per_file"
        )
    return {"usage": usage, "contact_phone": phone, "claims_per_file": per_file}


def _day(params: JsonMap, key: str, *, required: bool) -> str | None:
    value = params.get(key)
    if value is None and not required:
        return None
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise ValidationError(f"{key} is a date, YYYY-MM-DD", field=key) from None


def _one(_uow: UnitOfWork, _actor: Actor, _params: JsonMap) -> list[Planned]:
    return [Planned({}, 1)]


# --- claims: build, scrub, batch, send, take in the answers ------------------------------------------------------------


def _plan_build(uow: UnitOfWork, actor: Actor, params: JsonMap) -> list[Planned]:
    ids = list(uow.claims.unbilled_encounter_ids(actor.practice_id))
    return [Planned({"encounter_ids": part}, len(part)) for part in split(ids, params["chunk_size"])]


def _run_build(ctx: ChunkContext, payload: JsonMap) -> dict[str, Any]:
    built = claims.build_claims(ctx.deps, ctx.actor, payload["encounter_ids"], skip_unbillable=True)
    return {"created": len(built.created), "existing": len(built.existing), "skipped": len(built.skipped)}


def _plan_scrub(uow: UnitOfWork, actor: Actor, params: JsonMap) -> list[Planned]:
    rows = uow.jobs.claims_by_patient(actor.practice_id, ClaimStatus.DRAFT.value)
    out: list[Planned] = []
    part: list[str] = []
    last_patient = None
    for claim_id, patient_id in rows:  # ordered by patient: a chunk closes only between two patients
        if len(part) >= params["chunk_size"] and patient_id != last_patient:
            out.append(Planned({"claim_ids": part}, len(part)))
            part = []
        part.append(claim_id)
        last_patient = patient_id
    if part:
        out.append(Planned({"claim_ids": part}, len(part)))
    return out


def _run_scrub(ctx: ChunkContext, payload: JsonMap) -> dict[str, Any]:
    done = claims.scrub_claims(ctx.deps, ctx.actor, payload["claim_ids"])
    return {"scrubbed": len(done), "with_errors": sum(1 for c in done if c.blocking_findings)}


def _plan_batch(uow: UnitOfWork, actor: Actor, params: JsonMap) -> list[Planned]:
    """A chunk per payer with scrubbed claims: each payer's 837s are built side by side with the others'."""
    payers = uow.jobs.claim_payers(actor.practice_id, ClaimStatus.SCRUBBED.value)
    return [Planned({"payer_id": payer_id}, count) for payer_id, count in sorted(payers.items())]


def _run_batch(ctx: ChunkContext, payload: JsonMap) -> dict[str, Any]:
    result = batches.batch_claims(
        ctx.deps,
        ctx.actor,
        payer_id=payload.get("payer_id"),
        options=batches.BatchOptions(
            usage=ctx.params["usage"],
            contact_phone=ctx.params.get("contact_phone"),
            claims_per_file=ctx.params.get("claims_per_file", batches.MAX_CLAIMS_PER_FILE),
        ),
    )
    return {
        "files": len(result.batches),
        "batched": sum(b.batch.claim_count for b in result.batches),
        "held": len(result.held),
    }


def _run_send(ctx: ChunkContext, _payload: JsonMap) -> dict[str, Any]:
    sent = submission.send_batches(ctx.deps, ctx.actor, ctx.resources.clearinghouse(ctx.params["mailbox"]))
    return {"files": len(sent), "claims": sum(s.claims for s in sent)}


def _check_poll(params: JsonMap) -> dict[str, Any]:
    split_835s = params.get("split_835s", False)
    if not isinstance(split_835s, bool):
        raise ValidationError("split_835s is true or false", field="split_835s")
    return {**_mailbox(params), "split_835s": split_835s}


def _run_poll(ctx: ChunkContext, _payload: JsonMap) -> dict[str, Any]:
    """The answers taken in; with ``split_835s`` the 835 files go to a job of their own, a file a chunk, started
    after this chunk's work committed (the ids are in ``import_job``)."""
    split_835s = bool(ctx.params.get("split_835s"))
    box = ctx.resources.clearinghouse(ctx.params["mailbox"])
    got = submission.ingest_answers(ctx.deps, ctx.actor, box, post_835s=not split_835s)
    result: dict[str, Any] = {
        "files": sum(got.files.values()) + len(got.remittance_files),
        "problems": len(got.problems),
        "claim_payments": sum(r.claim_payments for r in got.remittances),
        "posted": sum(r.posted for r in got.remittances),
        "rejections_queued": got.rejections_queued,
    }
    if got.remittance_files:
        posting_job = start_job(
            ctx.deps, ctx.actor, ctx.dispatcher, JobKind.IMPORT_REMITTANCE, {"file_ids": got.remittance_files}
        )
        result["remittance_files"] = len(got.remittance_files)
        result["import_job"] = posting_job.id
    return result


def _check_status(params: JsonMap) -> dict[str, Any]:
    days = params.get("days", 30)
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 365:
        raise ValidationError("days is a whole number from 1 to 365", field="days")
    return {**_mailbox(params), "days": days, "usage": _batch_options(params)["usage"]}


def _run_status(ctx: ChunkContext, _payload: JsonMap) -> dict[str, Any]:
    sent = claim_status.request_status(
        ctx.deps,
        ctx.actor,
        ctx.resources.clearinghouse(ctx.params["mailbox"]),
        older_than_days=ctx.params["days"],
        usage=ctx.params["usage"],
    )
    return {"files": len(sent), "claims": sum(len(s.claims) for s in sent)}


# --- 835 files already archived, posted one file a chunk -------------------------------------------------------------


def _check_files(params: JsonMap) -> dict[str, Any]:
    ids = params.get("file_ids")
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) and i for i in ids):
        raise ValidationError("file_ids lists the archived 835 files to post", field="file_ids")
    return {"file_ids": list(dict.fromkeys(ids))}


def _plan_files(_uow: UnitOfWork, _actor: Actor, params: JsonMap) -> list[Planned]:
    return [Planned({"file_id": file_id}, 1) for file_id in params["file_ids"]]


def _run_import(ctx: ChunkContext, payload: JsonMap) -> dict[str, Any]:
    archived = mailbox.archived_file(ctx.deps, ctx.actor, payload["file_id"])
    report = posting.import_remittance(ctx.deps, ctx.actor, archived.content, file_name=archived.file.remote_name)
    mailbox.mark_processed(ctx.deps, ctx.actor, archived.file.id)  # posted (or found posted): no poll takes it again
    return {
        "transactions": len(report.transactions),
        "claim_payments": report.claim_payments,
        "posted": report.posted,
        "already_imported": sum(1 for t in report.transactions if t.already_imported),
        "secondary_claims": sum(t.secondary_claims for t in report.transactions),
    }


# --- eligibility, statements, reports ----------------------------------------------------------------------------------


def _check_day(params: JsonMap) -> dict[str, Any]:
    return {**_mailbox(params), "day": _day(params, "day", required=True)}


def _run_eligibility(ctx: ChunkContext, _payload: JsonMap) -> dict[str, Any]:
    box = ctx.resources.clearinghouse(ctx.params["mailbox"])
    run = eligibility.run_eligibility(ctx.deps, ctx.actor, box, date.fromisoformat(ctx.params["day"]))
    return {"checks": len(run.checks), "skipped": len(run.skipped), "findings": run.findings}


def _run_statements(ctx: ChunkContext, _payload: JsonMap) -> dict[str, Any]:
    report = statement_runs.run_statements(ctx.deps, ctx.actor, rules=StatementRules())
    return {"statements": report.sent, "skipped_guarantors": len(report.skipped_guarantors)}


def _check_period(params: JsonMap) -> dict[str, Any]:
    return {"from": _day(params, "from", required=False), "to": _day(params, "to", required=False)}


def _run_report(ctx: ChunkContext, _payload: JsonMap) -> dict[str, Any]:
    from medbill.services import reports
    from medbill.services.report_json import kpis_json

    start, end = ctx.params["from"], ctx.params["to"]
    report = reports.kpis(
        ctx.deps,
        ctx.actor,
        date.fromisoformat(start) if start else None,
        date.fromisoformat(end) if end else None,
    )
    return {
        "from": report.period.start.isoformat(),
        "to": report.period.end.isoformat(),
        "kpis": kpis_json(report.overall, report.targets, report.payer_names),
    }


SUBMIT = Permission.CLAIMS_SUBMIT
register(JobSpec(JobKind.BUILD_CLAIMS, SUBMIT, _plan_build, _run_build, _chunk_size))
register(JobSpec(JobKind.SCRUB_CLAIMS, SUBMIT, _plan_scrub, _run_scrub, _chunk_size))
register(JobSpec(JobKind.BATCH_CLAIMS, SUBMIT, _plan_batch, _run_batch, _batch_options))
register(JobSpec(JobKind.SEND_BATCHES, SUBMIT, _one, _run_send, _mailbox))
register(JobSpec(JobKind.POLL_CLEARINGHOUSE, SUBMIT, _one, _run_poll, _check_poll))
register(JobSpec(JobKind.CLAIM_STATUS, SUBMIT, _one, _run_status, _check_status))
register(JobSpec(JobKind.IMPORT_REMITTANCE, Permission.REMITTANCE_POST, _plan_files, _run_import, _check_files))
register(JobSpec(JobKind.ELIGIBILITY_RUN, Permission.ELIGIBILITY_CHECK, _one, _run_eligibility, _check_day))
register(JobSpec(JobKind.STATEMENT_RUN, Permission.STATEMENTS_RUN, _one, _run_statements, lambda p: {}))
register(JobSpec(JobKind.REPORT, Permission.SETUP_READ, _one, _run_report, _check_period))
