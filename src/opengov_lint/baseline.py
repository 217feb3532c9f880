"""Baselines: findings accepted once, with a justification, that should not block next time.

A baseline file is JSON (``schema_version`` 1)::

    {"schema_version": 1, "tool": "opengov-lint",
     "entries": [{"path": "reports/2023.txt", "fingerprint": "…", "code": "T004",
                  "severity": "warning", "location": "表三", "message_zh": "…",
                  "message_en": "…", "justification": "…"}]}

Entries are matched by the report's path (relative to the baseline file's folder, ``/``-separated)
and the finding's stable fingerprint, which does not change when lines move.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from attrs import frozen

from .engine import LintResult
from .errors import BaselineError
from .findings import Finding

__all__ = ["BASELINE_SCHEMA_VERSION", "Baseline", "BaselineEntry", "BaselineError", "BaselineMatch", "report_key"]

BASELINE_SCHEMA_VERSION = 1


@frozen
class BaselineEntry:
    path: str
    fingerprint: str
    code: str
    severity: str
    location: str = ""
    message_zh: str = ""
    message_en: str = ""
    justification: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.path, self.fingerprint)


@frozen
class BaselineMatch:
    """One report checked against a baseline: the new findings, the accepted ones (with their
    justification), and the entries for this report that no longer occur."""

    new: tuple[Finding, ...]
    accepted: tuple[tuple[Finding, str], ...]
    absent: tuple[BaselineEntry, ...]


def report_key(report_path: str | os.PathLike[str], base_dir: Path) -> str:
    """The report's path relative to ``base_dir``, with ``/`` separators (the baseline key)."""
    rel = os.path.relpath(os.path.abspath(report_path), os.path.abspath(base_dir))
    return Path(rel).as_posix()


@frozen
class Baseline:
    entries: tuple[BaselineEntry, ...]
    base_dir: Path

    @classmethod
    def load(cls, file: str | os.PathLike[str]) -> Baseline:
        path = Path(file)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise BaselineError(f"{path}: no such baseline file") from None
        except OSError as exc:
            raise BaselineError(f"{path}: {exc.strerror or exc}") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise BaselineError(f"{path}: not a baseline file (invalid JSON: {exc})") from None
        if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
            raise BaselineError(f"{path}: not a baseline file (no 'entries' list)")
        if data.get("schema_version") != BASELINE_SCHEMA_VERSION:
            raise BaselineError(
                f"{path}: unsupported baseline schema_version {data.get('schema_version')!r} (this version reads {BASELINE_SCHEMA_VERSION})"
            )
        entries = []
        for i, e in enumerate(data["entries"]):
            if not isinstance(e, dict) or not all(isinstance(e.get(k), str) for k in ("path", "fingerprint", "code", "severity")):
                raise BaselineError(f"{path}: entry {i + 1} lacks one of path, fingerprint, code, severity")
            fields: dict[str, str] = {}
            for a in BaselineEntry.__attrs_attrs__:
                v = e.get(a.name, a.default)
                if not isinstance(v, str):
                    raise BaselineError(f"{path}: entry {i + 1}: {a.name} is not a string")
                fields[a.name] = v
            entries.append(BaselineEntry(**fields))
        return cls(entries=tuple(entries), base_dir=path.resolve().parent)

    @classmethod
    def from_results(
        cls,
        file: str | os.PathLike[str],
        results: Iterable[tuple[str, LintResult]],
        *,
        justification: str = "",
        previous: Baseline | None = None,
    ) -> Baseline:
        """A baseline of every finding in ``results``. Justifications of entries in ``previous``
        that still occur are kept unless ``justification`` is given."""
        base_dir = Path(file).resolve().parent
        kept = {e.key: e.justification for e in previous.entries} if previous else {}
        entries: list[BaselineEntry] = []
        seen: set[tuple[str, str]] = set()
        for raw, result in results:
            key = report_key(raw, base_dir)
            for f in result.findings:
                if (key, f.fingerprint) in seen:
                    continue
                seen.add((key, f.fingerprint))
                entries.append(
                    BaselineEntry(
                        path=key,
                        fingerprint=f.fingerprint,
                        code=f.code,
                        severity=f.severity.value,
                        location=f.location.path,
                        message_zh=f.message_zh,
                        message_en=f.message_en,
                        justification=justification or kept.get((key, f.fingerprint), ""),
                    )
                )
        return cls(entries=tuple(entries), base_dir=base_dir)

    def dumps(self) -> str:
        payload = {
            "schema_version": BASELINE_SCHEMA_VERSION,
            "tool": "opengov-lint",
            "entries": [{a.name: getattr(e, a.name) for a in BaselineEntry.__attrs_attrs__} for e in self.entries],
        }
        return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"

    def write(self, file: str | os.PathLike[str]) -> None:
        path = Path(file)
        try:
            path.write_text(self.dumps(), encoding="utf-8")
        except OSError as exc:
            raise BaselineError(f"{path}: cannot write the baseline: {exc.strerror or exc}") from None

    @property
    def unjustified(self) -> int:
        return sum(1 for e in self.entries if not e.justification.strip())

    def match(self, report_path: str, findings: Sequence[Finding]) -> BaselineMatch:
        key = report_key(report_path, self.base_dir)
        mine = {e.fingerprint: e for e in self.entries if e.path == key}
        new: list[Finding] = []
        accepted: list[tuple[Finding, str]] = []
        used: set[str] = set()
        for f in findings:
            entry = mine.get(f.fingerprint)
            if entry is None:
                new.append(f)
            else:
                used.add(f.fingerprint)
                accepted.append((f, entry.justification))
        absent = tuple(e for fp, e in mine.items() if fp not in used)
        return BaselineMatch(new=tuple(new), accepted=tuple(accepted), absent=absent)
