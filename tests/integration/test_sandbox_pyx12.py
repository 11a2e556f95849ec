"""The sandbox payer's 999, 277CA and 835 pass the pyx12 validator, judged by its own command line."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from medbill.adapters.clearinghouse.sandbox import Answers, SandboxState
from tests.unit.sandbox.sandbox_helpers import answer, claim, file_of

X12VALID = Path(sys.executable).parent / "x12valid"
pytestmark = pytest.mark.skipif(not X12VALID.exists() and not shutil.which("x12valid"), reason="pyx12 not installed")


def pyx12_errors(text: str, path: Path) -> list[str]:
    path.write_text(text.lstrip("\ufeff").replace("~", "~\n"), encoding="ascii")
    done = subprocess.run([str(X12VALID), str(path)], capture_output=True, text=True, timeout=120, check=False)
    output = done.stdout + done.stderr
    errors = [line for line in output.splitlines() if "ERROR Line" in line]
    assert output.strip().splitlines()[-1].endswith(": OK") or errors, output[-2000:]
    return errors


def every_scenario() -> Answers:
    return answer(
        file_of(
            claim("PCN-DED", "SBXCOMM", "COMM-DEDPART", [("99213", (), 20000)]),
            claim(
                "PCN-COPAY", "SBXCOMM", "COMM-COPAY", [("99213", (), 20000), ("93000", (), 8000), ("93010", (), 5000)]
            ),
            claim("PCN-OOP", "SBXCOMM", "COMM-OOPMAX", [("99213", (), 20000)]),
            claim("PCN-NC", "SBXCOMM", "COMM-COPAY", [("G0438", (), 9000)]),
            claim("PCN-MCR", "SBXMCR", "MCR-UNMET", [("99214", (), 25000), ("85025", (), 2500)]),
            claim("PCN-TERM", "SBXMCR", "MCR-TERM", [("99213", (), 20000)]),
            claim("PCN-MISS", "SBXMCR", "MCR-0001", [("99213", (), 20000)], pointers=False),
            claim("PCN-WHO", "SBXCOMM", "NOBODY-1", [("99213", (), 20000)]),
        ),
        SandboxState(),
    )


@pytest.mark.parametrize("which", ["ack_999", "ack_277ca", "remittance_835"])
def test_sandbox_answers_pass_pyx12(which: str, tmp_path: Path) -> None:
    text = getattr(every_scenario(), which)
    assert text is not None
    assert pyx12_errors(text, tmp_path / f"{which}.x12") == []


def test_a_rejecting_999_passes_pyx12(tmp_path: Path) -> None:
    good = file_of(claim("PCN-1", "SBXCOMM", "COMM-COPAY", [("99213", (), 20000)])).decode()
    rejected = answer(good.replace("DTP*472*D8*20260302", "DTP*472*D8*20261399").encode()).ack_999
    assert rejected is not None and "IK5*R*5" in rejected
    assert pyx12_errors(rejected, tmp_path / "rejected.x12") == []
