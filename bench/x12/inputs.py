"""Benchmark inputs: a real 835 and a real 837P from the fixtures, replicated to N claims with consistent envelopes."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path

from medbill.domain.claims import ClaimBatch
from medbill.domain.remittance import Remittance
from medbill.formats import x12
from medbill.formats.x12.writer import write_835, write_837

FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "x12"
SOURCE_835 = FIXTURES / "835" / "edi835parser__emedny_sample.txt"
SOURCE_837P = FIXTURES / "837P" / "x12types__005010_837.edi"
ENVELOPE = x12.Envelope(
    sender_id="BENCH",
    receiver_id="BENCH",
    interchange_control_number=1,
    group_control_number=1,
    created=datetime(2026, 1, 1, 12, 0),
)


def remittance_with(claims: int) -> Remittance:
    (t,) = x12.read(SOURCE_835.read_bytes())
    r = t.document
    assert isinstance(r, Remittance)
    base = r.claims
    out = [dataclasses.replace(base[i % len(base)], claim_id=f"BENCH{i:07d}") for i in range(claims)]
    paid = sum(c.paid_cents for c in out)
    return dataclasses.replace(
        r, claims=tuple(out), provider_adjustments=(), payment=dataclasses.replace(r.payment, amount_cents=paid)
    )


def claim_batch_with(claims: int) -> ClaimBatch:
    (t,) = x12.read(SOURCE_837P.read_bytes())
    b = t.document
    assert isinstance(b, ClaimBatch)
    (claim,) = b.claims
    out = []
    for i in range(claims):
        person = dataclasses.replace(claim.subscriber.subscriber, identifier=f"MBR{i:08d}")
        sub = dataclasses.replace(claim.subscriber, subscriber=person)
        out.append(dataclasses.replace(claim, patient_control_number=f"BENCH{i:07d}", subscriber=sub))
    return dataclasses.replace(b, claims=tuple(out))


def write_inputs(directory: Path, sizes: tuple[int, ...] = (1000, 10000)) -> dict[str, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for n in sizes:
        p835 = directory / f"835_{n}.x12"
        p835.write_text(write_835([remittance_with(n)], ENVELOPE).replace("~", "~\n"))
        p837 = directory / f"837P_{n}.x12"
        p837.write_text(write_837([claim_batch_with(n)], ENVELOPE).replace("~", "~\n"))
        paths[f"835_{n}"] = p835
        paths[f"837P_{n}"] = p837
    return paths
