"""Prose rules: the narrative against the tables, its own arithmetic, copy-paste slips.

The sentence patterns are data (``rules/prose.toml``); the administrative divisions are data
(``rules/divisions.tsv``). This module decides only what is inconsistent. Every rule here is a
warning: the prose is read by patterns, never understood, so a finding must be checked by hand
against the quoted sentence (and is, by construction, explainable from it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import attrs

from ..findings import Evidence, Finding, Location, Term
from ..model import CellKind, Paragraph, Report, Section, Table
from ..numerals import Folded
from ..packs import ProsePack, Quantity
from ..packs.prose import ProseArithmetic as ArithmeticWords
from ._locate import (
    TABLE_NUMERAL,
    arithmetic_value,
    cell_path,
    column_label,
    format_number,
    misaligned,
    row_label,
    short,
    span_at,
    table_spec,
)
from ._sentences import Mention, Sentence, mentions, paragraph_text, prose_paragraphs, quote, sentences
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
                    quote=quote(m.sentence.head(120), 120),
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


@register
class ConcludedButCarried(Rule):
    code = "P006"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        table = report.table("table3")
        if table is None or table.layout == "unknown":
            return
        whole, rows = misaligned(report, "table3")
        if whole or "carried_forward" in rows:
            return  # the cell may hold another column's value
        value, terms = _row_value(report, table, "carried_forward", "total", context, self.word("blank"))
        if value is None or value <= 0 or not terms:
            return
        words = context.packs.prose.concluded
        count_re = _count_re(context)
        for s in sentences(report, context.packs.prose):
            if words.requires not in s.text or any(w in s.text for w in words.avoid_sentence):
                continue
            for rx in words.claims:
                m = rx.search(s.text)
                if m is None:
                    continue
                counts = list(count_re.finditer(s.text, 0, m.start()))
                if counts:
                    # 答复11件，均在法定期限内答复: 均 speaks of the count just before, when it counts answers
                    c = counts[-1]
                    clause_start = max(s.text.rfind(ch, 0, c.start()) for ch in ",;:") + 1
                    if any(w in s.text[clause_start : c.end()] for w in words.results_words):
                        continue
                claim = s.raw[slice(*_source_slice(s, m.start(), m.end()))]
                cell = terms[0]
                yield self.finding(
                    Location(
                        path=context.location("body"),
                        section=s.section.number if s.section else None,
                        table="table3",
                        row="carried_forward",
                        column="total",
                        span=s.span(m.start(), m.end() - m.start()),
                    ),
                    Evidence(
                        quote=quote(s.raw, 120),
                        reported=0,
                        computed=value,
                        cells=tuple(terms),
                        details={"claim": claim, "carried_forward": format_number(value), "cell": cell.label},
                    ),
                    discriminator=f"{claim}:{format_number(value)}",
                    claim=claim,
                    value=format_number(value),
                    cell=cell.label,
                    sentence=quote(s.raw, 60),
                )
                break


def _source_slice(s: Sentence, start: int, end: int) -> tuple[int, int]:
    """The slice of ``s.raw`` that characters ``start``..``end`` of ``s.text`` were read from."""
    base, _ = s.source(0)
    at, n = s.source(start, end - start)
    return at - base, at - base + n


# ----------------------------------------------------------------------------- P002


def _share_ok(count: int, base: int, pct_text: str) -> bool:
    decimals = len(pct_text.split(".")[1]) if "." in pct_text else 0
    return abs(count * 100.0 / base - float(pct_text)) <= 10.0 ** (-decimals) + 1e-9


@attrs.frozen
class _Item:
    """A count of a list of parts: its value, where it stands in the folded paragraph, and the
    text of its item (from the end of the previous one)."""

    value: int
    start: int  # of its digits
    end: int  # after its measure word
    text: str  # from the end of the previous item (or the list's opening) to ``end``
    lead: int  # where ``text`` starts


@attrs.frozen
class _PartList:
    """A stated total and the parts listed after it (共…N条，其中…a条、…b条), as one reading: where
    the list ends is not always clear (at its catch-all item, at the first ;, at the 。), so a
    total has up to three readings, and a sum is wrong only when no reading holds."""

    total: int
    unit: str
    start: int  # of the total, in the folded paragraph
    end: int  # of the list
    items: tuple[_Item, ...]
    closed: bool  # ends with a catch-all item: the parts must add up to the total
    summable: bool  # neither open, nor approximate, nor changes, nor overlapping, nor too long
    parallel: bool = False  # every item's label ends alike (…栏109条，…栏45条): one kind of part

    def verdict(self) -> str:
        """ "ok" (the parts hold), "bad" (they cannot), or "unknown" (this reading proves nothing)."""
        if not self.summable or len(self.items) < 2:
            return "unknown"
        parts = sum(i.value for i in self.items)
        if parts == self.total:
            return "ok"
        if not self.closed and (parts < self.total or not self.parallel):
            # a list without a catch-all may leave parts out, and its sum is over the total only
            # when its items are one kind of part (else the sentence may have moved on)
            return "unknown"
        return "bad"


_ITEM_PUNCT = " ,、;:，；："  # punctuation around an item's label


def _count_re(context: LintContext) -> re.Pattern[str]:
    units = context.packs.inputs.units
    alts = "|".join(re.escape(u) for u in units.count + units.people)
    # a count: digits (at most 12: longer runs are no counts) and a measure word, not a percentage
    return re.compile(rf"(?<![\d.])(\d{{1,12}})\s*({alts})(?![\d.]*%)")


# A number that is no count of a list (a count without its measure word: 类信息 45，): digits not
# followed by a measure word, a date word, a percentage or a decimal point.
_BARE_NUMBER = re.compile(r"(?<![\d.])\d+(?![\d.]|\s*[%年月日号])")


def _lists(text: str, pack: ProsePack, count_re: re.Pattern[str]) -> Iterator[tuple[_PartList, list[_PartList]]]:
    """Every stated total of ``text`` (folded): the reading for parts larger than the total, and
    the readings for the sum."""
    a = pack.arithmetic
    seen: set[int] = set()
    for total_re in a.part_total:
        for t in total_re.finditer(text):
            if t.start("n") in seen or len(t.group("n")) > 12:
                continue
            seen.add(t.start("n"))
            if "。" in text[t.end("u") : t.end()]:
                # N条。其中…: the parts belong to the last count only when the sentence holds no other
                sentence_start = text.rfind("。", 0, t.start("n")) + 1
                if len(count_re.findall(text, sentence_start, t.end("u"))) != 1:
                    continue
            yield _read_list(text, t, a, count_re)


def _read_list(text: str, t: re.Match[str], a: ArithmeticWords, count_re: re.Pattern[str]) -> tuple[_PartList, list[_PartList]]:
    total, unit = int(t.group("n")), t.group("u")
    paren = bool(t.group("paren"))
    # A list is read within a bounded window: the work per total does not grow with the text.
    window = min(len(text), t.end() + a.max_chars)
    cut = window < len(text)
    end = window
    if paren:
        depth = 1
        for k in range(t.end(), window):
            depth += {"(": 1, ")": -1}.get(text[k], 0)
            if depth == 0:
                end, cut = k, False
                break
    else:
        stop = text.find("。", t.end(), window)
        if stop >= 0:
            end, cut = stop, False
    items: list[_Item] = []
    nested = cut  # a list running past the window is not read to its end: never summed
    depth = 0
    prev = pos = t.end()
    for c in count_re.finditer(text, t.end(), end):
        # counts inside a bracket of the list (a note, or a list of its own) are not its parts
        depth += text.count("(", pos, c.start()) - text.count(")", pos, c.start())
        pos = c.start()
        if depth > 0:
            continue
        if len(items) > a.max_items:
            nested = True  # too long to sum; its parts so far are still compared with the total
            break
        if c.group(2) != unit:
            end = c.start()  # a count of another unit ends the list (…其他类97条；办理申请1件)
            break
        if any(w in _unbracketed(text[prev : c.start()]) for w in a.stop_words):
            end = prev  # a new statement (…6条,互动交流留言收到1465条; …8件,答复12件): the list ended
            break
        items.append(_Item(int(c.group(1)), c.start(1), c.end(), _unbracketed(text[prev : c.end()]), prev))
        prev = c.end()
        after = text[c.end() : c.end() + 12].lstrip(" ,:")
        if any(after.startswith(w) for w in a.nested_intro):
            nested = True  # a list of its own parts follows (…公众号2443条,其中…): the parent ends here
            end = c.end()
            break
    if not items:
        empty = _PartList(total, unit, t.start("n"), end, (), False, False, False)
        return empty, []

    def catch_all(item: _Item) -> bool:
        label = item.text
        for phrase in a.not_catch_all:
            label = label.replace(phrase, "")
        return any(w in label for w in a.catch_all)

    def label_end(item: _Item) -> str:
        label = text[item.lead : item.start].rstrip(_ITEM_PUNCT)
        for filler in a.count_fillers:
            label = label.removesuffix(filler)
        return label[-1:]

    def reading(upto: int) -> _PartList:
        chosen = tuple(items[:upto])
        last = chosen[-1]
        closed = catch_all(last)
        stop = items[upto].lead if upto < len(items) else end
        summable = not nested and len(chosen) <= a.max_items
        tail = text[last.end : last.end + 4].lstrip(" ")
        if not closed and any(tail.startswith(w) for w in a.open_words):
            summable = False  # …6条等: open
        for i in chosen:
            around = text[max(i.start - 2, 0) : i.end + 2]
            if any(w in around for w in a.approximate) or any(w in i.text for w in a.change_words + a.overlap_words):
                summable = False
            if _BARE_NUMBER.search(i.text[: i.start - i.lead]):
                summable = False  # a number the list states without its measure word
        if _BARE_NUMBER.search(_unbracketed(text[last.end : stop])) and upto == len(items):
            summable = False
        parallel = len({label_end(i) for i in chosen}) == 1
        return _PartList(total, unit, t.start("n"), stop, chosen, closed, summable, parallel)

    # a restatement of the total first (在…90条…中，全文电子化的…共90条，…) is no part
    if items[0].value == total and len(items) > 1 and any(w in items[0].text for w in a.restatement):
        items = items[1:]
    cuts = {len(items)}
    catch = next((k for k, i in enumerate(items) if catch_all(i)), None)
    if catch is not None:
        cuts.add(catch + 1)
    running = 0
    for k, i in enumerate(items):
        running += i.value
        if running == total and k > 0:
            cuts.add(k + 1)  # the list may end where its parts reach the total (…6条,互动交流留言…)
    semi = next((k for k, i in enumerate(items) if ";" in i.text[: i.start - i.lead]), None)
    if semi is not None and semi > 0:
        cuts.add(semi)
    # a part larger than the total: within the first clause group (up to the first ;), or the
    # whole list when its items are separated by ; from the first one on
    part_cut = len(items) if semi is None or semi <= 1 else semi
    return reading(part_cut), [reading(k) for k in sorted(cuts)]


def _unbracketed(text: str) -> str:
    """``text`` without what stands in brackets (…55条(涵盖…30条)、…)."""
    out, depth = [], 0
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
        elif not depth:
            out.append(ch)
    return "".join(out)


@register
class ProseArithmetic(Rule):
    code = "P002"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        pack = context.packs.prose
        yield from self._identity(report, context, pack)
        count_re = _count_re(context)
        for section, p in prose_paragraphs(report):
            folded = paragraph_text(p, pack)
            lists = list(_lists(folded.text, pack, count_re))
            reported: set[int] = set()  # shares already reported, by offset
            for f, at in self._shares(p, section, folded, context, pack, count_re):
                reported.add(at)
                yield f
            for parts, readings in lists:
                yield from self._list(p, section, folded, parts, readings, context, reported)

    def _identity(self, report: Report, context: LintContext, pack: ProsePack) -> Iterator[Finding]:
        left_keys = pack.arithmetic.identity_left
        right_keys = pack.arithmetic.identity_right
        keys = left_keys + right_keys
        by_para: dict[int, list[Mention]] = {}
        for m in mentions(report, pack):
            by_para.setdefault(id(m.sentence.paragraph), []).append(m)
        for ms in by_para.values():
            values: dict[str, list[Mention]] = {}
            for m in ms:
                values.setdefault(m.quantity.key, []).append(m)
            if not all(k in values for k in keys):
                continue
            # One reading per quantity: a quantity stated twice with different numbers (答复151件 …
            # 办结146件) is too unsure to report, so no search over the readings is needed (the
            # work stays linear in the numbers of the paragraph, whatever they are).
            if any(len({m.value for m in values[k]}) > 1 for k in keys):
                continue
            c = [values[k][0] for k in keys]
            left = tuple(_prose_term(m, context) for m in c[: len(left_keys)])
            right = tuple(_prose_term(m, context) for m in c[len(left_keys) :])
            lsum, rsum = sum(m.value for m in c[: len(left_keys)]), sum(m.value for m in c[len(left_keys) :])
            if lsum == rsum:
                continue
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

    def _shares(
        self,
        p: Paragraph,
        section: Section | None,
        folded: Folded,
        context: LintContext,
        pack: ProsePack,
        count_re: re.Pattern[str],
    ) -> Iterator[tuple[Finding, int]]:
        n = folded.text
        a = pack.arithmetic
        shares = [m for m in a.share.finditer(n) if len(m.group("n")) <= 12]
        if len(shares) < 2:
            return
        by_unit: dict[str, list[re.Match[str]]] = {}
        for m in shares:
            by_unit.setdefault(m.group("u"), []).append(m)
        for unit, group in by_unit.items():
            if len(group) < 2:
                continue
            share_counts = {m.start("n") for m in group}
            candidates: dict[int, str] = {}
            for c in count_re.finditer(n, 0, group[-1].start()):
                if c.group(2) == unit and c.start(1) not in share_counts and int(c.group(1)) > 0:
                    candidates.setdefault(int(c.group(1)), "stated")
            parts_sum = sum(int(m.group("n")) for m in group)
            if parts_sum > 0:
                candidates.setdefault(parts_sum, "sum")
            if len(candidates) > a.max_counts or len(group) > a.max_counts:
                continue  # too many to search: nothing is proved, nothing is reported
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
                if _share_ok(int(m.group("n")), base, m.group("p")):
                    continue
                details = {"base_source": candidates[base], "shares_consistent_with_base": f"{best[0]}/{len(group)}"}
                yield self._share_finding(p, section, folded, m, base, details, context), m.start()

    def _share_finding(
        self,
        p: Paragraph,
        section: Section | None,
        folded: Folded,
        m: re.Match[str],
        base: int,
        details: dict[str, str],
        context: LintContext,
    ) -> Finding:
        cnt, pct = int(m.group("n")), m.group("p")
        actual = cnt * 100.0 / base
        at, length = folded.span(m.start(), m.end() - m.start())
        q0, q1 = folded.at(max(0, m.start() - 30)), folded.at(m.end() + 10)
        return self.finding(
            Location(
                path=context.location("body"), section=section.number if section else None, span=span_at(p.span, at, length)
            ),
            Evidence(
                quote=p.text[q0:q1],
                expression=f"{cnt} ÷ {base} × 100%",
                computed=round(actual, 2),
                reported=float(pct),
                difference=round(float(pct) - actual, 2),
                details={"count": str(cnt), "base": str(base), "stated": pct + "%", **details},
            ),
            variant="share",
            discriminator=f"share:{cnt}:{pct}:{base}",
            count=cnt,
            unit=m.group("u"),
            base=base,
            stated=pct,
            actual=f"{actual:.2f}",
        )

    def _list(
        self,
        p: Paragraph,
        section: Section | None,
        folded: Folded,
        lst: _PartList,
        readings: list[_PartList],
        context: LintContext,
        reported: set[int],
    ) -> Iterator[Finding]:
        n = folded.text
        quote_text = quote(p.text[folded.at(lst.start) : folded.at(lst.end) + 1], 160)
        where = section.number if section else None
        big = next((i for i in lst.items if i.value > lst.total), None)
        if big is not None:
            at, length = folded.span(big.start, len(str(big.value)))
            yield self.finding(
                Location(path=context.location("body"), section=where, span=span_at(p.span, at, length)),
                Evidence(
                    quote=quote_text,
                    computed=lst.total,
                    reported=big.value,
                    details={"total": f"{lst.total}{lst.unit}", "part": f"{big.value}{lst.unit}"},
                ),
                variant="part",
                discriminator=f"part:{lst.total}:{big.value}:{p.text[folded.at(lst.start) : folded.at(lst.end)]}",
                part=big.value,
                total=lst.total,
                unit=lst.unit,
            )
            return
        share_re = context.packs.prose.arithmetic.share
        for i in (readings[-1] if readings else lst).items:
            m = share_re.match(n, i.start)
            if m is None or m.start() in reported or lst.total <= 0:
                continue
            if not _share_ok(i.value, lst.total, m.group("p")):
                reported.add(m.start())
                yield self._share_finding(p, section, folded, m, lst.total, {"base_source": "stated total"}, context)
        verdicts = [r.verdict() for r in readings]
        if "ok" in verdicts or "bad" not in verdicts:
            return  # some reading holds, or none can be judged: nothing is proved
        lst = readings[verdicts.index("bad")]
        quote_text = quote(p.text[folded.at(lst.start) : folded.at(lst.end) + 1], 160)
        parts = sum(i.value for i in lst.items)
        at, length = folded.span(lst.start, len(str(lst.total)))
        terms = tuple(
            Term(
                label=quote(p.text[folded.at(i.lead) : folded.at(i.start)].strip(_ITEM_PUNCT), 24),
                value=i.value,
                raw=p.text[folded.at(i.start) : folded.at(i.end)],
                location=context.location("body"),
                span=span_at(p.span, *folded.span(i.start, len(str(i.value)))),
            )
            for i in lst.items
        )
        expression = " + ".join(str(i.value) for i in lst.items)
        yield self.finding(
            Location(path=context.location("body"), section=where, span=span_at(p.span, at, length)),
            Evidence(
                quote=quote_text,
                expression=f"{expression} = {parts}",
                left=terms,
                computed=parts,
                reported=lst.total,
                difference=lst.total - parts,
                details={
                    "total": f"{lst.total}{lst.unit}",
                    "parts": expression,
                    "parts_sum": f"{parts}{lst.unit}",
                    "list": "closed by a catch-all item" if lst.closed else "no catch-all; parts exceed the total",
                },
            ),
            variant="sum",
            discriminator=f"sum:{lst.total}:{expression}",
            parts=expression,
            sum=parts,
            total=lst.total,
            unit=lst.unit,
        )


def _prose_term(m: Mention, context: LintContext) -> Term:
    """A number stated in the prose, as a term of an arithmetic finding."""
    return Term(
        label=m.quantity.label_zh,
        value=m.value,
        raw=str(m.value),
        location=context.location("body"),
        span=m.sentence.span(m.offset, m.length),
    )
