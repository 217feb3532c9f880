"""Time the readers of every input kind (issue 3):  python scripts/bench_inputs.py [corpus-dir]

Speed is measured here, not asserted in the tests. Prints seconds per file for the text corpus,
the HTML pages under tests/corpus (or the given corpus directory) and the PDFs of ../shared/corpus, and for a report
flattened onto one line repeated to growing sizes (the readers are linear in the input).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from opengov_lint import lint, parse  # noqa: E402


def timed(source, **kw) -> float:
    t = time.perf_counter()
    lint(parse(source, **kw))
    return time.perf_counter() - t


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "tests" / "corpus"
    shared = ROOT.parent / "shared" / "corpus"
    for pattern in ("text/*.txt", "html/*.html", "pdf/*.pdf"):
        files = sorted(data.glob(pattern)) or sorted(shared.glob(pattern))
        if not files:
            continue
        times = [(timed(f), f.name) for f in files]
        total = sum(t for t, _ in times)
        worst = max(times)
        print(f"{pattern:14} {len(files):3} files  {total:6.2f} s  slowest {worst[1]} {worst[0]:.2f} s")
    one_line = max((data / "text" / "098.txt").read_text(encoding="utf-8").split("\n"), key=len)
    for n in (1, 10, 100):
        text = "平潭综合实验区2023年度政府信息公开工作年度报告\n" + one_line * n
        print(f"one-line x{n:<4} {len(text.encode()) / 1e6:6.2f} MB  {timed(text):6.2f} s")


if __name__ == "__main__":
    main()
