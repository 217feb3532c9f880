"""``--format text``: per report a heading, then a table of findings per section (Chinese first)."""

from __future__ import annotations

from tabulate import tabulate

from ..checker import ReportOutcome
from ..findings import Finding
from .base import Writer, entry_message, severity_counts

__all__ = ["TextWriter", "report_text"]

_SECTION_NAMES = {
    None: ("全文", "whole report"),
    1: ("一", "1"),
    2: ("二", "2"),
    3: ("三", "3"),
    4: ("四", "4"),
    5: ("五", "5"),
    6: ("六", "6"),
}


def _where(f: Finding) -> str:
    span = f.location.span
    pos = f"{span.line}:{span.column}" if span else "-"
    return f"{pos}\n{f.location.path}" if f.location.path else pos


def _msg(f: Finding, lang: str) -> str:
    return f.message_zh if lang == "zh" else f.message_en if lang == "en" else f"{f.message_zh}\n{f.message_en}"


def report_text(o: ReportOutcome, lang: str = "both") -> str:
    """One report's block, ending with a newline. ``lang``: zh, en or both (Chinese first);
    headers and labels stay bilingual."""
    md = o.report.metadata
    s = severity_counts(o.findings)
    lines = [
        o.path,
        f"  {md.agency or '（未识别机关）'} · {md.report_year or '?'}年度 · 格式 {o.report.format.version} · "
        f"错误 {s['error']} / 警告 {s['warning']} / 提示 {s['info']}  "
        f"(errors {s['error']}, warnings {s['warning']}, infos {s['info']})",
    ]
    if o.previous:
        lines.append(f"  对比上年报告 compared with: {o.previous}")
    if not o.findings:
        lines.append("  未发现问题 / no findings")
    groups: dict[int | None, list[Finding]] = {}
    for f in o.findings:
        groups.setdefault(f.location.section, []).append(f)
    for section in sorted(groups, key=lambda k: (k is not None, k or 0)):
        zh, en = _SECTION_NAMES.get(section, (str(section), str(section)))
        lines.append(f"── 第{zh}部分 / section {en} ──" if section else f"── {zh} / {en} ──")
        rows = [
            [_where(f), f"{f.code}\n{f.slug}", f"{f.severity.label_zh}\n{f.severity.value}", _msg(f, lang)]
            for f in groups[section]
        ]
        lines.append(
            tabulate(
                rows,
                headers=["位置 where", "代码 code", "级别 level", "说明 message"],
                tablefmt="simple",
                maxcolwidths=[None, None, None, 70],
            )
        )
    if o.baseline_used:
        if o.accepted:
            n = len(o.accepted)
            lines.append(
                "  " + entry_message(f"基线已接受 {n} 项（未列出）", f"{n} finding(s) accepted in the baseline (not shown)", lang)
            )
        for e in o.absent:
            what = f"{e.code} {e.location} {e.fingerprint}"
            lines.append("  " + entry_message(f"基线条目已不再出现：{what}", f"baseline entry no longer occurs: {what}", lang))
    return "\n".join(lines) + "\n"


class TextWriter(Writer):
    """Report by report, a blank line between two."""

    _first = True

    def report(self, outcome: ReportOutcome) -> None:
        if not self._first:
            self.out.write("\n")
        self._first = False
        self.out.write(report_text(outcome, self.lang))
