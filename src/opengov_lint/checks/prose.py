"""Prose rules: the narrative against the tables, its own arithmetic, copy-paste slips.

The sentence patterns are data (``rules/prose.toml``); the administrative divisions are data
(``rules/divisions.tsv``). This module decides only what is inconsistent. Every rule here is a
warning: the prose is read by patterns, never understood, so a finding must be checked by hand
against the quoted sentence (and is, by construction, explainable from it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import product

from ..findings import Evidence, Finding, Location, Term
from ..model import CellKind, Report, SourceSpan, Table
from ..packs import ProsePack, Quantity
from ..textutil import normalize
from ._locate import (
    TABLE_NUMERAL,
    arithmetic_value,
    cell_path,
    column_label,
    format_number,
    row_label,
    short,
    table_spec,
)
from ._sentences import Mention, mentions, prose_paragraphs, quote
from .base import LintContext, Rule, register

# ----------------------------------------------------------------------------- table values


def _row_value(
    report: Report, table: Table, row_key: str, column: str, context: LintContext, blank: str
) -> tuple[int | float | None, list[Term]]:
    """The value of a table cell a quantity refers to, with the cells it was read from.

    A blank/无 total is the sum of the row's other cells (when at least one is a number); a row
    the table does not have but the layout knows as a group is the sum of its data rows; ``blank``
    stands for a blank cell in the terms' text."""
    spec = table_spec(table, context.format_in_force(report), context.packs)
    row = table.row(row_key)
    if row is not None:
        cell = row.cell(column)
        if cell is not None and cell.kind is CellKind.NUMBER:
            col = "" if column == "total" else f"[{column_label(spec, column, row.block)}]"
            return cell.value, [
                Term(
                    label=f"{short(row_label(spec, row), 10)}{col}={format_number(cell.value)}",
                    value=cell.value,
                    raw=cell.raw,
                    location=cell_path(table, spec, row, column),
                    span=cell.span,
                )
            ]
        if column != "total" or not row.cells:
            return None, []
        others = [c for c in row.cells if c.column != "total"]
        vals = [arithmetic_value(c) for c in others]
        if not others or any(v is None for v in vals):
            return None, []
        total = sum(vals)  # type: ignore[arg-type]
        label = f"{short(row_label(spec, row), 10)}={format_number(total)}*"
        return total, [
            Term(
                label=label,
                value=total,
                raw=" + ".join(c.raw or blank for c in others),
                location=cell_path(table, spec, row, column),
                span=row.span,
            )
        ]
    if spec is None or spec.row(row_key) is None:
        return None, []
    under = spec.data_rows_under(row_key)
    if not under:
        return None, []
    total_v: int | float = 0
    terms: list[Term] = []
    for r in under:
        v, t = _row_value(report, table, r.key, column, context, blank)
        if v is None:
            return None, []
        total_v += v
        terms.extend(t)
    return total_v, terms


def _reference(report: Report, ref: str, context: LintContext, blank: str) -> tuple[int | float | None, list[Term]]:
    table_key, row_key, column = ref.split(":")
    table = report.table(table_key)
    if table is None or table.layout == "unknown":
        return None, []
    return _row_value(report, table, row_key, column, context, blank)


def _alternatives(
    report: Report, q: Quantity, context: LintContext, blank: str
) -> list[tuple[int | float, list[Term], tuple[str, ...]]]:
    out = []
    for alt in q.accept:
        total: int | float = 0
        terms: list[Term] = []
        for ref in alt:
            v, t = _reference(report, ref, context, blank)
            if v is None:
                break
            total += v
            terms.extend(t)
        else:
            out.append((total, terms, alt))
    return out


@register
class ProseTableMismatch(Rule):
    code = "P001"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        if not report.tables:
            return
        pack = context.packs.prose
        for m in mentions(report, pack):
            alts = _alternatives(report, m.quantity, context, self.word("blank"))
            if not alts or any(v == m.value for v, _, _ in alts):
                continue
            value, terms, refs = alts[0]
            where = (
                "、".join(t.label for t in terms)
                if len(terms) <= 3
                else self.word("cells_sum", count=len(terms)) + " + ".join(format_number(t.value) for t in terms)
            ) or refs[0]
            if any(t.label.endswith("*") for t in terms):
                where += self.word("total_blank")
            part_equal = [t.location for t in terms if t.value == m.value and len(terms) > 1]
            table_key = refs[0].split(":")[0]
            yield self.finding(
                Location(
                    path=context.location("body"),
                    section=m.sentence.section.number if m.sentence.section else None,
                    table=table_key,
                    row=refs[0].split(":")[1],
                    span=m.sentence.span(m.offset, m.length),
                ),
                Evidence(
                    quote=quote(m.sentence.raw, 120),
                    reported=m.value,
                    computed=value,
                    difference=m.value - value,
                    cells=tuple(terms),
                    details={
                        "quantity": m.quantity.key,
                        "stated": str(m.value),
                        "table": str(value),
                        "cells": where,
                        "also_accepted": "; ".join(f"{'+'.join(a)}={format_number(v)}" for v, _, a in alts[1:]),
                        "clause": m.clause.strip(),
                        "stated_equals_part": "、".join(part_equal),
                    },
                ),
                discriminator=f"{m.quantity.key}:{m.value}:{m.sentence.raw}",
                quantity_zh=m.quantity.label_zh,
                quantity_en=m.quantity.label_en,
                stated=m.value,
                table=TABLE_NUMERAL.get(table_key, table_key),
                value=format_number(value),
                cells=where,
                sentence=quote(m.clause.strip(), 40),
            )


# ----------------------------------------------------------------------------- P002


def _share_ok(count: int, base: int, pct_text: str) -> bool:
    decimals = len(pct_text.split(".")[1]) if "." in pct_text else 0
    return abs(count * 100.0 / base - float(pct_text)) <= 10.0 ** (-decimals) + 1e-9


@register
class ProseArithmetic(Rule):
    code = "P002"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        pack = context.packs.prose
        yield from self._identity(report, context, pack)
        yield from self._shares(report, context, pack)
        yield from self._parts(report, context, pack)

    def _identity(self, report: Report, context: LintContext, pack: ProsePack) -> Iterator[Finding]:
        left_keys = pack.arithmetic.identity_left
        right_keys = pack.arithmetic.identity_right
        by_para: dict[int, list[Mention]] = {}
        for m in mentions(report, pack):
            by_para.setdefault(id(m.sentence.paragraph), []).append(m)
        for ms in by_para.values():
            values: dict[str, list[Mention]] = {}
            for m in ms:
                values.setdefault(m.quantity.key, []).append(m)
            if not all(k in values for k in left_keys + right_keys):
                continue
            keys = left_keys + right_keys
            combos = list(product(*(values[k] for k in keys)))
            if any(
                sum(c[i].value for i in range(len(left_keys))) == sum(c[i].value for i in range(len(left_keys), len(keys)))
                for c in combos
            ):
                continue
            if len(combos) > 1:
                continue  # two readings of one quantity and none balances: too unsure to report
            c = combos[0]
            left = tuple(_prose_term(m, context) for m in c[: len(left_keys)])
            right = tuple(_prose_term(m, context) for m in c[len(left_keys) :])
            lsum, rsum = sum(t.value for t in left), sum(t.value for t in right)  # type: ignore[misc]
            first = c[0]
            yield self.finding(
                Location(
                    path=context.location("body"),
                    section=first.sentence.section.number if first.sentence.section else None,
                    span=first.sentence.span(first.offset, first.length),
                ),
                Evidence(
                    quote=quote(first.sentence.paragraph.text, 160),
                    expression=" + ".join(t.label for t in left) + " = " + " + ".join(t.label for t in right),
                    left=left,
                    right=right,
                    computed=lsum,
                    reported=rsum,
                    difference=rsum - lsum,
                ),
                variant="identity",
                discriminator="identity:" + ":".join(str(m.value) for m in c),
                left=" + ".join(str(t.value) for t in left),
                lsum=lsum,
                right=" + ".join(str(t.value) for t in right),
                rsum=rsum,
            )

    def _shares(self, report: Report, context: LintContext, pack: ProsePack) -> Iterator[Finding]:
        share_re = pack.arithmetic.share
        count_re = re.compile(
            r"(\d+)\s*("
            + "|".join(re.escape(u) for u in context.packs.inputs.units.count + context.packs.inputs.units.people)
            + ")"
        )
        for section, p in prose_paragraphs(report):
            n = normalize(p.text)
            shares = list(share_re.finditer(n))
            if len(shares) < 2:
                continue
            by_unit: dict[str, list[re.Match[str]]] = {}
            for m in shares:
                by_unit.setdefault(m.group("u"), []).append(m)
            for unit, group in by_unit.items():
                if len(group) < 2:
                    continue
                share_counts = {m.start("n") for m in group}
                candidates: dict[int, str] = {}
                for c in count_re.finditer(n[: group[-1].start()]):
                    if c.group(2) == unit and c.start(1) not in share_counts and int(c.group(1)) > 0:
                        candidates.setdefault(int(c.group(1)), "stated")
                parts_sum = sum(int(m.group("n")) for m in group)
                if parts_sum > 0:
                    candidates.setdefault(parts_sum, "sum")
                best: tuple[int, int] | None = None  # (explained, base)
                for base in candidates:
                    if base < max(int(m.group("n")) for m in group):
                        continue
                    explained = sum(_share_ok(int(m.group("n")), base, m.group("p")) for m in group)
                    if best is None or explained > best[0]:
                        best = (explained, base)
                if best is None or best[0] < 2 or best[0] * 2 <= len(group) or best[0] == len(group):
                    continue
                base = best[1]
                for m in group:
                    cnt, pct = int(m.group("n")), m.group("p")
                    if _share_ok(cnt, base, pct):
                        continue
                    actual = cnt * 100.0 / base
                    span = p.span and SourceSpan(
                        line=p.span.line,
                        column=p.span.column + m.start(),
                        end_line=p.span.line,
                        end_column=p.span.column + m.end() - 1,
                    )
                    yield self.finding(
                        Location(path=context.location("body"), section=section.number if section else None, span=span),
                        Evidence(
                            quote=p.text[max(0, m.start() - 30) : m.end() + 10],
                            expression=f"{cnt} ÷ {base} × 100%",
                            computed=round(actual, 2),
                            reported=float(pct),
                            difference=round(float(pct) - actual, 2),
                            details={
                                "count": str(cnt),
                                "base": str(base),
                                "base_source": candidates[base],
                                "stated": pct + "%",
                                "shares_consistent_with_base": f"{best[0]}/{len(group)}",
                            },
                        ),
                        variant="share",
                        discriminator=f"share:{cnt}:{pct}:{base}",
                        count=cnt,
                        unit=unit,
                        base=base,
                        stated=pct,
                        actual=f"{actual:.2f}",
                    )

    def _parts(self, report: Report, context: LintContext, pack: ProsePack) -> Iterator[Finding]:
        total_re = pack.arithmetic.part_total
        count_re = re.compile(
            r"(\d+)\s*("
            + "|".join(re.escape(u) for u in context.packs.inputs.units.count + context.packs.inputs.units.people)
            + r")(?![\d.]*%)"
        )
        for section, p in prose_paragraphs(report):
            n = normalize(p.text)
            for t in total_re.finditer(n):
                stops = ")" if t.group("paren") else ";。"
                end = next((i for i in range(t.end(), len(n)) if n[i] in stops), len(n))
                total, unit = int(t.group("n")), t.group("u")
                for c in count_re.finditer(n, t.end(), end):
                    if c.group(2) != unit or int(c.group(1)) <= total:
                        continue
                    span = p.span and SourceSpan(
                        line=p.span.line,
                        column=p.span.column + c.start(1),
                        end_line=p.span.line,
                        end_column=p.span.column + c.end(1) - 1,
                    )
                    yield self.finding(
                        Location(path=context.location("body"), section=section.number if section else None, span=span),
                        Evidence(
                            quote=quote(p.text[t.start() : end + 1], 120),
                            computed=total,
                            reported=int(c.group(1)),
                            details={"total": f"{total}{unit}", "part": f"{c.group(1)}{unit}"},
                        ),
                        variant="part",
                        discriminator=f"part:{total}:{c.group(1)}:{p.text[t.start() : end]}",
                        part=int(c.group(1)),
                        total=total,
                        unit=unit,
                    )
                    break


def _prose_term(m: Mention, context: LintContext) -> Term:
    """A number stated in the prose, as a term of an arithmetic finding."""
    return Term(
        label=m.quantity.label_zh,
        value=m.value,
        raw=str(m.value),
        location=context.location("body"),
        span=m.sentence.span(m.offset, m.length),
    )
