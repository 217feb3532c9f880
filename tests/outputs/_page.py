"""Support (no tests): what an annotated page shows, read back with the standard library's HTML
parser: the text of each finding's marks, the element holding each mark anchor, the order of the
anchors, and anything that would leave the page."""

from __future__ import annotations

from html.parser import HTMLParser

VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "col", "area", "base", "source"}


class PageReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.mark_text: dict[int, str] = {}  # finding number → text of its <mark> pieces, in order
        self.anchor_in: dict[int, tuple[str, dict[str, str]]] = {}  # finding number → (tag, attrs) holding its anchor
        self.anchor_order: list[int] = []
        self.items: list[dict[str, str]] = []  # the findings list entries (li.finding attrs)
        self.external: list[str] = []
        self.scripts = 0
        self.cells: dict[str, dict[str, str]] = {}  # data-span → attrs of the td (cells; row labels are th)
        self._in_ref = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        for k in ("src", "href", "action"):
            v = a.get(k, "")
            if v and not v.startswith(("#", "data:", "/")):
                self.external.append(v)
        if tag in ("link", "img", "iframe", "object", "embed"):
            self.external.append(tag)
        if tag == "script":
            self.scripts += 1
        if tag == "td" and "data-span" in a:
            self.cells.setdefault(a["data-span"], a)
        if tag == "li" and "finding" in a.get("class", "").split():
            self.items.append(a)
        if tag == "span" and a.get("class") == "anchor" and a.get("id", "").startswith("m-"):
            n = int(a["id"][2:])
            self.anchor_order.append(n)
            holder = next(((t, at) for t, at in reversed(self.stack) if t not in ("span",)), ("", {}))
            self.anchor_in[n] = holder
        if tag == "a" and "ref" in a.get("class", "").split():
            self._in_ref += 1
        if tag not in VOID:
            self.stack.append((tag, a))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._in_ref:
            self._in_ref -= 1
        while self.stack:
            t, _ = self.stack.pop()
            if t == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._in_ref:
            return
        for t, a in reversed(self.stack):
            if t == "mark":
                for n in a.get("data-findings", "").split():
                    self.mark_text[int(n)] = self.mark_text.get(int(n), "") + data
                break


def read_page(page: str) -> PageReader:
    r = PageReader()
    r.feed(page)
    r.close()
    return r
