"""Outputs for CI systems: GitHub Actions workflow commands, JUnit XML, GitLab Code Quality."""

from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any, TextIO

from ..checker import ReportOutcome
from ..findings import Finding, Severity
from ..packs import Packs
from .base import Writer, display_path, message, printable, severity_counts
from .sarif import rule_specs

__all__ = ["GithubWriter", "JunitWriter", "GitlabWriter"]

_GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}
_GITLAB_SEVERITY = {"error": "major", "warning": "minor", "info": "info"}


# ------------------------------------------------------------------------------------ GitHub
def _gh_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(s: str) -> str:
    return _gh_data(s).replace(":", "%3A").replace(",", "%2C")


class GithubWriter(Writer):
    """Workflow commands (``::error file=…,line=…::message``), one per finding as each report
    comes, then a summary line."""

    def __init__(self, out: TextIO, *, lang: str = "both", fail_on: str = "error", packs: Packs | None = None) -> None:
        super().__init__(out, lang=lang, fail_on=fail_on, packs=packs)
        self._reports = 0
        self._accepted = 0
        self._counts = severity_counts(())

    def report(self, outcome: ReportOutcome) -> None:
        o = outcome
        self._reports += 1
        self._accepted += len(o.accepted)
        for sev, n in severity_counts(o.findings).items():
            self._counts[sev] += n
        for f in o.findings:
            props = [f"file={_gh_prop(display_path(o.path))}"]
            span = f.location.span
            if span is not None:
                props.append(f"line={span.line}")
                if span.end_line is not None:
                    props.append(f"endLine={span.end_line}")
                props.append(f"col={span.column}")
                if span.end_column is not None and (span.end_line in (None, span.line)):
                    props.append(f"endColumn={span.end_column}")
            where = f" [{printable(f.location.path)}]" if f.location.path else ""
            props.append(f"title={_gh_prop(f'{f.code} {f.slug}{where}')}")
            self.out.write(
                f"::{_GITHUB_LEVEL[f.severity.value]} {','.join(props)}::{_gh_data(printable(message(f, self.lang)))}\n"
            )

    def end(self, batch: Mapping[str, int] | None = None) -> None:
        s, accepted = self._counts, self._accepted
        zh = f"opengov-lint：{self._reports} 份报告，错误 {s['error']}，警告 {s['warning']}，提示 {s['info']}"
        en = f"{self._reports} report(s), {s['error']} error(s), {s['warning']} warning(s), {s['info']} info(s)"
        if accepted:
            zh += f"，基线已接受 {accepted}"
            en += f", {accepted} accepted in the baseline"
        self.out.write((zh if self.lang == "zh" else f"opengov-lint: {en}" if self.lang == "en" else f"{zh} / {en}") + "\n")


# ------------------------------------------------------------------------------------ JUnit
def _junit_line(f: Finding, lang: str) -> str:
    span = f.location.span
    pos = f"{span.line}:{span.column}" if span else "-"
    return f"{pos} {f.location.path} [{f.severity.value}] {message(f, lang)}".replace("  ", " ")


class JunitWriter(Writer):
    """A test suite per report, a test case per rule run; a rule with findings at or above
    ``fail_on`` fails (one ``<failure>`` listing them), findings below it and baselined ones go to
    the case's ``<system-out>``."""

    def __init__(self, out: TextIO, *, lang: str = "both", fail_on: str = "error", packs: Packs | None = None) -> None:
        super().__init__(out, lang=lang, fail_on=fail_on, packs=packs)
        self._level = Severity(fail_on)
        self._slugs = {code: spec.slug for code, spec in rule_specs(self.packs).items()}
        self._root = ET.Element("testsuites", name="opengov-lint")
        self._tests = self._failures = 0

    def report(self, outcome: ReportOutcome) -> None:
        o = outcome
        by_code: dict[str, list[Finding]] = {}
        for f in o.findings:
            by_code.setdefault(f.code, []).append(f)
        accepted: dict[str, list[tuple[Finding, str]]] = {}
        for f, j in o.accepted:
            accepted.setdefault(f.code, []).append((f, j))
        codes = list(dict.fromkeys([*o.result.rules_run, *by_code, *accepted]))
        path = display_path(o.path)
        suite = ET.SubElement(self._root, "testsuite", name=path)
        failures = 0
        for code in codes:
            fs = by_code.get(code, [])
            slug = fs[0].slug if fs else self._slugs.get(code, "")
            case = ET.SubElement(suite, "testcase", classname=path, name=f"{code} {slug}".strip())
            failing = [f for f in fs if f.severity.rank >= self._level.rank]
            rest = [f for f in fs if f.severity.rank < self._level.rank]
            if failing:
                failures += 1
                worst = max(failing, key=lambda f: f.severity.rank)
                fail = ET.SubElement(
                    case,
                    "failure",
                    type=worst.severity.value,
                    message=f"{len(failing)} finding(s): {message(failing[0], self.lang)}",
                )
                fail.text = "\n".join(_junit_line(f, self.lang) for f in failing)
            out_lines = [_junit_line(f, self.lang) for f in rest]
            out_lines += [f"[baselined] {_junit_line(f, self.lang)} — {j}" for f, j in accepted.get(code, [])]
            if out_lines:
                ET.SubElement(case, "system-out").text = "\n".join(out_lines)
        suite.set("tests", str(len(codes)))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", "0")
        self._tests += len(codes)
        self._failures += failures

    def end(self, batch: Mapping[str, int] | None = None) -> None:
        self._root.set("tests", str(self._tests))
        self._root.set("failures", str(self._failures))
        self._root.set("errors", "0")
        ET.indent(self._root)
        self.out.write('<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(self._root, encoding="unicode") + "\n")


# ------------------------------------------------------------------------------------ GitLab
class GitlabWriter(Writer):
    """Code Quality: a JSON array of issues (description, check_name, fingerprint, severity,
    location.path, location.lines.begin)."""

    def __init__(self, out: TextIO, *, lang: str = "both", fail_on: str = "error", packs: Packs | None = None) -> None:
        super().__init__(out, lang=lang, fail_on=fail_on, packs=packs)
        self._issues: list[dict[str, Any]] = []

    def report(self, outcome: ReportOutcome) -> None:
        o = outcome
        path = display_path(o.path)
        for f in o.findings:
            span = f.location.span
            self._issues.append(
                {
                    "description": message(f, self.lang),
                    "check_name": f"{f.code} {f.slug}",
                    "fingerprint": hashlib.sha256(f"{path}\x1f{f.fingerprint}".encode()).hexdigest()[:32],
                    "severity": _GITLAB_SEVERITY[f.severity.value],
                    "location": {"path": path, "lines": {"begin": span.line if span else 1}},
                }
            )

    def end(self, batch: Mapping[str, int] | None = None) -> None:
        self.out.write(json.dumps(self._issues, ensure_ascii=False, indent=2) + "\n")
