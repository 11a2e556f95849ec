"""The batch screens: claims by payer and state, a batch with its 999 and each claim's 277CA, the file archive with
downloads, and the rejection queue closing by itself when the claim is sent again."""

from __future__ import annotations

from pathlib import Path

from medbill.services import batches, claims, submission
from medbill.services.rejections import reopen_rejected
from tests.e2e.conftest import Web
from tests.integration.claims_support import OPTIONS, covered_encounter
from tests.integration.test_acknowledgements import sandbox_for, sent_batch


def test_batches_a_batch_the_archive_and_the_rejection_queue(web: Web, tmp_path: Path) -> None:
    practice = web.practice
    deps = practice.container.deps
    strict = sandbox_for(practice, tmp_path / "sbx", members=())
    sent_batch(practice, strict, covered_encounter(practice))
    submission.ingest_answers(deps, practice.biller, strict)
    [batch] = batches.list_batches(deps, practice.biller)

    listed = web.client.get("/batches")
    assert listed.status_code == 200 and '<a href="/batches"' in listed.text
    assert f'<a href="/batches/{batch.id}">837P_ACME1_000000001.x12</a>' in listed.text
    assert '<td class="num" data-state="rejected">1 <span class="muted">$151.50</span></td>' in listed.text
    assert "<td>1 rejected</td>" in listed.text

    shown = web.client.get(f"/batches/{batch.id}")
    assert '<li data-kind="999" data-code="A">' in shown.text and "999 A accepted" in shown.text
    assert '<tr data-claim="C00000018" data-state="rejected">' in shown.text
    assert "<td>277CA</td>" in shown.text and "A7:33 — Acknowledgement/Rejected for Invalid Information" in shown.text
    assert '<a href="/queues/rejection">to fix</a>' in shown.text
    file = web.client.get(f"/batches/{batch.id}/file")
    assert (file.status_code, file.content[:3]) == (200, b"ISA")

    archive = web.client.get("/files?direction=inbound")
    assert archive.text.count("download>Download</a>") == 2 and "837P_ACME1_000000001.277CA.x12" in archive.text
    first = archive.text.split('href="/files/', 1)[1].split("/download", 1)[0]
    downloaded = web.client.get(f"/files/{first}/download")
    assert downloaded.status_code == 200 and downloaded.headers["content-disposition"].startswith("attachment;")

    queue = web.client.get("/queues/rejection")
    assert "<h1>Rejections (fix and send again)</h1>" in queue.text
    assert "C00000018" in queue.text and "Subscriber and subscriber id not found." in queue.text

    [claim] = claims.list_claims(deps, practice.biller)
    reopen_rejected(deps, practice.biller, claim.id)
    claims.scrub_claims(deps, practice.biller)
    batches.batch_claims(deps, practice.biller, options=OPTIONS)
    submission.send_batches(deps, practice.biller, sandbox_for(practice, tmp_path / "sbx"))
    assert 'id="queue-empty"' in web.client.get("/queues/rejection").text
