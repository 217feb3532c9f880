"""Citation rules: the regulation's exact name, and the format in force as the basis."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..findings import Evidence, Finding, Fix, Location
from ..model import Report
from ..textutil import label_key, normalize
from ._locate import all_text, span_at
from .base import LintContext, Rule, register

# Book titles, including the 〈…〉 nested inside another title (《关于施行〈…条例〉的通知》).
_BOOK_TITLE = re.compile(r"《([^《》〈〉]{2,40})》|〈([^〈〉《》]{2,40})〉")


@register
class MisnamedRegulation(Rule):
    code = "C001"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        reg = context.regulation.regulation
        exact = label_key(reg.name)
        accepted = {exact} | {label_key(x) for x in reg.accepted_short_names}
        known_wrong = {label_key(x) for x in reg.known_misnamings}
        seen: set[str] = set()
        for text, span in all_text(report):
            n = normalize(text)
            for m in _BOOK_TITLE.finditer(n):
                name = label_key(m.group(1) or m.group(2))
                if not reg.names_regulation.fullmatch(name):
                    continue  # a notice or a book that only mentions the regulation
                if reg.family_words not in name or name in accepted or self._revision_note(name, exact, reg.revision_note):
                    continue
                if name not in known_wrong and reg.national_words not in name and not name.startswith(exact):
                    continue  # a local regulation, e.g. 《某省政府信息公开条例》
                at = span_at(span, m.start(), m.end() - m.start())
                written = text[m.start() : m.end()]
                yield self.finding(
                    Location(path=context.location("citation"), span=at),
                    Evidence(
                        quote=text[m.start() : m.end()],
                        details={"written": text[m.start() : m.end()], "expected": f"《{reg.name}》"},
                    ),
                    discriminator=f"{name}:{len([1 for s in seen if s == name])}" if name in seen else name,
                    written=written,
                    expected=reg.name,
                    # the exact name, in the brackets written (《…》, or 〈…〉 inside another title)
                    fix=Fix(span=at, old=written, new=written[0] + reg.name + written[-1]) if at is not None else None,
                )
                seen.add(name)

    @staticmethod
    def _revision_note(name: str, exact: str, note: re.Pattern[str]) -> bool:
        """《中华人民共和国政府信息公开条例（2019年修订）》: the exact name with its revision year."""
        return name.startswith(exact) and note.fullmatch(name[len(exact) :]) is not None


@register
class SupersededFormatCited(Rule):
    code = "C002"

    def check(self, report: Report, context: LintContext) -> Iterator[Finding]:
        year = report.metadata.report_year
        pack = context.format_in_force(report)
        if year is None or pack is None or not pack.tables:
            return
        texts = list(all_text(report))
        joined = normalize("\n".join(t for t, _ in texts))
        if pack.notice_number and normalize(pack.notice_number) in joined:
            return  # the format in force is cited: an older notice beside it is history
        for old in context.packs.formats.values():
            if old.id == pack.id or not old.tables or old.last_report_year is None or old.last_report_year >= year:
                continue
            for needle in (old.notice_number, old.format_title):
                if not needle:
                    continue
                nk = normalize(needle)
                for text, span in texts:
                    n = normalize(text)
                    pos = n.find(nk)
                    if pos < 0:
                        continue
                    yield self.finding(
                        Location(path=context.location("citation"), span=span_at(span, pos, len(nk))),
                        Evidence(
                            quote=text[max(0, pos - 20) : pos + len(nk) + 10],
                            details={"cited": needle, "in_force": pack.notice_number},
                        ),
                        discriminator=nk,
                        cited=needle,
                        year=year,
                        in_force=pack.notice_number,
                    )
                    return
