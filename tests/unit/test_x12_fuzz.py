"""Fuzzing the X12 readers: 100,000 mutants of the real sample files are each read or refused with a typed error.

Hypothesis picks 100 batch seeds (derandomized: CI runs the same ones every time); each batch makes 1,000 mutants,
each from its own seed ``batch * 1000 + k`` with ``random.Random``, so any failure names the one seed that rebuilds
its input: ``mutant(seed)`` in this module gives the bytes and the plan of mutations. Every mutant goes through
``x12.read`` (which dispatches to the 835, 837P/I, 999, TA1, 277CA, 277, 276, 270 and 271 readers) and the JSON
view of what it read; one in four also through ``validate``, the stream reader and the outline.
"""

from __future__ import annotations

import contextlib
import io
import random
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medbill.domain.errors import MedbillError
from medbill.formats import x12
from medbill.formats.x12.jsonview import transaction_json
from medbill.formats.x12.outline import Outliner

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "x12"
BATCHES = 100
PER_BATCH = 1_000
# Small real files keep 100,000 reads inside about a minute on two cores; the large ones are read whole elsewhere.
_MAX_SEED_BYTES = 20_000
SEEDS: list[bytes] = [
    p.read_bytes()
    for p in sorted(FIXTURES.rglob("*"))
    if p.is_file() and p.suffix != ".md" and p.stat().st_size <= _MAX_SEED_BYTES
]
_JUNK = [
    b"*", b"~", b":", b"^", b"|", b"\x00", b"\xff", b"\xc3", b"\n", b"\r\n", b"ISA", b"IEA*1*000000001~",
    b"ST*835*1~", b"SE*1*1~", b"GS*HP*A*B*20200101*1200*1*X*005010X221A1~", b"GE*1*1~", b"HL*1**20*1~",
    b"CLP*", b"-", b".", b"9", b"E", b"\xe9",
]  # fmt: skip
_VALUES = [
    b"", b"-1", b"99999999999999999999", b"1.234", b"0", b"20201399", b"A:B:C:D:E:F:G:H", b"1E5", b"NaN",
    b"\xff\xfe", b"-0.5", b"1.", b".5", b"RD8", b"20200101-20191231", b"D8", b"XX", b"^^^", b"2400",
]  # fmt: skip


def _delims(data: bytes) -> tuple[bytes, bytes, bytes]:
    """Element separator, component separator and terminator as a fixed-width ISA has them (guesses otherwise)."""
    return data[3:4] or b"*", data[104:105] or b":", data[105:106] or b"~"


def _flip(rng: random.Random, data: bytes, other: bytes) -> bytes:
    i = rng.randrange(len(data) or 1)
    return data[:i] + bytes([rng.randrange(256)]) + data[i + 1 :]


def _insert(rng: random.Random, data: bytes, other: bytes) -> bytes:
    i = rng.randrange(len(data) + 1)
    return data[:i] + rng.choice(_JUNK) + data[i:]


def _delete(rng: random.Random, data: bytes, other: bytes) -> bytes:
    i = rng.randrange(len(data) or 1)
    return data[:i] + data[i + rng.randint(1, 20) :]


def _duplicate_segment(rng: random.Random, data: bytes, other: bytes) -> bytes:
    term = _delims(data)[2]
    segs = data.split(term)
    i = rng.randrange(len(segs))
    segs.insert(i, segs[i])
    return term.join(segs)


def _drop_segment(rng: random.Random, data: bytes, other: bytes) -> bytes:
    term = _delims(data)[2]
    segs = data.split(term)
    if len(segs) > 1:
        del segs[rng.randrange(len(segs))]
    return term.join(segs)


def _swap_segments(rng: random.Random, data: bytes, other: bytes) -> bytes:
    term = _delims(data)[2]
    segs = data.split(term)
    i, j = rng.randrange(len(segs)), rng.randrange(len(segs))
    segs[i], segs[j] = segs[j], segs[i]
    return term.join(segs)


def _swap_delimiters(rng: random.Random, data: bytes, other: bytes) -> bytes:
    a, b = rng.sample([*_delims(data), data[82:83] or b"^", b"\n"], 2)
    if rng.random() < 0.5:
        return data.replace(a, b)
    return data.replace(a, b"\x01").replace(b, a).replace(b"\x01", b)


def _truncate(rng: random.Random, data: bytes, other: bytes) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def _splice(rng: random.Random, data: bytes, other: bytes) -> bytes:
    return data[: rng.randrange(len(data) + 1)] + other[rng.randrange(len(other) + 1) :]


def _transplant(rng: random.Random, data: bytes, other: bytes) -> bytes:
    """A segment of another file (another transaction type, often) dropped into this one."""
    elem, _, term = _delims(data)
    theirs = other.split(_delims(other)[2])
    seg = theirs[rng.randrange(len(theirs))].replace(_delims(other)[0], elem)
    segs = data.split(term)
    segs.insert(rng.randrange(len(segs) + 1), seg)
    return term.join(segs)


def _set_element(rng: random.Random, data: bytes, other: bytes) -> bytes:
    elem, comp, term = _delims(data)
    segs = data.split(term)
    i = rng.randrange(len(segs))
    elements = segs[i].split(elem)
    j = rng.randrange(len(elements))
    elements[j] = rng.choice([*_VALUES, b"X" * rng.randint(1, 1200), comp * rng.randint(1, 5)])
    segs[i] = elem.join(elements)
    return term.join(segs)


def _cut_elements(rng: random.Random, data: bytes, other: bytes) -> bytes:
    elem, _, term = _delims(data)
    segs = data.split(term)
    i = rng.randrange(len(segs))
    elements = segs[i].split(elem)
    segs[i] = elem.join(elements[: rng.randint(0, len(elements))])
    return term.join(segs)


def _mangle_components(rng: random.Random, data: bytes, other: bytes) -> bytes:
    elem, comp, term = _delims(data)
    segs = data.split(term)
    i = rng.randrange(len(segs))
    elements = segs[i].split(elem)
    j = rng.randrange(len(elements))
    old = elements[j]
    elements[j] = rng.choice([old + comp, comp + old, old.replace(comp, b""), old + comp + b"X" + comp + b"-1"])
    segs[i] = elem.join(elements)
    return term.join(segs)


MUTATIONS = [
    _flip, _insert, _delete, _duplicate_segment, _drop_segment, _swap_segments, _swap_delimiters, _truncate,
    _splice, _transplant, _set_element, _cut_elements, _mangle_components,
]  # fmt: skip


def _fix_counts(data: bytes) -> bytes:
    """SE01, GE01 and IEA01 made right again, so that a mutant gets past the envelope into a transaction reader."""
    elem, _, term = _delims(data)
    segs = data.split(term)
    st_at: int | None = None
    sets = groups = 0
    for i, seg in enumerate(segs):
        fields = seg.strip().split(elem)
        tag = fields[0]
        if tag == b"ST":
            st_at, sets = i, sets + 1
        elif len(fields) < 2:
            continue
        elif tag == b"SE" and st_at is not None:
            fields[1], st_at = str(i - st_at + 1).encode(), None
        elif tag == b"GE":
            fields[1], sets, groups = str(sets).encode(), 0, groups + 1
        elif tag == b"IEA":
            fields[1], groups = str(groups).encode(), 0
        else:
            continue
        segs[i] = elem.join(fields)
    return term.join(segs)


def mutant(seed: int) -> tuple[bytes, list[str]]:
    """The mutated input for ``seed`` and the names of the mutations applied, always the same for the same seed."""
    rng = random.Random(seed)
    data = rng.choice(SEEDS)
    plan: list[str] = []
    for _ in range(rng.randint(1, 8)):
        mutation = rng.choice(MUTATIONS)
        plan.append(mutation.__name__)
        data = mutation(rng, data, rng.choice(SEEDS))
    if rng.random() < 0.7:
        plan.append("_fix_counts")
        data = _fix_counts(data)
    return data, plan


def _exercise(data: bytes, everything: bool) -> None:
    """Every reader the input reaches; only typed medbill errors may come out (anything else fails the test)."""
    try:
        for t in x12.read(data):
            transaction_json(t)
    except MedbillError:
        pass
    if not everything:
        return
    report = x12.validate(data)
    assert all(f.code.startswith("x12_") for f in report.findings or [])
    try:
        for _ in x12.read_stream(io.BytesIO(data)):
            pass
    except MedbillError:
        pass
    with contextlib.suppress(MedbillError):
        Outliner().outline(data)


def run_batch(batch: int) -> int:
    count = 0
    for k in range(PER_BATCH):
        seed = batch * PER_BATCH + k
        data, plan = mutant(seed)
        try:
            _exercise(data, everything=k % 4 == 0)
        except Exception as exc:  # the point: name the seed of anything untyped
            raise AssertionError(
                f"mutant seed {seed} (plan {plan}) raised {type(exc).__name__}: {exc!r:.300}; "
                f"reproduce with tests.unit.test_x12_fuzz.mutant({seed})"
            ) from exc
        count += 1
    return count


_total = {"inputs": 0, "seconds": 0.0}


@settings(
    max_examples=BATCHES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.integers(min_value=0, max_value=2**31 // PER_BATCH))
def test_100_000_mutants_of_real_files_are_read_or_refused_with_a_typed_error(batch: int) -> None:
    started = time.perf_counter()
    _total["inputs"] += run_batch(batch)
    _total["seconds"] += time.perf_counter() - started


def test_the_fuzz_run_covered_at_least_100_000_inputs() -> None:
    """Runs after the fuzz test in file order: Hypothesis may stop early (a duplicate seed), never silently short."""
    if _total["inputs"] == 0:  # run alone (``-k``): the batches have not run in this process
        return
    assert _total["inputs"] >= BATCHES * PER_BATCH - 2 * PER_BATCH, _total
    print(f"x12 fuzz: {_total['inputs']:,} mutants in {_total['seconds']:.1f} s")


def test_a_mutant_is_the_same_for_the_same_seed() -> None:
    assert mutant(123_456) == mutant(123_456)
    assert {mutant(seed)[0] for seed in range(50)} != {mutant(seed)[0] for seed in range(50, 100)}
    assert len(SEEDS) > 80  # the real files of every transaction type
