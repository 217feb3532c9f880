"""The words rules and readers match, and the message fragments they print, live in rules/: the
code of checks/ and parsers/ holds no Chinese word.

What may remain in a string literal there (docs/packs.md, "What stays in the code"): punctuation,
and the single characters of the date and item grammar below. Numerals come from
opengov_lint.numerals; everything else from the packs.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "opengov_lint"
CHECKED = ("checks", "parsers")
# Characters used as syntax, not words: 年 月 日 号 度 of dates (2022年度, 3月8日, 8号), and 是
# of an item marker (一是, 二是).
ALLOWED = frozenset("年月日号度是")
_IDEOGRAPH = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _docstring_lines(tree: ast.Module) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                lines.update(range(first.lineno, (first.end_lineno or first.lineno) + 1))
    return lines


def chinese_in_literals(path: Path) -> list[tuple[int, str]]:
    """(line, literal) for each string literal of ``path`` (as written in the source, docstrings
    and comments aside) holding a CJK ideograph that is not an allowed syntax character."""
    source = path.read_text(encoding="utf-8")
    docs = _docstring_lines(ast.parse(source))
    out = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type != tokenize.STRING or tok.start[0] in docs:
            continue
        if any(ch not in ALLOWED for ch in _IDEOGRAPH.findall(tok.string)):
            out.append((tok.start[0], tok.string))
    return out


def test_no_chinese_words_in_rules_and_readers() -> None:
    found = {
        f"{p.relative_to(SRC)}:{line}": text
        for d in CHECKED
        for p in sorted((SRC / d).rglob("*.py"))
        for line, text in chinese_in_literals(p)
    }
    assert not found, "words belong in rules/ (see docs/packs.md): " + "; ".join(f"{k} {v}" for k, v in found.items())


def test_the_check_sees_a_word(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text('"""文档不算。"""\nA = "2022年度"  # 注释不算\nB = "统计期限"\nC = "\\u7edf"\n', encoding="utf-8")
    assert chinese_in_literals(sample) == [(3, '"统计期限"')]
