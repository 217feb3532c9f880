"""Issue 4: st.from_type(opengov_lint.Report) works where only the package and Hypothesis are
installed. Slow (builds a wheel, creates a virtual environment): run with OPENGOV_LINT_SLOW=1."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.environ.get("OPENGOV_LINT_SLOW"), reason="slow: set OPENGOV_LINT_SLOW=1"),
]

SCRIPT = """
import sys
from hypothesis import given, settings, strategies as st
import opengov_lint
from opengov_lint import lint

@settings(max_examples=5, derandomize=True, deadline=None, database=None)
@given(st.from_type(opengov_lint.Report))
def check(report):
    assert isinstance(report, opengov_lint.Report)
    assert not lint(report).has_errors

check()
print("ok", sorted(m for m in sys.modules if m.startswith("opengov_lint.strategies")))
"""


def test_from_type_in_a_fresh_environment(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)], check=True, timeout=600)
    wheel = next(wheels.glob("opengov_lint-*.whl"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", str(wheel), "hypothesis"], check=True, timeout=600)
    out = subprocess.run([str(py), "-c", SCRIPT], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.startswith("ok ['opengov_lint.strategies']"), out.stdout
