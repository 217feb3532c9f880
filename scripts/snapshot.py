"""Findings snapshot of the test corpus: every report, every finding (code, severity, location,
message), one JSON object a line, sorted, so that two snapshots compare with ``diff``.

    python scripts/snapshot.py > before.jsonl        # before a change
    python scripts/snapshot.py --compare before.jsonl # after it: the differences, exit 1 if any

Two roads are recorded: each file alone through the Python API (``road: "api"``), and each
directory of reports through the command line, pairing reports across years (``road: "cli"``).
Files under ``../shared/corpus`` (PDFs, DOCX, peer fixtures) are included when that folder exists.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"
SUFFIXES = {".txt", ".html", ".htm", ".md", ".json", ".docx", ".pdf"}


def corpus_files() -> list[Path]:
    roots = [ROOT / "examples", ROOT / "tests" / "corpus", ROOT / "tests" / "data"]
    if SHARED.is_dir():
        roots += [SHARED / "pdf", SHARED / "docx", SHARED / "peers"]
    out: list[Path] = []
    for r in roots:
        if r.is_dir():
            out += sorted(
                p
                for p in r.rglob("*")
                if p.is_file() and p.suffix.lower() in SUFFIXES and "golden" not in p.parts and p.name != "README.md"
            )
    return out


def corpus_dirs() -> list[Path]:
    dirs = [ROOT / "tests" / "corpus" / "text", ROOT / "tests" / "data" / "corpus"]
    return [d for d in dirs if d.is_dir()]


def _name(p: Path) -> str:
    """A file by its content, so that moving or renaming it, or deleting a copy, changes nothing
    (the name is kept beside it for people, and left out of comparisons)."""
    if p.is_dir():
        return p.name + "/"
    return hashlib.sha256(p.read_bytes()).hexdigest()[:12]


def _logical(path: str) -> str:
    """A location path; a file path in it (input findings name the file) is cut to its name."""
    return Path(path).name if path.startswith("/") else path


def _row(road: str, name: str, f: dict, shown: str) -> dict:
    loc = f.get("location") or {}
    span = loc.get("span") or {}
    return {
        "road": road,
        "file": name,
        "name": shown,
        "code": f["code"],
        "severity": f["severity"],
        "path": _logical(loc.get("path", "")),
        "span": f"{span.get('line', '')}:{span.get('column', '')}" if span else "",
        "message_zh": f.get("message_zh", ""),
        "message_en": f.get("message_en", ""),
    }


def _finding_dict(f: object) -> dict:
    import attrs

    d = attrs.asdict(f, recurse=True, value_serializer=lambda _i, _a, v: getattr(v, "value", v))  # type: ignore[arg-type]
    return d


def api_rows(only: set[str] | None = None) -> list[dict]:
    sys.path.insert(0, str(ROOT / "src"))
    from opengov_lint import check_path  # the public API, the same before and after a move

    rows = []
    for p in corpus_files():
        name = _name(p)
        if only is not None and name not in only:
            continue
        try:
            outcome = check_path(p)
        except Exception as exc:  # noqa: BLE001  (recorded, so that a change in it shows)
            rows.append({"road": "api", "file": name, "name": p.name, "code": "EXCEPTION", "message_en": type(exc).__name__})
            continue
        rows += [_row("api", name, _finding_dict(f), p.name) for f in outcome.findings]
    return rows


def cli_rows(only: set[str] | None = None) -> list[dict]:
    rows = []
    for d in corpus_dirs():
        with tempfile.TemporaryDirectory() as tmp:
            rows += _cli_dir(d if only is None else _subset(d, only, Path(tmp)), d.name)
    return rows


def _subset(d: Path, only: set[str], tmp: Path) -> Path:
    """The reports of ``d`` that an earlier snapshot knew, so that reports added to the corpus
    since (and the pairs they form) do not show as differences."""
    for p in sorted(d.iterdir()):
        if p.is_file() and _name(p) in only:
            shutil.copyfile(p, tmp / p.name)
    return tmp


def _cli_dir(d: Path, shown: str) -> list[dict]:
    rows = []
    proc = subprocess.run(
        [sys.executable, "-m", "opengov_lint", "check", str(d), "--format", "json", "--no-cache", "--exit-zero", "--isolated"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if proc.returncode != 0:
        return [
            {
                "road": "cli",
                "file": shown + "/",
                "name": shown,
                "code": "EXIT",
                "message_en": f"{proc.returncode}: {proc.stderr.strip()}",
            }
        ]
    for rep in json.loads(proc.stdout)["reports"]:
        p = Path(rep["path"])
        name = _name(p if p.is_absolute() else ROOT / p)
        rows += [_row("cli", name, f, p.name) for f in rep["findings"]]
    return rows


def snapshot(only: set[str] | None = None) -> list[str]:
    rows = api_rows(only) + cli_rows(only)
    return sorted(json.dumps(r, ensure_ascii=False, sort_keys=True) for r in rows)


def _keys(lines: list[str]) -> set[str]:
    """The rows as compared: without the file's name (a copy or a moved file is the same file)."""
    out = set()
    for ln in lines:
        row = json.loads(ln)
        row.pop("name", None)
        out.add(json.dumps(row, ensure_ascii=False, sort_keys=True))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--compare", type=Path, default=None, help="an earlier snapshot: print what differs, exit 1 if anything does")
    args = ap.parse_args()
    if args.compare is None:
        now = snapshot()
        sys.stdout.write("\n".join(now) + "\n")
        return 0
    before = [ln for ln in args.compare.read_text(encoding="utf-8").splitlines() if ln.strip()]
    # only the files the earlier snapshot saw (by content): reports added since are not differences
    now = snapshot({json.loads(ln)["file"] for ln in before})
    gone = sorted(_keys(before) - _keys(now))
    new = sorted(_keys(now) - _keys(before))
    for ln in gone:
        print("- " + ln)
    for ln in new:
        print("+ " + ln)
    print(
        f"{len(_keys(before))} before, {len(_keys(now))} now (distinct rows): {len(gone)} gone, {len(new)} new", file=sys.stderr
    )
    return 1 if gone or new else 0


if __name__ == "__main__":
    sys.exit(main())
