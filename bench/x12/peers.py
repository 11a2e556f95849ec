"""Peer parsers measured beside medbill, each in its own virtual environment that this module creates with pip.

linuxforhealth-x12 0.57.0 needs pydantic < 2 and edi-835-parser brings its own dependencies: neither can live in the
project's venv. ``ensure_venv`` makes ``bench/x12/.venvs/NAME`` (ignored by git, never committed) on first use and
reuses it after; each peer then runs as a whole child process on the benchmark's files, like ``medbill`` does.
"""

from __future__ import annotations

import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

VENVS = Path(__file__).resolve().parent / ".venvs"


@dataclass(frozen=True)
class Peer:
    """A peer: its venv, what pip installs there, which inputs it reads, and the script it runs on a file."""

    name: str
    venv: str
    packages: tuple[str, ...]
    reads: tuple[str, ...]  # input kinds: "835", "837P"
    script: str


LINUXFORHEALTH = Peer(
    name="linuxforhealth-x12",
    venv="lfh",
    packages=("linuxforhealth-x12==0.57.0", "pydantic<2"),
    reads=("835", "837P"),
    script=(
        "import sys\n"
        "from linuxforhealth.x12.io import X12ModelReader\n"
        "with X12ModelReader(sys.argv[1]) as r:\n"
        "    print(sum(1 for _ in r.models()))\n"
    ),
)
EDI_835_PARSER = Peer(
    name="edi-835-parser",
    venv="edi835",
    packages=("edi-835-parser==1.8.0",),
    reads=("835",),
    script=(
        "import sys, edi_835_parser\n"
        "t = edi_835_parser.parse(sys.argv[1])\n"
        "print(sum(len(s.claims) for s in t.transaction_sets))\n"
    ),
)
PEERS = (LINUXFORHEALTH, EDI_835_PARSER)


def ensure_venv(peer: Peer) -> Path | None:
    """The peer's python, creating its venv with pip when missing; None (and a printed reason) when that fails."""
    python = VENVS / peer.venv / "bin" / "python"
    marker = VENVS / peer.venv / ".installed"
    if python.exists() and marker.exists() and marker.read_text() == "\n".join(peer.packages):
        return python
    print(f"creating {VENVS / peer.venv} for {peer.name} ({', '.join(peer.packages)}) …", flush=True)
    VENVS.mkdir(parents=True, exist_ok=True)
    steps = [
        [sys.executable, "-m", "venv", "--clear", str(VENVS / peer.venv)],
        [str(python), "-m", "pip", "install", "--quiet", *peer.packages],
    ]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True)
        if done.returncode != 0:
            print(f"  {peer.name} not measured: {' '.join(step[:4])} failed: {done.stderr.strip()[-300:]}")
            return None
    marker.write_text("\n".join(peer.packages))
    return python


@dataclass(frozen=True)
class Run:
    seconds: float
    ok: bool
    note: str  # the output on success (what was parsed), the last error line on failure


def run_peer(python: Path, peer: Peer, path: Path, repeat: int = 1) -> Run:
    """Best CPU seconds (user + system) of the peer's whole process on ``path``, start-up and imports included."""
    best: Run | None = None
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run([str(python), "-c", peer.script, str(path)], capture_output=True, text=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        seconds = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        if done.returncode != 0:
            lines = [x.strip() for x in done.stderr.strip().splitlines() if x.strip()]
            return Run(seconds, False, lines[-1][:160] if lines else f"exit {done.returncode}")
        if best is None or seconds < best.seconds:
            best = Run(seconds, True, done.stdout.strip())
    assert best is not None
    return best
