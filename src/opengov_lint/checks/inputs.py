"""Input and engine rules: what the readers could not read, and what the engine or batch mode
could not run.

X001 unreadable input, X002 cells that ran together and cannot be split one way, X003 tables or
pages published as images, X004 inputs over a safety limit, L001 reports of the old regime,
X005 a file of a batch that could not be read as a report, X900 a rule that crashed. The readers
record input problems as parse notes; these rules only turn the notes into findings. X005 and
X900 never find anything themselves: batch mode reports a file under X005 with
:func:`input_error_finding`, the engine a crashing rule under X900.
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from ..findings import Evidence, Finding, Location
from ..model import (
    DecodeDetail,
    ErrorDetail,
    ImagePageDetail,
    ImageTableDetail,
    LimitDetail,
    NoteKind,
    ParseNote,
    Report,
    SplitDetail,
    Suppression,
)
from ..packs import Packs
from ._locate import TABLE_NUMERAL, TABLE_SECTION
from .base import LintContext, Rule, register

__all__ = ["input_error_finding", "unknown_suppression_finding"]

_UNREADABLE = frozenset({NoteKind.EMPTY, NoteKind.UNDECODABLE, NoteKind.NOT_A_REPORT})


def _said(note: ParseNote) -> str:
    """What an unreadable-input note says in a message: its detail in words, else its message."""
    d = note.detail
    if isinstance(d, DecodeDetail):
        return f"{d.bad}/{d.total}"
    if isinstance(d, ErrorDetail) and d.error:
        return d.error
    return note.message


@register
class UnreadableInput(Rule):
    code = "X001"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        for note in report.notes:
            if note.kind in _UNREADABLE:
                said = _said(note)
                yield self.finding(
                    Location(path=report.source_name or context.location("input"), span=note.span),
                    Evidence(details={"kind": note.kind.value, "detail": said}),
                    variant=note.kind.value,
                    discriminator=note.kind.value,
                    detail=said,
                )


@register
class LegacyRegime(Rule):
    code = "L001"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        year = report.metadata.report_year
        pack = context.format_in_force(report)
        if year is None or pack is None or pack.tables:
            return
        yield self.finding(
            Location(path=context.location("year"), span=report.metadata.title_span),
            Evidence(details={"report_year": str(year), "regime": pack.id}),
            discriminator=str(year),
            year=year,
        )


@register
class InternalError(Rule):
    """Never finds anything itself: the engine reports a crashing rule under this code."""

    code = "X900"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        return iter(())


def _evidence(detail: SplitDetail | ImageTableDetail | ImagePageDetail) -> dict[str, str]:
    """A note's detail as evidence: every field, as text."""
    return {k: str(v) for k, v in attrs.asdict(detail).items()}


def _limit_evidence(d: LimitDetail) -> dict[str, str]:
    out: dict[str, str] = {"limit_kind": d.limit_kind}
    if d.size is not None:
        out["size"] = str(d.size)
    out["limit"] = str(d.limit)
    if d.detail:
        out["detail"] = d.detail
    return out


@register
class AmbiguousCellSplit(Rule):
    code = "X002"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        for note in report.notes:
            d = note.detail
            if note.kind is not NoteKind.AMBIGUOUS_SPLIT or not isinstance(d, SplitDetail):
                continue
            num = TABLE_NUMERAL.get(d.table, d.table)
            params = {"count": d.count, "possible": d.possible, "limit": d.limit}
            candidates = self.word("none_candidates", **params) if d.reason == "none" else d.candidates
            yield self.finding(
                Location(path=f"{num}/{d.label}", section=TABLE_SECTION.get(d.table), table=d.table or None, span=note.span),
                Evidence(quote=d.run, details=_evidence(d)),
                discriminator=f"{d.table}:{d.label}",
                numeral=num,
                label=d.label,
                run=d.run,
                why=self.word(d.reason, **params),
                why_en=self.word(f"{d.reason}_en", **params),
                candidates=candidates,
            )


@register
class ContentAsImage(Rule):
    code = "X003"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        for note in report.notes:
            d = note.detail
            if note.kind is NoteKind.IMAGE_TABLE and isinstance(d, ImageTableDetail):
                yield self.finding(
                    Location(path=d.heading or context.location("image"), section=d.section, span=note.span),
                    Evidence(quote=d.src, details=_evidence(d)),
                    variant="table",
                    discriminator=f"table:{d.src}",
                    heading=d.heading,
                    src=d.src,
                )
            elif note.kind is NoteKind.IMAGE_PAGE and isinstance(d, ImagePageDetail):
                yield self.finding(
                    Location(path=report.source_name or context.location("input"), span=note.span),
                    Evidence(details=_evidence(d)),
                    variant="page",
                    discriminator="page",
                    pages=d.pages,
                )


@register
class InputOverLimit(Rule):
    code = "X004"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        for note in report.notes:
            d = note.detail
            if note.kind not in (NoteKind.OVER_LIMIT, NoteKind.TRUNCATED) or not isinstance(d, LimitDetail):
                continue
            yield self.finding(
                Location(path=report.source_name or context.location("input"), span=note.span),
                Evidence(details=_limit_evidence(d)),
                variant=d.limit_kind,
                discriminator=d.limit_kind,
                size=d.size if d.size is not None else "?",
                limit=d.limit,
                detail=d.detail or note.message,
            )


@register
class BatchInputError(Rule):
    code = "X005"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        return iter(())


def input_error_finding(packs: Packs, path: str, error: str) -> Finding:
    spec = packs.catalogue.get("X005")
    assert spec is not None
    return BatchInputError(spec).finding(
        Location(path=path),
        Evidence(details={"error": error}),
        discriminator="input-error",
        error=error,
    )


@register
class UnknownSuppression(Rule):
    """X007: the checker applies the suppression comments (it knows every rule, plug-ins too)
    and reports an unknown code in one with :func:`unknown_suppression_finding`."""

    code = "X007"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        return iter(())


def unknown_suppression_finding(
    packs: Packs, report: Report, suppression: Suppression, code: str | None, close: str | None
) -> Finding:
    """X007 for ``code`` (None: the comment names no code) of ``suppression``; ``close``: a known
    code it may have meant."""
    spec = packs.catalogue.get("X007")
    assert spec is not None
    rule = UnknownSuppression(spec)
    where = Location(path=packs.catalogue.locations["input"], span=suppression.span)
    evidence = Evidence(details={"codes": ",".join(suppression.codes), "scope": suppression.scope})
    if code is None:
        return rule.finding(where, evidence, variant="no-code", discriminator="no-code")
    return rule.finding(
        where,
        evidence,
        discriminator=code,
        code=code,
        suggestion_zh=rule.word("suggestion_zh", code=close) if close else "",
        suggestion_en=rule.word("suggestion_en", code=close) if close else "",
    )
