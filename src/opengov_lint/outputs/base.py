"""What every output writer shares: the begin / report / end protocol and the message helpers."""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from typing import TextIO

from ..checker import ReportOutcome
from ..findings import Finding, Severity
from ..packs import Packs, load_packs

__all__ = ["Writer", "message", "entry_message", "severity_counts", "printable", "display_path"]


class Writer(ABC):
    """Writes checked reports to ``out`` in one format: :meth:`begin` once, :meth:`report` for
    each report as it is checked, :meth:`end` once. Streamed formats write in :meth:`report`;
    one-document formats keep what they need (never the report models) and write in :meth:`end`."""

    def __init__(self, out: TextIO, *, lang: str = "both", fail_on: str = "error", packs: Packs | None = None) -> None:
        self.out = out
        self.lang = lang
        self.fail_on = fail_on
        self.packs = packs or load_packs()

    def begin(self) -> None:  # noqa: B027  (most formats have no preamble)
        """Before the first report."""

    @abstractmethod
    def report(self, outcome: ReportOutcome) -> None:
        """One checked report."""

    def end(self, batch: Mapping[str, int] | None = None) -> None:  # noqa: B027  (most formats have no trailer)
        """After the last report; ``batch`` holds the counts of a batch run (the JSON output has them)."""


def message(f: Finding, lang: str = "both") -> str:
    """The finding's message in ``lang``: zh, en, or both (Chinese first)."""
    return entry_message(f.message_zh, f.message_en, lang)


def entry_message(zh: str, en: str, lang: str) -> str:
    return zh if lang == "zh" else en if lang == "en" else f"{zh} / {en}"


def severity_counts(findings: Iterable[Finding]) -> dict[str, int]:
    out = {s.value: 0 for s in Severity}
    for f in findings:
        out[f.severity.value] += 1
    return out


def printable(text: str) -> str:
    """A string from the input (a path, a quote, a message holding one, a source line) as it is
    written to a terminal or a CI log: the one place where input text becomes output text."""
    return text


def display_path(path: str, cwd: str | os.PathLike[str] | None = None) -> str:
    """A report's path as the machine formats write it (GitHub, GitLab, JUnit, JSON): relative to
    the working folder with ``/`` separators and no leading ``./`` when the file is under it,
    else absolute; ``-`` (standard input) and names that are no file path stay as they are."""
    if path == "-" or path.startswith("<"):
        return path
    here = os.path.abspath(cwd if cwd is not None else os.getcwd())
    full = os.path.abspath(path)
    try:
        common = os.path.commonpath([here, full])
    except ValueError:  # another drive (Windows)
        common = ""
    if common == here:
        return os.path.relpath(full, here).replace(os.sep, "/")
    return full.replace(os.sep, "/")
