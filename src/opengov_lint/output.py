"""Rendering lint results: a text table grouped by section (Chinese first), and JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .engine import LintResult
from .findings import Finding, Severity
from .serialize import converter

__all__ = ["render_text", "render_json", "finding_to_dict", "RESULT_SCHEMA_VERSION"]

RESULT_SCHEMA_VERSION = 1
_SECTION_NAMES = {None: ("全文", "whole report"), 1: ("一", "1"), 2: ("二", "2"), 3: ("三", "3"), 4: ("四", "4"), 5: ("五", "5"), 6: ("六", "6")}


def finding_to_dict(f: Finding) -> dict[str, Any]:
    return converter.unstructure(f)


def _summary(findings: Sequence[Finding]) -> dict[str, int]:
    out = {s.value: 0 for s in Severity}
    for f in findings:
        out[f.severity.value] += 1
    return out


def render_json(results: Sequence[tuple[str, LintResult]], *, version: str) -> str:
    payload = {
        "schema_version": RESULT_SCHEMA_VERSION,
        "tool": {"name": "opengov-lint", "version": version},
        "reports": [
            {
                "path": path,
                "report_year": r.report.metadata.report_year,
                "agency": r.report.metadata.agency,
                "agency_kind": r.report.metadata.agency_kind.value,
                "format": r.report.format.version,
                "summary": _summary(r.findings),
                "findings": [finding_to_dict(f) for f in r.findings],
            }
            for path, r in results
        ],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2)


def _where(f: Finding) -> str:
    span = f.location.span
    pos = f"{span.line}:{span.column}" if span else "-"
    return f"{pos}\n{f.location.path}" if f.location.path else pos


def _msg(f: Finding, lang: str) -> str:
    return f.message_zh if lang == "zh" else f.message_en if lang == "en" else f"{f.message_zh}\n{f.message_en}"


def render_text(results: Sequence[tuple[str, LintResult]], *, lang: str = "both") -> str:
    """``lang``: zh, en or both (Chinese first); headers and labels stay bilingual."""
    from tabulate import tabulate

    blocks: list[str] = []
    for path, result in results:
        md = result.report.metadata
        s = _summary(result.findings)
        head = (
            f"{path}\n"
            f"  {md.agency or '（未识别机关）'} · {md.report_year or '?'}年度 · 格式 {result.report.format.version} · "
            f"错误 {s['error']} / 警告 {s['warning']} / 提示 {s['info']}  "
            f"(errors {s['error']}, warnings {s['warning']}, infos {s['info']})"
        )
        blocks.append(head)
        if not result.findings:
            blocks.append("  未发现问题 / no findings\n")
            continue
        groups: dict[int | None, list[Finding]] = {}
        for f in result.findings:
            groups.setdefault(f.location.section, []).append(f)
        for section in sorted(groups, key=lambda k: (k is not None, k or 0)):
            zh, en = _SECTION_NAMES.get(section, (str(section), str(section)))
            title = f"── 第{zh}部分 / section {en} ──" if section else f"── {zh} / {en} ──"
            rows = [
                [_where(f), f"{f.code}\n{f.slug}", f"{f.severity.label_zh}\n{f.severity.value}", _msg(f, lang)]
                for f in groups[section]
            ]
            blocks.append(title)
            blocks.append(tabulate(rows, headers=["位置 where", "代码 code", "级别 level", "说明 message"], tablefmt="simple", maxcolwidths=[None, None, None, 70]))
        blocks.append("")
    return "\n".join(blocks)
