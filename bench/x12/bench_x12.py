"""X12 benchmark: medbill's codec against the str.split floor, pyx12, linuxforhealth-x12 and edi-835-parser.

    .venv/bin/python bench/x12/bench_x12.py            # 1,000 and 10,000 claims; pyx12 and linuxforhealth on 1,000
    .venv/bin/python bench/x12/bench_x12.py --full     # pyx12 and linuxforhealth on 10,000 too (a few minutes)
    .venv/bin/python bench/x12/bench_x12.py --no-peers # skip linuxforhealth-x12 and edi-835-parser

All peers are measured in the same run on the same files; see README.md beside this file for what each figure means.

Inputs are a real 835 (emedny sample) and a real 837P (x12-types sample) from the fixtures, replicated to N claims
by medbill's writer, so envelopes and counts are consistent. Prints CPU seconds (best of --repeat runs; CPU time,
so that other load on a shared machine does not distort the ratios) and ratios. Not a timed test.
"""

from __future__ import annotations

import argparse
import gc
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from inputs import ENVELOPE, claim_batch_with, write_inputs
from peers import PEERS, ensure_venv, run_peer

from medbill.formats import x12
from medbill.formats.x12.writer import write_837

BIN = Path(sys.executable).parent


def best(fn: Callable[[], object], repeat: int) -> float:
    """Best CPU seconds of ``repeat`` runs (CPU time: other load on a shared machine does not count)."""
    times = []
    for _ in range(repeat):
        gc.collect()
        t = time.process_time()
        fn()
        times.append(time.process_time() - t)
    return min(times)


def floor_split(path: Path) -> Callable[[], object]:
    def run() -> object:
        text = path.read_bytes().decode()
        return [seg.split("*") for seg in text.replace("\n", "").split("~")]

    return run


def ours_read(path: Path) -> Callable[[], object]:
    return lambda: x12.read(path.read_bytes())


def process(cmd: list[str], repeat: int = 1) -> float:
    """Best CPU seconds (user + system) of a whole child process, start-up and imports included."""
    times = []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run(cmd, capture_output=True, text=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode not in (0, 1):
            raise RuntimeError(f"{cmd[0]} failed: {done.stderr[-500:]}")
        times.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return min(times)


def peer_table(paths: dict[str, Path], ours_proc: dict[str, float], sizes: tuple[int, ...], *, full: bool) -> None:
    """Each peer's whole-process CPU seconds on the same files, beside medbill's read (whole process) and the ratio."""
    known = {"linuxforhealth-x12": "its 835 model rejects 835s with PER*BL (this one has it)"}
    print(f"\n{'parse to models':<19} {'input':<12} {'peer proc':>10} {'medbill proc':>13} {'peer/medbill':>13}  note")
    for peer in PEERS:
        python = ensure_venv(peer)
        if python is None:
            continue
        for key, path in paths.items():
            kind, _, size = key.partition("_")
            if kind not in peer.reads:
                continue
            if peer.name == "linuxforhealth-x12" and int(size) == max(sizes) and len(sizes) > 1 and not full:
                print(f"{peer.name:<19} {key:<12} {'(--full)':>10}")
                continue
            run = run_peer(python, peer, path)
            ours = ours_proc[key]
            if run.ok:
                print(
                    f"{peer.name:<19} {key:<12} {run.seconds:9.2f}s {ours:12.2f}s {run.seconds / ours:12.1f}x  ok ({run.note})"
                )
            else:
                print(
                    f"{peer.name:<19} {key:<12} {'failed':>10} {ours:12.2f}s {'-':>13}  after {run.seconds:.2f}s: {run.note}"
                )
                if kind == "835" and peer.name in known:
                    print(f"{'':<33}known: {known[peer.name]}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--full", action="store_true", help="run pyx12 on 10,000 claims too")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--no-peers", action="store_true", help="skip linuxforhealth-x12 and edi-835-parser")
    args = parser.parse_args()
    sizes = tuple(int(s) for s in args.sizes.split(","))
    workdir = Path(tempfile.mkdtemp(prefix="medbill-x12-bench-"))
    try:
        paths = write_inputs(workdir, sizes)
        print(
            f"{'input':<12} {'MB':>6} {'split floor':>12} {'medbill read':>13} {'ratio':>6}   "
            f"{'floor proc':>10} {'read proc':>10} {'ratio':>6}"
        )
        ours_proc: dict[str, float] = {}
        for key, path in paths.items():
            floor = best(floor_split(path), args.repeat)
            ours = best(ours_read(path), args.repeat)
            floor_p = process(
                [
                    sys.executable,
                    "-c",
                    "import sys; t=open(sys.argv[1],'rb').read().decode(); "
                    "[s.split('*') for s in t.replace('\\n','').split('~')]",
                    str(path),
                ],
                args.repeat,
            )
            ours_p = process(
                [
                    sys.executable,
                    "-c",
                    "import sys; from medbill.formats import x12; x12.read(open(sys.argv[1],'rb').read())",
                    str(path),
                ],
                args.repeat,
            )
            ours_proc[key] = ours_p
            mb = path.stat().st_size / 1e6
            print(
                f"{key:<12} {mb:6.1f} {floor:11.3f}s {ours:12.3f}s {ours / floor:5.1f}x   "
                f"{floor_p:9.3f}s {ours_p:9.3f}s {ours_p / floor_p:5.1f}x"
            )

        if not args.no_peers:
            peer_table(paths, ours_proc, sizes, full=args.full)

        n = max(sizes)
        batch = claim_batch_with(n)
        write = best(lambda: write_837([batch], ENVELOPE), args.repeat)
        print(f"\nwrite {n:,} 837P claims (domain objects → X12 text): {write:.3f}s")

        x12valid = BIN / "x12valid"
        medbill = BIN / "medbill"
        if not x12valid.exists() and shutil.which("x12valid") is None:
            print("\npyx12 not installed: validator comparison skipped")
            return
        print(
            f"\n{'validate':<12} {'pyx12 x12valid':>15} {'medbill x12 validate':>21} {'speed-up':>9}"
            f" {'x12.validate in process':>24} {'speed-up':>9}"
        )
        for key, path in paths.items():
            if key.endswith(str(max(sizes))) and not args.full and len(sizes) > 1:
                continue
            theirs = process([str(x12valid), str(path)])
            mine = process([str(medbill), "x12", "validate", str(path)])
            inner = best(lambda p=path: x12.validate(p.read_bytes()), 1)  # type: ignore[misc]
            print(
                f"{key:<12} {theirs:14.2f}s {mine:20.2f}s {theirs / mine:8.1f}x {inner:23.2f}s {theirs / inner:8.1f}x"
            )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
