"""Outputs for tools: text, JSON, JSON Lines, SARIF 2.1.0, GitHub Actions annotations, JUnit XML
and GitLab Code Quality. Each renderer takes the checked reports (:class:`~opengov_lint.api.ReportOutcome`)
and returns a string. See docs/integration.md for each format's fields.
"""

from __future__ import annotations

import hashlib
import json
import os
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from ._version import __version__
from .api import ReportOutcome
from .findings import Finding, Severity
from .output import RESULT_SCHEMA_VERSION, finding_to_dict, render_text
from .packs import Packs, RuleSpec, load_packs

__all__ = [
    "render",
    "render_text_out",
    "render_json_out",
    "render_jsonl",
    "render_sarif",
    "render_github",
    "render_junit",
    "render_gitlab",
    "message",
    "SARIF_SCHEMA_URI",
    "JSONL_SCHEMA_VERSION",
]

SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
JSONL_SCHEMA_VERSION = 1
FINGERPRINT_KEY = "opengovLint/v1"
_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
_GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}
_GITLAB_SEVERITY = {"error": "major", "warning": "minor", "info": "info"}


def message(f: Finding, lang: str = "both") -> str:
    """The finding's message in ``lang``: zh, en, or both (Chinese first)."""
    if lang == "zh":
        return f.message_zh
    if lang == "en":
        return f.message_en
    return f"{f.message_zh} / {f.message_en}"


def _entry_message(zh: str, en: str, lang: str) -> str:
    return zh if lang == "zh" else en if lang == "en" else f"{zh} / {en}"


def _summary(outcomes: Sequence[ReportOutcome]) -> dict[str, int]:
    out = {s.value: 0 for s in Severity}
    for o in outcomes:
        for f in o.findings:
            out[f.severity.value] += 1
    return out


# ------------------------------------------------------------------------------------ text, JSON
def render_text_out(outcomes: Sequence[ReportOutcome], *, lang: str = "both") -> str:
    """The grouped table of ``output.render_text``, plus what a baseline accepted or no longer sees."""
    import attrs

    blocks: list[str] = []
    for o in outcomes:
        text = render_text([(o.path, attrs.evolve(o.result, findings=o.findings))], lang=lang)
        if o.previous:  # the report it was compared with across years, under the summary line
            head, _, rest = text.partition("\n")
            second, _, rest = rest.partition("\n")
            text = f"{head}\n{second}\n  对比上年报告 compared with: {o.previous}\n{rest}"
        blocks.append(text.rstrip("\n"))
        if o.baseline_used:
            if o.accepted:
                blocks.append(
                    "  "
                    + _entry_message(
                        f"基线已接受 {len(o.accepted)} 项（未列出）",
                        f"{len(o.accepted)} finding(s) accepted in the baseline (not shown)",
                        lang,
                    )
                )
            for e in o.absent:
                blocks.append(
                    "  "
                    + _entry_message(
                        f"基线条目已不再出现：{e.code} {e.location} {e.fingerprint}",
                        f"baseline entry no longer occurs: {e.code} {e.location} {e.fingerprint}",
                        lang,
                    )
                )
        blocks.append("")
    return "\n".join(blocks)


def _report_dict(o: ReportOutcome) -> dict[str, Any]:
    md = o.report.metadata
    d: dict[str, Any] = {
        "path": o.path,
        "report_year": md.report_year,
        "agency": md.agency,
        "agency_kind": md.agency_kind.value,
        "format": o.report.format.version,
        "previous": o.previous,
        "summary": _summary([o]),
        "findings": [finding_to_dict(f) for f in o.findings],
    }
    if o.baseline_used:
        d["baseline"] = {
            "accepted": [{"fingerprint": f.fingerprint, "code": f.code, "justification": j} for f, j in o.accepted],
            "absent": [{"fingerprint": e.fingerprint, "code": e.code, "location": e.location} for e in o.absent],
        }
    return d


def render_json_out(outcomes: Sequence[ReportOutcome], *, batch: dict[str, int] | None = None) -> str:
    """The ``--format json`` document (schema_version 1); with a baseline each report also has
    ``baseline: {accepted, absent}`` and ``findings`` holds only the new ones; ``batch`` counts
    the files read and the reports paired across years."""
    payload: dict[str, Any] = {
        "schema_version": RESULT_SCHEMA_VERSION,
        "tool": {"name": "opengov-lint", "version": __version__},
        "reports": [_report_dict(o) for o in outcomes],
    }
    if batch is not None:
        payload["batch"] = batch
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def render_jsonl(outcomes: Sequence[ReportOutcome]) -> str:
    """One JSON object per line and per reported finding: ``schema_version``, ``path``, then the
    finding's fields as in the JSON output (and ``baseline_state: "new"`` with a baseline)."""
    lines = []
    for o in outcomes:
        for f in o.findings:
            d: dict[str, Any] = {"schema_version": JSONL_SCHEMA_VERSION, "path": o.path}
            if o.baseline_used:
                d["baseline_state"] = "new"
            d.update(finding_to_dict(f))
            lines.append(json.dumps(d, ensure_ascii=False, separators=(",", ":")))
    return "\n".join(lines) + ("\n" if lines else "")


# ------------------------------------------------------------------------------------ SARIF
def _rule_specs(outcomes: Sequence[ReportOutcome], packs: Packs) -> list[RuleSpec]:
    """Specs of every rule that ran (catalogue order), and of any code found that did not."""
    from .engine import all_rules

    by_code: dict[str, RuleSpec] = {}
    try:
        for r in all_rules(packs):
            by_code.setdefault(r.spec.code, r.spec)
    except Exception:  # a broken plug-in: the catalogue still describes the built-ins
        for s in packs.catalogue.rules:
            by_code.setdefault(s.code, s)
    wanted: set[str] = set()
    for o in outcomes:
        wanted.update(o.result.rules_run)
        wanted.update(f.code for f in o.result.findings)
        wanted.update(e.code for e in o.absent)
    order = list(by_code)
    return [by_code[c] for c in order if c in wanted]


def _sarif_rule(spec: RuleSpec, lang: str) -> dict[str, Any]:
    from .docs import rule_markdown

    text_parts = [f"{spec.summary_zh} / {spec.summary_en}"]
    if spec.doc is not None:
        text_parts += [spec.doc.what, f"Fix / 如何改正: {spec.doc.fix}"]
    text_parts.append(f"依据 / citation: {spec.citation}")
    rule: dict[str, Any] = {
        "id": spec.code,
        "name": spec.slug,
        "shortDescription": {"text": _entry_message(spec.summary_zh, spec.summary_en, lang)},
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
    return rule


def _uri(path: str) -> tuple[str, str | None]:
    """A SARIF artifact URI: relative paths against %SRCROOT%, absolute ones as file: URIs."""
    p = path.replace(os.sep, "/")
    if os.path.isabs(path):
        return "file://" + quote(p, safe="/:"), None
    while p.startswith("./"):
        p = p[2:]
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


def _sarif_location(f: Finding | None, uri: str, base: str | None, artifact_index: int, logical: str = "", kind: str = "text") -> dict[str, Any]:
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
        loc["logicalLocations"] = [{"fullyQualifiedName": name, "name": name.rsplit("/", 1)[-1], "kind": _logical_kind(f) if f is not None else kind}]
    return loc


def render_sarif(outcomes: Sequence[ReportOutcome], *, lang: str = "both", packs: Packs | None = None) -> str:
    """SARIF 2.1.0: one run; rules with help text and citation; results with physical and
    logical locations, ``partialFingerprints`` from the stable fingerprint, and with a baseline
    ``baselineState`` and ``suppressions``."""
    packs = packs or load_packs()
    specs = _rule_specs(outcomes, packs)
    index = {s.code: i for i, s in enumerate(specs)}
    artifacts: list[dict[str, Any]] = []
    results: list[dict[str, Any]] = []
    for ai, o in enumerate(outcomes):
        uri, base = _uri(o.path)
        art: dict[str, Any] = {"location": {"uri": uri}, "mimeType": "text/plain"}
        if base:
            art["location"]["uriBaseId"] = base
        md = o.report.metadata
        art["properties"] = {"agency": md.agency, "reportYear": md.report_year, "agencyKind": md.agency_kind.value, "format": o.report.format.version}
        artifacts.append(art)
        rows: list[tuple[Finding, str | None, str]] = [(f, None, "new") for f in o.findings]
        rows += [(f, j, "unchanged") for f, j in o.accepted]
        for f, justification, state in rows:
            res: dict[str, Any] = {
                "ruleId": f.code,
                "level": _SARIF_LEVEL[f.severity.value],
                "message": {"text": message(f, lang)},
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
            if f.code in index:
                res["ruleIndex"] = index[f.code]
            if o.baseline_used:
                res["baselineState"] = state
            if justification is not None:
                res["suppressions"] = [{"kind": "external", "status": "accepted", "justification": justification or "(no justification recorded)"}]
            results.append(res)
        for e in o.absent:
            res = {
                "ruleId": e.code,
                "level": _SARIF_LEVEL.get(e.severity, "warning"),
                "message": {"text": _entry_message(e.message_zh, e.message_en, lang)},
                "locations": [_sarif_location(None, uri, base, ai, logical=e.location)],
                "partialFingerprints": {FINGERPRINT_KEY: e.fingerprint},
                "baselineState": "absent",
            }
            if e.code in index:
                res["ruleIndex"] = index[e.code]
            results.append(res)
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
                        "rules": [_sarif_rule(s, lang) for s in specs],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "artifacts": artifacts,
                "results": results,
            }
        ],
    }
    return json.dumps(sarif, ensure_ascii=False, indent=2) + "\n"


# ------------------------------------------------------------------------------------ GitHub
def _gh_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(s: str) -> str:
    return _gh_data(s).replace(":", "%3A").replace(",", "%2C")


def render_github(outcomes: Sequence[ReportOutcome], *, lang: str = "both") -> str:
    """GitHub Actions workflow commands (``::error file=…,line=…::message``), one per finding,
    then a summary line."""
    lines = []
    for o in outcomes:
        for f in o.findings:
            props = [f"file={_gh_prop(o.path)}"]
            span = f.location.span
            if span is not None:
                props.append(f"line={span.line}")
                if span.end_line is not None:
                    props.append(f"endLine={span.end_line}")
                props.append(f"col={span.column}")
                if span.end_column is not None and (span.end_line in (None, span.line)):
                    props.append(f"endColumn={span.end_column}")
            props.append(f"title={_gh_prop(f'{f.code} {f.slug}' + (f' [{f.location.path}]' if f.location.path else ''))}")
            lines.append(f"::{_GITHUB_LEVEL[f.severity.value]} {','.join(props)}::{_gh_data(message(f, lang))}")
    s = _summary(outcomes)
    accepted = sum(len(o.accepted) for o in outcomes)
    zh = f"opengov-lint：{len(outcomes)} 份报告，错误 {s['error']}，警告 {s['warning']}，提示 {s['info']}"
    en = f"{len(outcomes)} report(s), {s['error']} error(s), {s['warning']} warning(s), {s['info']} info(s)"
    if accepted:
        zh += f"，基线已接受 {accepted}"
        en += f", {accepted} accepted in the baseline"
    lines.append(zh if lang == "zh" else f"opengov-lint: {en}" if lang == "en" else f"{zh} / {en}")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------------ JUnit
def render_junit(outcomes: Sequence[ReportOutcome], *, lang: str = "both", fail_on: str = "error", packs: Packs | None = None) -> str:
    """JUnit XML: a test suite per report, a test case per rule run; a rule with findings at or
    above ``fail_on`` fails (one ``<failure>`` listing them), findings below it and baselined
    ones go to the case's ``<system-out>``."""
    level = Severity(fail_on)
    slugs = {s.code: s.slug for s in _rule_specs(outcomes, packs or load_packs())}
    root = ET.Element("testsuites", name="opengov-lint")
    total_tests = total_failures = 0
    for o in outcomes:
        by_code: dict[str, list[Finding]] = {}
        for f in o.findings:
            by_code.setdefault(f.code, []).append(f)
        accepted: dict[str, list[tuple[Finding, str]]] = {}
        for f, j in o.accepted:
            accepted.setdefault(f.code, []).append((f, j))
        codes = list(o.result.rules_run) + [c for c in [*by_code, *accepted] if c not in o.result.rules_run]
        codes = list(dict.fromkeys(codes))
        suite = ET.SubElement(root, "testsuite", name=o.path)
        failures = 0
        for code in codes:
            fs = by_code.get(code, [])
            slug = fs[0].slug if fs else slugs.get(code, "")
            case = ET.SubElement(suite, "testcase", classname=o.path, name=f"{code} {slug}".strip())
            failing = [f for f in fs if f.severity.rank >= level.rank]
            rest = [f for f in fs if f.severity.rank < level.rank]
            if failing:
                failures += 1
                worst = max(failing, key=lambda f: f.severity.rank)
                fail = ET.SubElement(case, "failure", type=worst.severity.value, message=f"{len(failing)} finding(s): {message(failing[0], lang)}")
                fail.text = "\n".join(_junit_line(f, lang) for f in failing)
            out_lines = [_junit_line(f, lang) for f in rest]
            out_lines += [f"[baselined] {_junit_line(f, lang)} — {j}" for f, j in accepted.get(code, [])]
            if out_lines:
                ET.SubElement(case, "system-out").text = "\n".join(out_lines)
        suite.set("tests", str(len(codes)))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", "0")
        total_tests += len(codes)
        total_failures += failures
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    root.set("errors", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _junit_line(f: Finding, lang: str) -> str:
    span = f.location.span
    pos = f"{span.line}:{span.column}" if span else "-"
    return f"{pos} {f.location.path} [{f.severity.value}] {message(f, lang)}".replace("  ", " ")


# ------------------------------------------------------------------------------------ GitLab
def render_gitlab(outcomes: Sequence[ReportOutcome], *, lang: str = "both") -> str:
    """GitLab Code Quality (a JSON array of issues: description, check_name, fingerprint,
    severity, location.path, location.lines.begin)."""
    issues = []
    for o in outcomes:
        for f in o.findings:
            span = f.location.span
            issues.append(
                {
                    "description": message(f, lang),
                    "check_name": f"{f.code} {f.slug}",
                    "fingerprint": hashlib.sha256(f"{o.path}\x1f{f.fingerprint}".encode()).hexdigest()[:32],
                    "severity": _GITLAB_SEVERITY[f.severity.value],
                    "location": {"path": o.path.replace(os.sep, "/"), "lines": {"begin": span.line if span else 1}},
                }
            )
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"


# ------------------------------------------------------------------------------------ dispatch
def render(
    outcomes: Sequence[ReportOutcome],
    output_format: str,
    *,
    lang: str = "both",
    fail_on: str = "error",
    packs: Packs | None = None,
    batch: dict[str, int] | None = None,
) -> str:
    """Render in ``output_format`` (one of :data:`opengov_lint.config.OUTPUT_FORMATS`)."""
    if output_format == "text":
        return render_text_out(outcomes, lang=lang)
    if output_format == "json":
        return render_json_out(outcomes, batch=batch)
    if output_format == "jsonl":
        return render_jsonl(outcomes)
    if output_format == "sarif":
        return render_sarif(outcomes, lang=lang, packs=packs)
    if output_format == "github":
        return render_github(outcomes, lang=lang)
    if output_format == "junit":
        return render_junit(outcomes, lang=lang, fail_on=fail_on, packs=packs)
    if output_format == "gitlab":
        return render_gitlab(outcomes, lang=lang)
    if output_format == "html":
        from .html_out import render_html

        return render_html(outcomes, lang=lang, packs=packs)
    raise ValueError(f"unknown output format {output_format!r}")

