"""A real wheel carries the rule packs and the example, and its CLI works in a fresh venv."""

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
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(ROOT)], check=True, capture_output=True)
    wheel = next(dist.glob("opengov_lint-*.whl"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True)
    # Run from elsewhere, so that nothing of the source tree can be picked up.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "OPENGOV_LINT_RULES")}
    example = ROOT / "examples" / "jinjiang-minzheng-2022.txt"
    proc = subprocess.run([str(env_dir / "bin" / "opengov-lint"), "check", "--format", "json", str(example)], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert proc.returncode == 1, proc.stderr
    assert '"code": "T002"' in proc.stdout and '"code": "C001"' in proc.stdout
    packs = subprocess.run([str(py), "-c", "from opengov_lint.packs import packs_dir; print(packs_dir())"], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert "_rules" in packs.stdout and "site-packages" in packs.stdout
