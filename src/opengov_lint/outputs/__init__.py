"""Result outputs: one writer per format (begin / report / end), the same for a stream of
reports and for a whole list. See docs/integration.md for each format's fields.

    >>> from opengov_lint.outputs import render
    >>> print(render(outcomes, "sarif", lang="en"))
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TextIO

from ..checker import ReportOutcome
from ..packs import Packs
from .base import Writer, message
from .ci import GithubWriter, GitlabWriter, JunitWriter
from .html import HtmlWriter
from .json import JsonLinesWriter, JsonWriter
from .sarif import SarifWriter
from .text import ConciseWriter, FullWriter, Style, TextWriter

__all__ = ["Writer", "WRITERS", "STREAMED", "PEOPLE", "Style", "writer_for", "render", "message"]

WRITERS: dict[str, type[Writer]] = {
    "text": TextWriter,
    "concise": ConciseWriter,
    "full": FullWriter,
    "json": JsonWriter,
    "jsonl": JsonLinesWriter,
    "sarif": SarifWriter,
    "github": GithubWriter,
    "junit": JunitWriter,
    "gitlab": GitlabWriter,
    "html": HtmlWriter,
}
# Formats whose writer puts each report out as it comes (memory flat over any number of reports);
# the others are one document (SARIF, JUnit, GitLab) or a trailer (GitHub's summary) written at the end.
STREAMED = ("text", "concise", "full", "json", "jsonl", "github")
# The formats for people: drawn in a :class:`Style` (colour, width, quiet, source lines).
PEOPLE = ("text", "concise", "full")


def writer_for(
    output_format: str,
    out: TextIO,
    *,
    lang: str = "both",
    fail_on: str = "error",
    packs: Packs | None = None,
    output_dir: str | os.PathLike[str] | None = None,
    on_page: Callable[[Path], None] | None = None,
    style: Style | None = None,
) -> Writer:
    """The writer of ``output_format`` (one of :data:`opengov_lint.config.OUTPUT_FORMATS`);
    ``output_dir`` and ``on_page`` are for HTML, one page per report; ``style`` for the
    formats for people (:data:`PEOPLE`; default: no colour, not a terminal)."""
    if output_format == "html":
        return HtmlWriter(out, lang=lang, fail_on=fail_on, packs=packs, output_dir=output_dir, on_page=on_page)
    if output_format == "text":
        return TextWriter(out, lang=lang, fail_on=fail_on, packs=packs, style=style)
    if output_format == "concise":
        return ConciseWriter(out, lang=lang, fail_on=fail_on, packs=packs, style=style)
    if output_format == "full":
        return FullWriter(out, lang=lang, fail_on=fail_on, packs=packs, style=style)
    if output_format not in WRITERS:
        raise ValueError(f"unknown output format {output_format!r}")
    return WRITERS[output_format](out, lang=lang, fail_on=fail_on, packs=packs)


def render(
    outcomes: Iterable[ReportOutcome],
    output_format: str,
    *,
    lang: str = "both",
    fail_on: str = "error",
    packs: Packs | None = None,
    batch: Mapping[str, int] | None = None,
    style: Style | None = None,
) -> str:
    """Every outcome in ``output_format``, as one string."""
    buf = io.StringIO()
    w = writer_for(output_format, buf, lang=lang, fail_on=fail_on, packs=packs, style=style)
    w.begin()
    for o in outcomes:
        w.report(o)
    w.end(batch)
    return buf.getvalue()
