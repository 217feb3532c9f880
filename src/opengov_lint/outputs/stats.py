"""Statistics over a batch: ``opengov-lint stats DIR``.

Reports read, findings by code, the share of reports with an error-level finding, by agency
kind and by report year; as text tables (tabulate), JSON, CSV, and a self-contained HTML page
with the same tables and bar charts drawn as inline SVG (no script, no network).
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections import Counter
from typing import Any

from tabulate import tabulate

from .._version import __version__
from ..checker import ReportOutcome
from ..findings import Severity
from ..model import AgencyKind
from ..packs import Packs

__all__ = ["Statistics", "render_table", "render_json", "render_csv", "render_html"]

_KIND_ZH = {"government": "人民政府", "department": "政府部门", "township": "乡镇街道", "other": "其他"}
_UNKNOWN_YEAR = "未识别"


class _Group:
    __slots__ = ("reports", "with_errors", "findings", "by_severity")

    def __init__(self) -> None:
        self.reports = 0
        self.with_errors = 0
        self.findings = 0
        self.by_severity: Counter[str] = Counter()

    def add(self, item: ReportOutcome) -> None:
        self.reports += 1
        self.with_errors += 1 if item.result.has_errors else 0
        self.findings += len(item.result.findings)
        for f in item.result.findings:
            self.by_severity[f.severity.value] += 1

    def row(self, key: str, label: str) -> dict[str, Any]:
        return {
            "key": key,
            "label": label,
            "reports": self.reports,
            "reports_with_errors": self.with_errors,
            "error_share": round(self.with_errors / self.reports, 4) if self.reports else 0.0,
            "findings": self.findings,
            "errors": self.by_severity["error"],
            "warnings": self.by_severity["warning"],
            "infos": self.by_severity["info"],
        }


class Statistics:
    """Counts fed one :class:`~opengov_lint.checker.ReportOutcome` at a time (memory flat in N)."""

    def __init__(self, packs: Packs) -> None:
        self.packs = packs
        self.total = _Group()
        self.paired = 0
        self.unreadable = 0
        self.code_findings: Counter[str] = Counter()
        self.code_reports: Counter[str] = Counter()
        self.kinds: dict[str, _Group] = {k.value: _Group() for k in AgencyKind}
        self.years: dict[str, _Group] = {}

    def add(self, item: ReportOutcome) -> None:
        self.total.add(item)
        if item.error is not None:
            self.unreadable += 1
        if item.previous:
            self.paired += 1
        seen = set()
        for f in item.result.findings:
            self.code_findings[f.code] += 1
            seen.add(f.code)
        for c in seen:
            self.code_reports[c] += 1
        md = item.result.report.metadata
        self.kinds[md.agency_kind.value].add(item)
        year = str(md.report_year) if md.report_year is not None else _UNKNOWN_YEAR
        self.years.setdefault(year, _Group()).add(item)

    # ------------------------------------------------------------ views

    def summary(self) -> dict[str, Any]:
        t = self.total
        return {
            "reports": t.reports,
            "unreadable": self.unreadable,
            "paired_with_previous_year": self.paired,
            "reports_with_errors": t.with_errors,
            "error_share": round(t.with_errors / t.reports, 4) if t.reports else 0.0,
            "findings": t.findings,
            "errors": t.by_severity["error"],
            "warnings": t.by_severity["warning"],
            "infos": t.by_severity["info"],
        }

    def by_code(self) -> list[dict[str, Any]]:
        order = {c: i for i, c in enumerate(self.packs.catalogue.codes)}
        rows = []
        for code in sorted(self.code_findings, key=lambda c: (order.get(c, len(order)), c)):
            spec = self.packs.catalogue.get(code)
            n = self.total.reports
            rows.append(
                {
                    "code": code,
                    "slug": spec.slug if spec else "",
                    "severity": spec.severity if spec else "",
                    "summary_zh": spec.summary_zh if spec else "",
                    "findings": self.code_findings[code],
                    "reports": self.code_reports[code],
                    "report_share": round(self.code_reports[code] / n, 4) if n else 0.0,
                }
            )
        return rows

    def by_kind(self) -> list[dict[str, Any]]:
        return [g.row(k, _KIND_ZH.get(k, k)) for k, g in self.kinds.items() if g.reports]

    def by_year(self) -> list[dict[str, Any]]:
        def key(y: str) -> tuple[int, int]:
            return (1, 0) if y == _UNKNOWN_YEAR else (0, int(y))

        return [self.years[y].row(y, y) for y in sorted(self.years, key=key)]

    def as_dict(self) -> dict[str, Any]:
        return {
            "tool": {"name": "opengov-lint", "version": __version__},
            "summary": self.summary(),
            "by_code": self.by_code(),
            "by_agency_kind": self.by_kind(),
            "by_year": self.by_year(),
        }


def _pct(x: float) -> str:
    return f"{x * 100:.1f}%"


_GROUP_HEADERS = [
    "",
    "报告 reports",
    "有错误 with errors",
    "占比 share",
    "问题 findings",
    "错误 errors",
    "警告 warnings",
    "提示 infos",
]


def _group_rows(rows: list[dict[str, Any]]) -> list[list[Any]]:
    return [
        [
            r["label"],
            r["reports"],
            r["reports_with_errors"],
            _pct(r["error_share"]),
            r["findings"],
            r["errors"],
            r["warnings"],
            r["infos"],
        ]
        for r in rows
    ]


def render_table(stats: Statistics) -> str:
    s = stats.summary()
    out = [
        "汇总 / summary",
        tabulate(
            [
                ["读取报告 reports read", s["reports"]],
                ["无法读取 unreadable", s["unreadable"]],
                ["与上年报告配对 paired with last year's", s["paired_with_previous_year"]],
                ["有错误的报告 reports with errors", f"{s['reports_with_errors']} ({_pct(s['error_share'])})"],
                ["问题总数 findings", f"{s['findings']} (错误 {s['errors']} / 警告 {s['warnings']} / 提示 {s['infos']})"],
            ],
            tablefmt="simple",
        ),
        "",
        "按规则 / by code",
        tabulate(
            [
                [r["code"], r["slug"], r["severity"], r["findings"], r["reports"], _pct(r["report_share"])]
                for r in stats.by_code()
            ],
            headers=["代码 code", "名称 slug", "级别 severity", "问题 findings", "报告 reports", "占比 share"],
            tablefmt="simple",
        ),
        "",
        "按机关类型 / by agency kind",
        tabulate(_group_rows(stats.by_kind()), headers=_GROUP_HEADERS, tablefmt="simple"),
        "",
        "按年度 / by year",
        tabulate(_group_rows(stats.by_year()), headers=_GROUP_HEADERS, tablefmt="simple"),
    ]
    return "\n".join(out) + "\n"


def render_json(stats: Statistics) -> str:
    return json.dumps(stats.as_dict(), ensure_ascii=False, indent=2)


CSV_FIELDS = [
    "table",
    "key",
    "label",
    "reports",
    "reports_with_errors",
    "error_share",
    "findings",
    "errors",
    "warnings",
    "infos",
    "severity",
]


def render_csv(stats: Statistics) -> str:
    """One CSV in long form: a ``table`` column says which table a row belongs to
    (summary, by_code, by_agency_kind, by_year). For by_code, ``reports`` counts the reports
    with that code and ``error_share`` is their share of all reports."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CSV_FIELDS, lineterminator="\n")
    w.writeheader()
    s = stats.summary()
    w.writerow(
        {
            "table": "summary",
            "key": "all",
            "label": "全部 all",
            **{k: s[k] for k in ("reports", "reports_with_errors", "error_share", "findings", "errors", "warnings", "infos")},
            "severity": "",
        }
    )
    for r in stats.by_code():
        sev = r["severity"]
        w.writerow(
            {
                "table": "by_code",
                "key": r["code"],
                "label": r["slug"],
                "reports": r["reports"],
                "reports_with_errors": "",
                "error_share": r["report_share"],
                "findings": r["findings"],
                "errors": r["findings"] if sev == Severity.ERROR.value else 0,
                "warnings": r["findings"] if sev == Severity.WARNING.value else 0,
                "infos": r["findings"] if sev == Severity.INFO.value else 0,
                "severity": sev,
            }
        )
    for name, rows in (("by_agency_kind", stats.by_kind()), ("by_year", stats.by_year())):
        for r in rows:
            w.writerow({"table": name, **r, "severity": ""})
    return buf.getvalue()


# ---------------------------------------------------------------- HTML


def _svg_bars(title: str, bars: list[tuple[str, float, str]], *, unit_max: float | None = None, chart_id: str) -> str:
    """Horizontal bars: (label, value, text shown after the bar)."""
    if not bars:
        return ""
    bar_h, gap, label_w, plot_w = 18, 6, 210, 360
    height = len(bars) * (bar_h + gap) + gap
    top = unit_max if unit_max is not None else max(v for _, v, _ in bars) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{chart_id}" width="{label_w + plot_w + 90}" height="{height}" '
        f'role="img" aria-label="{html.escape(title)}">'
    ]
    for i, (label, value, shown) in enumerate(bars):
        y = gap + i * (bar_h + gap)
        w = 0 if top <= 0 else max(0.0, min(1.0, value / top)) * plot_w
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar_h - 4}" text-anchor="end">{html.escape(label)}</text>'
            f'<rect class="bar" x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" data-value="{value}"><title>{html.escape(label)}: {html.escape(shown)}</title></rect>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + bar_h - 4}">{html.escape(shown)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _html_table(headers: list[str], rows: list[list[Any]], table_id: str) -> str:
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in r) + "</tr>" for r in rows)
    return f'<table id="{table_id}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


_CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #bbb;padding:.25em .6em;text-align:right}
th:first-child,td:first-child{text-align:left}th{background:#eee}
.chart text{font-size:12px}.chart .bar{fill:#4a78b5}
"""


def render_html(stats: Statistics) -> str:
    s = stats.summary()
    codes = stats.by_code()
    kinds, years = stats.by_kind(), stats.by_year()
    sections = [
        "<h2>汇总 / summary</h2>",
        _html_table(
            ["", ""],
            [
                ["读取报告 reports read", s["reports"]],
                ["无法读取 unreadable", s["unreadable"]],
                ["与上年报告配对 paired", s["paired_with_previous_year"]],
                ["有错误的报告 reports with errors", f"{s['reports_with_errors']} ({_pct(s['error_share'])})"],
                ["问题总数 findings", s["findings"]],
            ],
            "summary",
        ),
        "<h2>按规则 / by code</h2>",
        _svg_bars(
            "reports with each code",
            [(f"{r['code']} {r['slug']}", r["reports"], f"{r['reports']} ({_pct(r['report_share'])})") for r in codes],
            chart_id="chart-codes",
        ),
        _html_table(
            ["代码 code", "名称 slug", "级别 severity", "问题 findings", "报告 reports", "占比 share"],
            [[r["code"], r["slug"], r["severity"], r["findings"], r["reports"], _pct(r["report_share"])] for r in codes],
            "by-code",
        ),
        "<h2>按机关类型 / by agency kind</h2>",
        _svg_bars(
            "share of reports with errors by agency kind",
            [(r["label"], r["error_share"], _pct(r["error_share"])) for r in kinds],
            unit_max=1.0,
            chart_id="chart-kinds",
        ),
        _html_table(_GROUP_HEADERS, _group_rows(kinds), "by-kind"),
        "<h2>按年度 / by year</h2>",
        _svg_bars(
            "share of reports with errors by year",
            [(r["label"], r["error_share"], _pct(r["error_share"])) for r in years],
            unit_max=1.0,
            chart_id="chart-years",
        ),
        _html_table(_GROUP_HEADERS, _group_rows(years), "by-year"),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        "<title>政府信息公开工作年度报告检查统计 / opengov-lint statistics</title>"
        f"<style>{_CSS}</style></head><body>"
        f"<h1>政府信息公开工作年度报告检查统计</h1><p>opengov-lint {html.escape(__version__)}</p>"
        + "".join(sections)
        + "</body></html>\n"
    )
