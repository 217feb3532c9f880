"""The downstream example of docs/strategies.md runs as written, as its own module."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("hypothesis")

DOC = Path(__file__).resolve().parents[2] / "docs" / "strategies.md"


def _example() -> str:
    text = DOC.read_text(encoding="utf-8")
    m = re.search(r"<!-- downstream-example:start -->\s*```python\n(.*?)```\s*<!-- downstream-example:end -->", text, re.S)
    assert m, "docs/strategies.md has no downstream example block"
    return m.group(1)


def test_downstream_example_passes(tmp_path):
    module = tmp_path / "cms_annual_report.py"
    module.write_text(_example(), encoding="utf-8")
    # Its own directory, no access to this repository's tests: a user of the installed package.
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(module)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    assert re.search(r"\b7 passed\b", out.stdout), out.stdout[-1000:]


def test_downstream_example_would_catch_a_publisher_that_checks_nothing(tmp_path):
    # The example's tests can fail: with a publisher that never refuses, the broken cases fail.
    code = _example().replace("    if errors:\n", "    if False:\n")
    # no shrinking: the first failure is enough here
    code = code.replace("settings(max_examples=5,", "settings(phases=[__import__('hypothesis').Phase.generate], max_examples=5,")
    assert "if False:" in code and "Phase.generate" in code
    module = tmp_path / "cms_annual_report.py"
    module.write_text(code, encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", str(module), "-k", "T101"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 1 and "DID NOT RAISE" in out.stdout, out.stdout[-2000:]
