"""The formats for people: ``text`` (per report a heading, then a table of findings per section,
Chinese first), ``concise`` (``path:line:col: CODE [severity] message``, one line a finding, for
editors and grep) and ``full`` (each finding with the source line and a caret under its span, as
ruff shows them).

Columns are aligned and lines wrapped by display width (``wcwidth``: a Chinese character takes two
columns), to the terminal's width when there is one; severities are coloured on a terminal, as
``NO_COLOR`` and ``FORCE_COLOR`` say (:func:`style_for`). Every string that comes from the input
(paths, messages, quoted text, source lines) goes through :func:`~.base.printable`.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Mapping, Sequence
from typing import TextIO

import wcwidth
from attrs import frozen
from tabulate import tabulate

from ..checker import ReportOutcome
from ..findings import Finding
from ..packs import Packs
from .base import Writer, entry_message, printable, severity_counts

__all__ = [
    "ConciseWriter",
    "FullWriter",
    "Style",
    "TextWriter",
    "concise_line",
    "display_width",
    "report_text",
    "style_for",
    "wrap",
]

_SECTION_NAMES = {
    None: ("全文", "whole report"),
    1: ("一", "1"),
    2: ("二", "2"),
    3: ("三", "3"),
    4: ("四", "4"),
    5: ("五", "5"),
    6: ("六", "6"),
}
_MESSAGE_WIDTH = 70  # the message column when the output is not a terminal
_WHERE_WIDTH = 24  # the location column is wrapped at this width on a terminal
_MIN_MESSAGE_WIDTH = 24
_ANSI = {"error": "\x1b[1;31m", "warning": "\x1b[33m", "info": "\x1b[36m", "bold": "\x1b[1m", "dim": "\x1b[2m"}
_RESET = "\x1b[0m"

# Source lines of a report for the ``full`` format (None: none to show, e.g. a PDF's).
SourceLines = Callable[[str], Sequence[str] | None]


@frozen
class Style:
    """How the people's formats draw: ``colour`` (ANSI), ``width`` (the terminal's columns; None
    when not a terminal: the message column is then 70 wide and nothing else is wrapped),
    ``quiet`` (reports without findings and summary lines are left out), and ``source_lines``
    (the ``full`` format's source of the quoted lines)."""

    colour: bool = False
    width: int | None = None
    quiet: bool = False
    source_lines: SourceLines | None = None


def style_for(
    stream: TextIO, *, quiet: bool = False, environ: Mapping[str, str] | None = None, source_lines: SourceLines | None = None
) -> Style:
    """The style for writing to ``stream``: colour on a terminal unless ``NO_COLOR`` is set (and
    not empty), or off a terminal when ``FORCE_COLOR`` is (NO_COLOR wins over FORCE_COLOR, as in
    pytest); the width of the terminal, or ``COLUMNS`` when set."""
    env = os.environ if environ is None else environ
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    if env.get("NO_COLOR"):
        colour = False
    elif env.get("FORCE_COLOR"):
        colour = True
    else:
        colour = tty and env.get("TERM") != "dumb"
    width: int | None = None
    columns = env.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        width = int(columns)
    elif tty:
        width = shutil.get_terminal_size().columns
    return Style(colour=colour, width=width, quiet=quiet, source_lines=source_lines)


def _paint(text: str, what: str, style: Style) -> str:
    return f"{_ANSI[what]}{text}{_RESET}" if style.colour and text else text


def display_width(text: str) -> int:
    """Columns ``text`` takes on a terminal (a Chinese character two; controls none)."""
    w = wcwidth.wcswidth(text)
    return w if w >= 0 else sum(max(wcwidth.wcwidth(ch), 0) for ch in text)


def wrap(text: str, width: int) -> list[str]:
    """``text`` cut into lines of at most ``width`` display columns: at spaces where it can, else
    between characters (Chinese has no spaces); existing line breaks kept."""
    out: list[str] = []
    for para in text.split("\n"):
        line, line_w = "", 0
        for word in _pieces(para):
            w = display_width(word)
            if line and line_w + w > width:
                out.append(line.rstrip())
                line, line_w = "", 0
                word = word.lstrip()
                w = display_width(word)
            while w > width:  # one piece longer than the line: cut it by characters
                head, head_w = "", 0
                for ch in word:
                    cw = max(wcwidth.wcwidth(ch), 0)
                    if head_w + cw > width:
                        break
                    head, head_w = head + ch, head_w + cw
                out.append(head)
                word = word[len(head) :]
                w = display_width(word)
            line, line_w = line + word, line_w + w
        out.append(line.rstrip())
    return out


def _pieces(text: str) -> list[str]:
    """Words (with their leading space) and single wide characters: the places a line may break."""
    out: list[str] = []
    cur = ""
    for ch in text:
        wide = wcwidth.wcwidth(ch) == 2
        if ch == " " or wide:
            if cur:
                out.append(cur)
            cur = ch
            if wide:
                out.append(cur)
                cur = ""
        else:
            cur += ch
    if cur:
        out.append(cur)
    return out


def _where(f: Finding) -> str:
    span = f.location.span
    pos = f"{span.line}:{span.column}" if span else "-"
    return f"{pos}\n{printable(f.location.path)}" if f.location.path else pos


def _msg(f: Finding, lang: str) -> str:
    zh, en = printable(f.message_zh), printable(f.message_en)
    return zh if lang == "zh" else en if lang == "en" else f"{zh}\n{en}"


def _table(rows: list[list[str]], headers: list[str], style: Style) -> str:
    """The findings table, its message column as wide as the terminal leaves (70 off a terminal);
    on a terminal too narrow for a table, one block per finding."""
    if style.width is None:
        return tabulate(rows, headers=headers, tablefmt="simple", maxcolwidths=[None, None, None, _MESSAGE_WIDTH])
    rows = [["\n".join(x for part in r[0].split("\n") for x in wrap(part, _WHERE_WIDTH)), *r[1:]] for r in rows]
    fixed = 0
    for i in range(3):  # tabulate pads a header by two columns at least
        widest = max(display_width(line) for r in rows for line in _plain(r[i]).split("\n"))
        fixed += max(widest, display_width(headers[i]) + 2)
    message_width = style.width - fixed - 2 * 3
    if message_width < _MIN_MESSAGE_WIDTH:
        return _blocks(rows, style)
    rows = [[*r[:3], "\n".join(wrap(r[3], message_width))] for r in rows]
    return tabulate(rows, headers=headers, tablefmt="simple")


def _blocks(rows: list[list[str]], style: Style) -> str:
    """Findings one after another, for a narrow terminal: where, code and level on a line, the
    message under them, indented."""
    width = max(style.width or _MESSAGE_WIDTH, 20)
    out: list[str] = []
    for where, code, level, msg in rows:
        head = "  ".join(x.replace("\n", " ") for x in (where, code, level))
        out += wrap(head, width) if display_width(_plain(head)) > width else [head]
        out += ["    " + line for line in wrap(msg, width - 4)]
    return "\n".join(out)


def _plain(text: str) -> str:
    for code in (*_ANSI.values(), _RESET):
        text = text.replace(code, "")
    return text


def _heading_lines(o: ReportOutcome, style: Style) -> list[str]:
    md = o.report.metadata
    s = severity_counts(o.findings)
    agency = printable(md.agency) if md.agency else "（未识别机关）"
    summary = (
        f"{agency} · {md.report_year or '?'}年度 · 格式 {o.report.format.version} · "
        f"错误 {s['error']} / 警告 {s['warning']} / 提示 {s['info']}  "
        f"(errors {s['error']}, warnings {s['warning']}, infos {s['info']})"
    )
    lines = [_paint(printable(o.path), "bold", style)]
    lines += ["  " + x for x in (wrap(summary, style.width - 2) if style.width else [summary])]
    return lines


def report_text(o: ReportOutcome, lang: str = "both", style: Style | None = None) -> str:
    """One report's block, ending with a newline (empty with ``quiet`` when nothing was found).
    ``lang``: zh, en or both (Chinese first); headers and labels stay bilingual."""
    style = style or Style()
    if style.quiet and not o.findings:
        return ""
    lines = _heading_lines(o, style)
    if o.previous:
        lines.append(f"  对比上年报告 compared with: {printable(o.previous)}")
    if not o.findings:
        lines.append("  未发现问题 / no findings")
    groups: dict[int | None, list[Finding]] = {}
    for f in o.findings:
        groups.setdefault(f.location.section, []).append(f)
    for section in sorted(groups, key=lambda k: (k is not None, k or 0)):
        zh, en = _SECTION_NAMES.get(section, (str(section), str(section)))
        lines.append(f"── 第{zh}部分 / section {en} ──" if section else f"── {zh} / {en} ──")
        rows = [
            [
                _where(f),
                f"{_paint(f.code, 'bold', style)}\n{f.slug}",
                f"{_paint(f.severity.label_zh, f.severity.value, style)}\n{_paint(f.severity.value, f.severity.value, style)}",
                _msg(f, lang),
            ]
            for f in groups[section]
        ]
        lines.append(_table(rows, ["位置 where", "代码 code", "级别 level", "说明 message"], style))
    if o.suppressed and not style.quiet:
        n = len(o.suppressed)
        codes = ", ".join(sorted({f.code for f, _ in o.suppressed}))
        lines.append(
            "  "
            + entry_message(
                f"草稿中的注释抑制了 {n} 项（{codes}）", f"{n} finding(s) suppressed by comments in the draft ({codes})", lang
            )
        )
    if o.baseline_used:
        if o.accepted and not style.quiet:
            n = len(o.accepted)
            lines.append(
                "  " + entry_message(f"基线已接受 {n} 项（未列出）", f"{n} finding(s) accepted in the baseline (not shown)", lang)
            )
        for e in o.absent:
            what = f"{e.code} {printable(e.location)} {e.fingerprint}"
            lines.append("  " + entry_message(f"基线条目已不再出现：{what}", f"baseline entry no longer occurs: {what}", lang))
    return "\n".join(lines) + "\n"


class TextWriter(Writer):
    """Report by report, a blank line between two."""

    def __init__(
        self, out: TextIO, *, lang: str = "both", fail_on: str = "error", packs: Packs | None = None, style: Style | None = None
    ) -> None:
        super().__init__(out, lang=lang, fail_on=fail_on, packs=packs)
        self.style = style or Style()
        self._first = True

    def report(self, outcome: ReportOutcome) -> None:
        block = report_text(outcome, self.lang, self.style)
        if not block:
            return
        if not self._first:
            self.out.write("\n")
        self._first = False
        self.out.write(block)


# ------------------------------------------------------------------------------------ concise
def _position(f: Finding) -> tuple[int, int]:
    """Line and column of the finding; 1:1 for a finding about the whole report (as GitLab's)."""
    span = f.location.span
    return (span.line, span.column) if span is not None else (1, 1)


def concise_line(path: str, f: Finding, lang: str = "both", style: Style | None = None) -> str:
    """``path:line:col: CODE [severity] message [logical location]`` (no newline)."""
    style = style or Style()
    line, col = _position(f)
    message = entry_message(printable(f.message_zh), printable(f.message_en), lang).replace("\n", " ")
    where = f" [{printable(f.location.path)}]" if f.location.path else ""
    sev = _paint(f.severity.value, f.severity.value, style)
    return f"{printable(path)}:{line}:{col}: {_paint(f.code, 'bold', style)} [{sev}] {message}{where}"


class _CountingWriter(Writer):
    """A summary line at the end (left out with ``quiet``), as ruff prints ``Found N errors``."""

    def __init__(
        self, out: TextIO, *, lang: str = "both", fail_on: str = "error", packs: Packs | None = None, style: Style | None = None
    ) -> None:
        super().__init__(out, lang=lang, fail_on=fail_on, packs=packs)
        self.style = style or Style()
        self._counts = severity_counts(())
        self._reports = 0

    def count(self, outcome: ReportOutcome) -> None:
        self._reports += 1
        for sev, n in severity_counts(outcome.findings).items():
            self._counts[sev] += n

    def end(self, batch: Mapping[str, int] | None = None) -> None:
        if self.style.quiet:
            return
        s = self._counts
        zh = f"{self._reports} 份报告：错误 {s['error']}，警告 {s['warning']}，提示 {s['info']}"
        en = f"{self._reports} report(s): {s['error']} error(s), {s['warning']} warning(s), {s['info']} info(s)"
        self.out.write(entry_message(zh, en, self.lang) + "\n")


class ConciseWriter(_CountingWriter):
    """One line a finding, then a summary line."""

    def report(self, outcome: ReportOutcome) -> None:
        self.count(outcome)
        for f in outcome.findings:
            self.out.write(concise_line(outcome.path, f, self.lang, self.style) + "\n")


# ------------------------------------------------------------------------------------ full
def _snippet(lines: Sequence[str], f: Finding, style: Style) -> list[str]:
    """The source line of the finding with a caret under its span (by display width)."""
    span = f.location.span
    if span is None or not 1 <= span.line <= len(lines):
        return []
    text = printable(lines[span.line - 1].rstrip("\r\n"))
    number = str(span.line)
    gutter = " " * len(number)
    start = max(span.column - 1, 0)
    if span.end_line not in (None, span.line) or span.end_column is None:
        end = len(text)
    else:
        end = max(span.end_column, start + 1)
    end = min(max(end, start + 1), max(len(text), start + 1))
    pad = " " * display_width(text[:start])
    carets = "^" * max(display_width(text[start:end]), 1)
    return [
        f"{gutter} |",
        f"{number} | {text}",
        f"{gutter} | {pad}{_paint(carets, f.severity.value, style)}",
    ]


class FullWriter(_CountingWriter):
    """Each finding as a block: its concise line, the source line with a caret under the span
    (text and HTML inputs: their own lines; PDF and DOCX lines are extracted, and none is
    shown), where in the report it is, the citation and how to learn more."""

    def report(self, outcome: ReportOutcome) -> None:
        self.count(outcome)
        source = self.style.source_lines(outcome.path) if self.style.source_lines and outcome.findings else None
        for f in outcome.findings:
            block = [concise_line(outcome.path, f, self.lang, self.style)]
            block += _snippet(source or (), f, self.style)
            if f.location.path:
                block.append(f"  = 位置 where: {printable(f.location.path)}")
            if f.evidence.expression:
                block.append(f"  = 算式 identity: {printable(f.evidence.expression)}")
            if f.evidence.quote:
                block.append(f"  = 原文 quote: {printable(f.evidence.quote)}")
            block.append(f"  = 依据 citation: {f.citation}")
            block.append(f"  = 说明 help: opengov-lint rule {f.code}")
            self.out.write("\n".join(block) + "\n\n")
