"""``--format sarif``: SARIF 2.1.0, one run over every report (docs/integration.md)."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from typing import Any, TextIO
from urllib.parse import quote

from .._version import __version__
from ..checker import ReportOutcome
from ..engine import all_rules
from ..findings import Finding
from ..packs import Packs, RuleSpec
from ..parsers import EXTENSIONS
from .base import Writer, display_path, entry_message, message
from .docs import rule_help_uri, rule_markdown, rules_reference_uri
from .json import finding_to_dict

__all__ = ["SARIF_SCHEMA_URI", "FINGERPRINT_KEY", "SarifWriter", "rule_specs"]

SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT_KEY = "opengovLint/v1"
_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def rule_specs(packs: Packs) -> dict[str, RuleSpec]:
    """Every rule's spec by code, in catalogue order (plug-ins after the built-ins)."""
    by_code: dict[str, RuleSpec] = {}
    try:
        for r in all_rules(packs):
            by_code.setdefault(r.spec.code, r.spec)
    except Exception:  # a broken plug-in: the catalogue still describes the built-ins
        for s in packs.catalogue.rules:
            by_code.setdefault(s.code, s)
    return by_code


def _sarif_rule(spec: RuleSpec, lang: str, packs: Packs) -> dict[str, Any]:
    text_parts = [f"{spec.summary_zh} / {spec.summary_en}"]
    if spec.doc is not None:
        text_parts += [spec.doc.what, f"Fix / 如何改正: {spec.doc.fix}"]
    text_parts.append(f"依据 / citation: {spec.citation}")
    out: dict[str, Any] = {
        "id": spec.code,
        "name": spec.slug,
        "shortDescription": {"text": entry_message(spec.summary_zh, spec.summary_en, lang)},
        "fullDescription": {"text": spec.doc.what if spec.doc is not None else f"{spec.summary_zh} / {spec.summary_en}"},
        "help": {"text": "\n\n".join(text_parts), "markdown": rule_markdown(spec)},
        "defaultConfiguration": {"level": _SARIF_LEVEL.get(spec.severity, "warning")},
        "properties": {
            "citation": spec.citation,
            "basis": spec.basis_status,
            "category": spec.category,
            "tags": [t for t in (spec.category, "opengov") if t],
        },
    }
    help_uri = rule_help_uri(spec, packs) if packs.catalogue.get(spec.code) is spec else None
    if help_uri:
        out["helpUri"] = help_uri
    return out


# The media type of a report file, by its extension (SARIF ``artifact.mimeType``).
MIME_TYPES = {
    ".txt": "text/plain",
    ".text": "text/plain",
    ".md": "text/markdown",
    ".json": "application/json",
    ".html": "text/html",
    ".htm": "text/html",
    ".shtml": "text/html",
    ".xhtml": "application/xhtml+xml",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def mime_type(path: str) -> str:
    """The report's media type by its extension (text/plain when it has none the readers know)."""
    return MIME_TYPES.get(os.path.splitext(path)[1].lower(), "text/plain")


def _uri(path: str) -> tuple[str, str | None]:
    """A SARIF artifact URI: files under the working folder relative to %SRCROOT% (the paths of
    the other machine formats, :func:`~.base.display_path`), others as file: URIs."""
    p = display_path(path)
    if os.path.isabs(p) or (len(p) > 2 and p[1] == ":"):
        return "file://" + ("" if p.startswith("/") else "/") + quote(p, safe="/:"), None
    return quote(p, safe="/"), "%SRCROOT%"


def _logical_kind(f: Finding) -> str:
    loc = f.location
    if loc.row and loc.column:
        return "tableCell"
    if loc.row:
        return "tableRow"
    if loc.column:
        return "tableColumn"
    if loc.table:
        return "table"
    if loc.section:
        return "section"
    return "text"


def _sarif_location(
    f: Finding | None, uri: str, base: str | None, artifact_index: int, logical: str = "", kind: str = "text"
) -> dict[str, Any]:
    art: dict[str, Any] = {"uri": uri, "index": artifact_index}
    if base:
        art["uriBaseId"] = base
    phys: dict[str, Any] = {"artifactLocation": art}
    span = f.location.span if f is not None else None
    if span is not None:
        region: dict[str, Any] = {"startLine": span.line, "startColumn": span.column}
        if span.end_line is not None:
            region["endLine"] = span.end_line
        if span.end_column is not None:
            region["endColumn"] = span.end_column + 1  # SARIF's end column is exclusive
        phys["region"] = region
    loc: dict[str, Any] = {"physicalLocation": phys}
    name = f.location.path if f is not None else logical
    if name:
        loc["logicalLocations"] = [
            {"fullyQualifiedName": name, "name": name.rsplit("/", 1)[-1], "kind": _logical_kind(f) if f is not None else kind}
        ]
    return loc


def _sarif_fix(f: Finding, uri: str, base: str | None, artifact_index: int, path: str) -> dict[str, Any] | None:
    """The finding's safe fix as a SARIF ``fix``, when its region is exact: a text file (whose
    spans are line and column of the file; those of HTML, DOCX and PDF count in the text read) and
    a span on one line covering the text replaced."""
    fix = f.fix
    if fix is None or EXTENSIONS.get(os.path.splitext(path)[1].lower()) != "text":
        return None
    s = fix.span
    if s.end_column is None or (s.end_line is not None and s.end_line != s.line) or s.end_column - s.column + 1 != len(fix.old):
        return None
    art: dict[str, Any] = {"uri": uri, "index": artifact_index}
    if base:
        art["uriBaseId"] = base
    return {
        "description": {"text": f"将“{fix.old}”改为“{fix.new}” / replace “{fix.old}” with “{fix.new}”"},
        "artifactChanges": [
            {
                "artifactLocation": art,
                "replacements": [
                    {
                        "deletedRegion": {
                            "startLine": s.line,
                            "startColumn": s.column,
                            "endLine": s.line,
                            "endColumn": s.end_column + 1,
                        },
                        "insertedContent": {"text": fix.new},
                    }
                ],
            }
        ],
    }


class SarifWriter(Writer):
    """One run: rules with help text and citation; results with physical and logical locations,
    ``partialFingerprints`` from the stable fingerprint, and with a baseline ``baselineState`` and
    ``suppressions``. The rules listed (and so each result's ``ruleIndex``) are known at the end."""

    def __init__(self, out: TextIO, *, lang: str = "both", fail_on: str = "error", packs: Packs | None = None) -> None:
        super().__init__(out, lang=lang, fail_on=fail_on, packs=packs)
        self._artifacts: list[dict[str, Any]] = []
        # each result as (its fields before ruleIndex, its code, its fields after ruleIndex)
        self._results: list[tuple[dict[str, Any], str, dict[str, Any]]] = []
        self._wanted: set[str] = set()

    def report(self, outcome: ReportOutcome) -> None:
        o = outcome
        ai = len(self._artifacts)
        self._wanted.update(o.result.rules_run)
        self._wanted.update(f.code for f in o.result.findings)
        self._wanted.update(e.code for e in o.absent)
        uri, base = _uri(o.path)
        art: dict[str, Any] = {"location": {"uri": uri}, "mimeType": mime_type(o.path)}
        if base:
            art["location"]["uriBaseId"] = base
        md = o.report.metadata
        art["properties"] = {
            "agency": md.agency,
            "reportYear": md.report_year,
            "agencyKind": md.agency_kind.value,
            "format": o.report.format.version,
        }
        self._artifacts.append(art)
        rows: list[tuple[Finding, str | None, str]] = [(f, None, "new") for f in o.findings]
        rows += [(f, j, "unchanged") for f, j in o.accepted]
        in_source = {id(f): sup for f, sup in o.suppressed}
        rows += [(f, None, "new") for f, _sup in o.suppressed]
        for f, justification, state in rows:
            head: dict[str, Any] = {
                "ruleId": f.code,
                "level": _SARIF_LEVEL[f.severity.value],
                "message": {"text": message(f, self.lang)},
                "locations": [_sarif_location(f, uri, base, ai)],
                "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
                "properties": {
                    "slug": f.slug,
                    "severity": f.severity.value,
                    "messageZh": f.message_zh,
                    "messageEn": f.message_en,
                    "citation": f.citation,
                    "evidence": finding_to_dict(f)["evidence"],
                },
            }
            tail: dict[str, Any] = {}
            fix = _sarif_fix(f, uri, base, ai, o.path)
            if fix is not None:
                tail["fixes"] = [fix]
            if o.baseline_used:
                tail["baselineState"] = state
            if justification is not None:
                tail["suppressions"] = [
                    {"kind": "external", "status": "accepted", "justification": justification or "(no justification recorded)"}
                ]
            elif id(f) in in_source:
                sup = in_source[id(f)]
                comment = f"opengov-lint: {'ignore-file' if sup.scope == 'file' else 'ignore'} {','.join(sup.codes)}"
                entry: dict[str, Any] = {"kind": "inSource", "status": "accepted", "justification": comment}
                if sup.span is not None:
                    entry["location"] = {
                        "physicalLocation": {
                            "artifactLocation": {"uri": uri, "index": ai, **({"uriBaseId": base} if base else {})},
                            "region": {"startLine": sup.span.line, "startColumn": sup.span.column},
                        }
                    }
                tail["suppressions"] = [entry]
            self._results.append((head, f.code, tail))
        for e in o.absent:
            gone: dict[str, Any] = {
                "ruleId": e.code,
                "level": _SARIF_LEVEL.get(e.severity, "warning"),
                "message": {"text": entry_message(e.message_zh, e.message_en, self.lang)},
                "locations": [_sarif_location(None, uri, base, ai, logical=e.location)],
                "partialFingerprints": {FINGERPRINT_KEY: e.fingerprint},
                "baselineState": "absent",
            }
            self._results.append((gone, e.code, {}))

    def end(self, batch: Mapping[str, int] | None = None) -> None:
        specs: Sequence[RuleSpec] = [s for c, s in rule_specs(self.packs).items() if c in self._wanted]
        index = {s.code: i for i, s in enumerate(specs)}
        results = [
            {**head, **({"ruleIndex": index[code]} if code in index else {}), **tail} for head, code, tail in self._results
        ]
        sarif = {
            "$schema": SARIF_SCHEMA_URI,
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "opengov-lint",
                            "version": __version__,
                            "semanticVersion": __version__,
                            "language": "zh-CN",
                            **({"informationUri": info} if (info := rules_reference_uri(self.packs)) else {}),
                            "rules": [_sarif_rule(s, self.lang, self.packs) for s in specs],
                        }
                    },
                    "columnKind": "unicodeCodePoints",
                    "artifacts": self._artifacts,
                    "results": results,
                }
            ],
        }
        self.out.write(json.dumps(sarif, ensure_ascii=False, indent=2) + "\n")
