"""Text normalisation shared by parsers and rules.

Reports mix full-width and ASCII punctuation and digits, and copies insert spaces inside labels.
``normalize`` maps character by character (NFKC where that yields one character), so that an
offset in the normalised text is the same offset in the original: findings can point back.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable

__all__ = ["normalize", "label_key", "similarity", "spaced_regex", "alternation"]

# Characters NFKC leaves alone or maps to several characters, mapped by hand.
_EXTRA = {
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
    "﹝": "〔",
    "﹞": "〕",
    "【": "[",
    "】": "]",
    "—": "-",
    "–": "-",
    "―": "-",
    "－": "-",
    "\u3000": " ",
    "\xa0": " ",
    "\u2002": " ",
    "\u2003": " ",
    "\u2009": " ",
    "\u200b": " ",
    "\ufeff": " ",
}


@functools.lru_cache(maxsize=65536)
def _norm_char(ch: str) -> str:
    if ch in _EXTRA:
        return _EXTRA[ch]
    if ch.isascii():
        return ch
    n = unicodedata.normalize("NFKC", ch)
    return n if len(n) == 1 else ch


def normalize(text: str) -> str:
    """Same length as ``text``; full-width forms folded to ASCII, quotes unified."""
    if text.isascii():
        return text
    if len(text) <= 4096:
        return _normalize_cached(text)  # rules normalise the same paragraphs again and again
    return "".join(map(_norm_char, text))


@functools.lru_cache(maxsize=8192)  # bounded: memory stays flat over a batch
def _normalize_cached(text: str) -> str:
    return "".join(map(_norm_char, text))


_LABEL_DROP = re.compile(r"[\s\"'、，,。.．:：;；·•]+")


@functools.lru_cache(maxsize=8192)
def label_key(text: str) -> str:
    """Key for comparing labels: normalised, without spaces, quotes or list punctuation."""
    return _LABEL_DROP.sub("", normalize(text))


@functools.lru_cache(maxsize=8192)  # pure; the same labels are compared in every report
def similarity(a: str, b: str) -> float:
    """Similarity of two label keys in [0, 1] (difflib ratio), fast paths for equality."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def spaced_regex(labels: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern for ``labels`` (normalised, longest first) that also matches them with spaces
    between their characters, as PDF and DOCX extraction writes them (指 导 思 想)."""
    keys = sorted({re.sub(r"\s+", "", normalize(x)) for x in labels if x.strip()}, key=len, reverse=True)
    if not keys:
        return None
    return re.compile("|".join(r"\s*".join(re.escape(ch) for ch in k) for k in keys))


def alternation(words: Iterable[str]) -> str:
    """``words`` as the alternatives of a pattern group, longest first (万元 before 元)."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))
