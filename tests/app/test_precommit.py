"""The pre-commit hook (.pre-commit-hooks.yaml) blocks a commit of a report with an
error and lets a clean one through; and ``pre-commit try-repo`` runs it.

The hook repository is a snapshot of this source tree (tracked and untracked files, as git sees
them), committed into a temporary repository, so the test checks the code as it is now.
pre-commit installs the hook into its own virtual environment (pip, from the configured index).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import TEXTS

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "integration"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}

pytest.importorskip("pre_commit", reason="pre-commit is in the 'test' extra")
if shutil.which("git") is None:  # pragma: no cover
    pytest.skip("git is needed for pre-commit", allow_module_level=True)


def _run(args, cwd, env, check=True):
    p = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    if check and p.returncode != 0:
        raise AssertionError(f"{args} failed ({p.returncode}):\n{p.stdout}\n{p.stderr}")
    return p


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    base = tmp_path_factory.mktemp("precommit")
    e = dict(os.environ, **GIT_ENV, PRE_COMMIT_HOME=str(base / "cache"))
    e.pop("VIRTUAL_ENV", None)
    # snapshot of the source tree as a git repository
    hook_repo = base / "hookrepo"
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    for rel in filter(None, listed.decode().split("\0")):
        src = ROOT / rel
        if src.is_file():
            dst = hook_repo / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
    _run(["git", "init", "-q"], hook_repo, e)
    _run(["git", "add", "-A"], hook_repo, e)
    _run(["git", "commit", "-q", "-m", "snapshot"], hook_repo, e)
    rev = _run(["git", "rev-parse", "HEAD"], hook_repo, e).stdout.strip()
    return {"base": base, "env": e, "hook_repo": hook_repo, "rev": rev}


def _reports_repo(env, name: str) -> Path:
    repo = env["base"] / name
    repo.mkdir()
    _run(["git", "init", "-q"], repo, env["env"])
    return repo


def _pre_commit(*args: str) -> list[str]:
    return [sys.executable, "-m", "pre_commit", *args]


def test_try_repo_blocks_a_report_with_an_error(env):
    repo = _reports_repo(env, "try")
    shutil.copy(DATA / "shanghai-2019-altered.txt", repo / "2019年报.txt")
    _run(["git", "add", "-A"], repo, env["env"])
    p = _run(_pre_commit("try-repo", str(env["hook_repo"]), "opengov-lint"), repo, env["env"], check=False)
    assert p.returncode == 1, p.stdout + p.stderr
    assert "T101" in p.stdout and "application-balance" in p.stdout and "Failed" in p.stdout


def test_hook_blocks_bad_commit_and_lets_clean_one_through(env):
    repo = _reports_repo(env, "reports")
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n-   repo: {env['hook_repo']}\n    rev: {env['rev']}\n    hooks:\n    -   id: opengov-lint\n", encoding="utf-8"
    )
    (repo / "notes.md").write_text("not a report\n", encoding="utf-8")
    _run(_pre_commit("install"), repo, env["env"])
    _run(["git", "add", "-A"], repo, env["env"])
    _run(["git", "commit", "-q", "-m", "config"], repo, env["env"])  # no .txt: the hook is skipped

    shutil.copy(DATA / "shanghai-2019-altered.txt", repo / "bad.txt")
    _run(["git", "add", "bad.txt"], repo, env["env"])
    blocked = _run(["git", "commit", "-m", "add bad report"], repo, env["env"], check=False)
    assert blocked.returncode != 0
    assert "T101" in blocked.stdout + blocked.stderr
    assert _run(["git", "log", "--oneline"], repo, env["env"]).stdout.count("\n") == 1  # not committed

    _run(["git", "rm", "-q", "--cached", "bad.txt"], repo, env["env"])
    shutil.copy(TEXTS / "068.txt", repo / "ok.txt")  # only warnings: passes at fail-on error
    _run(["git", "add", "ok.txt"], repo, env["env"])
    passed = _run(["git", "commit", "-m", "add clean report"], repo, env["env"], check=False)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout + passed.stderr
    assert _run(["git", "log", "--oneline"], repo, env["env"]).stdout.count("\n") == 2

    # the repository's own configuration applies: fail-on warning now blocks the same report
    (repo / "opengov-lint.toml").write_text('fail-on = "warning"\n', encoding="utf-8")
    (repo / "ok.txt").write_text((TEXTS / "068.txt").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    _run(["git", "add", "ok.txt", "opengov-lint.toml"], repo, env["env"])
    strict = _run(["git", "commit", "-m", "stricter"], repo, env["env"], check=False)
    assert strict.returncode != 0 and "T004" in strict.stdout + strict.stderr
