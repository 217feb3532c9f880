"""The tree is linted, formatted and typed: ruff check, ruff format --check and mypy --strict
(configured in pyproject.toml) run as part of the test suite, so the README's test command and CI
enforce them."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT

TREES = ["src", "tests", "scripts", "benchmarks"]


def _run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *argv], cwd=ROOT, capture_output=True, text=True, timeout=600)


@pytest.mark.skipif(_run("ruff", "--version").returncode != 0, reason="ruff is not installed (pip install -e '.[test]')")
def test_ruff_check_passes() -> None:
    proc = _run("ruff", "check", *TREES)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.skipif(_run("ruff", "--version").returncode != 0, reason="ruff is not installed (pip install -e '.[test]')")
def test_ruff_format_is_applied() -> None:
    proc = _run("ruff", "format", "--check", *TREES)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.skipif(_run("mypy", "--version").returncode != 0, reason="mypy is not installed (pip install -e '.[test]')")
def test_mypy_strict_passes_over_src() -> None:
    proc = _run("mypy")  # files and --strict come from [tool.mypy] in pyproject.toml
    assert proc.returncode == 0, proc.stdout + proc.stderr
