"""``--format json`` (one document, written report by report) and ``--format jsonl`` (one line per
finding). See docs/json.md and docs/integration.md for the fields."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .._version import __version__
from ..checker import ReportOutcome
from ..findings import Finding
from ..model import Suppression
from ..serialize import converter
from .base import Writer, display_path, severity_counts

__all__ = ["RESULT_SCHEMA_VERSION", "JSONL_SCHEMA_VERSION", "JsonWriter", "JsonLinesWriter", "finding_to_dict", "report_dict"]

RESULT_SCHEMA_VERSION = 1
JSONL_SCHEMA_VERSION = 1


def finding_to_dict(f: Finding) -> dict[str, Any]:
    d: dict[str, Any] = converter.unstructure(f)
    return d


def _span(sup: Suppression) -> dict[str, Any] | None:
    return converter.unstructure(sup.span) if sup.span is not None else None


def report_dict(o: ReportOutcome) -> dict[str, Any]:
    """One report of the JSON document."""
    md = o.report.metadata
    d: dict[str, Any] = {
        "path": display_path(o.path),
        "report_year": md.report_year,
        "agency": md.agency,
        "agency_kind": md.agency_kind.value,
        "format": o.report.format.version,
        "previous": display_path(o.previous) if o.previous else None,
        "summary": severity_counts(o.findings),
        "findings": [finding_to_dict(f) for f in o.findings],
    }
    if o.suppressed:
        d["suppressed"] = [
            {**finding_to_dict(f), "suppression": {"codes": list(sup.codes), "scope": sup.scope, "span": _span(sup)}}
            for f, sup in o.suppressed
        ]
    if o.baseline_used:
        d["baseline"] = {
            "accepted": [{"fingerprint": f.fingerprint, "code": f.code, "justification": j} for f, j in o.accepted],
            "absent": [{"fingerprint": e.fingerprint, "code": e.code, "location": e.location} for e in o.absent],
        }
    return d


def _dumps(value: Any, depth: int) -> str:
    """``value`` as it appears ``depth`` levels deep in ``json.dumps(document, indent=2)``."""
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + "  " * depth)


class JsonWriter(Writer):
    """The document ``{"schema_version", "tool", "reports": [...], ["batch"]}``, written a report
    at a time: the bytes are those of ``json.dumps(document, indent=2)`` and a newline."""

    _reports = 0

    def begin(self) -> None:
        tool = {"name": "opengov-lint", "version": __version__}
        self.out.write(
            f'{{\n  "schema_version": {_dumps(RESULT_SCHEMA_VERSION, 1)},\n  "tool": {_dumps(tool, 1)},\n  "reports": ['
        )

    def report(self, outcome: ReportOutcome) -> None:
        self.out.write(("," if self._reports else "") + "\n    " + _dumps(report_dict(outcome), 2))
        self._reports += 1

    def end(self, batch: Mapping[str, int] | None = None) -> None:
        self.out.write("\n  ]" if self._reports else "]")
        if batch is not None:
            self.out.write(f',\n  "batch": {_dumps(dict(batch), 1)}')
        self.out.write("\n}\n")


class JsonLinesWriter(Writer):
    """One compact JSON object per line and per reported finding: ``schema_version``, ``path``,
    then the finding's fields as in the JSON output (and ``baseline_state: "new"`` with a baseline)."""

    def report(self, outcome: ReportOutcome) -> None:
        for f in outcome.findings:
            d: dict[str, Any] = {"schema_version": JSONL_SCHEMA_VERSION, "path": display_path(outcome.path)}
            if outcome.baseline_used:
                d["baseline_state"] = "new"
            d.update(finding_to_dict(f))
            self.out.write(json.dumps(d, ensure_ascii=False, separators=(",", ":")) + "\n")
