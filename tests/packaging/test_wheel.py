"""A real wheel carries the rule packs and the example, its CLI works in a fresh venv, and with
Hypothesis beside it st.from_type(opengov_lint.Report) works there."""

from __future__ import annotations

import os
import subprocess
import sys
import venv

import pytest
from conftest import ROOT


@pytest.mark.slow
def test_wheel_installs_and_runs_in_a_fresh_venv(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    wheel = next(dist.glob("opengov_lint-*.whl"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True)
    # Run from elsewhere, so that nothing of the source tree can be picked up.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "OPENGOV_LINT_RULES")}
    example = ROOT / "examples" / "jinjiang-minzheng-2022.txt"
    proc = subprocess.run(
        [str(env_dir / "bin" / "opengov-lint"), "check", "--format", "json", str(example)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert proc.returncode == 1, proc.stderr
    assert '"code": "T002"' in proc.stdout and '"code": "C001"' in proc.stdout
    packs = subprocess.run(
        [str(py), "-c", "from opengov_lint.packs import packs_dir; print(packs_dir())"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert "_rules" in packs.stdout and "site-packages" in packs.stdout
    # The web application's assets are inside the wheel: it serves its page from the fresh venv.
    served = subprocess.run([str(py), "-c", SERVE], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert served.returncode == 0 and served.stdout.startswith("ok 200"), served.stderr[-3000:]
    # Only the package and Hypothesis installed; the entry point registers the strategies.
    subprocess.run([str(py), "-m", "pip", "install", "-q", "hypothesis"], check=True, capture_output=True)
    out = subprocess.run([str(py), "-c", FROM_TYPE], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.startswith("ok ['opengov_lint.generate.strategies']"), out.stdout


SERVE = """
import threading, urllib.request
from opengov_lint.serve import make_server
server = make_server("127.0.0.1", 0, quiet=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
with urllib.request.urlopen(f"http://127.0.0.1:{server.server_address[1]}/", timeout=30) as r:
    page = r.read().decode("utf-8")
    assert "id=upload" in page and "drop" in page and "form.classList" in page, page[:500]
    print("ok", r.status)
server.shutdown()
"""

FROM_TYPE = """
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
print("ok", sorted(m for m in sys.modules if m.endswith(".strategies") and m.startswith("opengov_lint")))
"""
