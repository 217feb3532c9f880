"""Prose rules on sentences with many numbers (issue 11; issue 13 found 60 numbers in one sentence
taking 20 s and 1.1 GB in P002). Not part of the test suite.

    python benchmarks/prose_numbers.py                 # 60, 80, 1000 and 5000 numbers
    python benchmarks/prose_numbers.py --sizes 60,600

For each shape of sentence (the four quantities of the P002 identity stated again and again; a
list of parts after a stated total; counts with shares) it times parse and the P-rules on the
clean example report with that sentence added, and prints each time as a ratio to the time for
the smallest size: work that grows with the numbers (not with their combinations) gives ratios
near the ratio of the sizes.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from opengov_lint import lint, parse  # noqa: E402

BASE = (ROOT / "tests" / "data" / "clean-2023.txt").read_text(encoding="utf-8")
ANCHOR = "全年受理网络问政182件。"
_IDENTITY = ("新收到政府信息公开申请{}件", "上年结转申请{}件", "答复申请{}件", "结转下年度继续办理申请{}件")


def sentence(n: int, shape: str) -> str:
    if shape == "identity":
        return "，".join(_IDENTITY[i % 4].format(i + 1) for i in range(n)) + "。"
    if shape == "list":
        return f"全年公开信息{3 * n}条，其中" + "，".join(f"第{i}类信息{i + 1}条" for i in range(n)) + "，其他信息1条。"
    return "，".join(f"公开信息{i + 1}条，占比{i % 100}.{i % 10}%" for i in range(n)) + "。"


def measure(n: int, shape: str) -> float:
    report = parse(BASE.replace(ANCHOR, ANCHOR + sentence(n, shape)))
    t = time.perf_counter()
    lint(report, select=["P"])
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="60,80,1000,5000")
    sizes = [int(x) for x in ap.parse_args().sizes.split(",")]
    measure(sizes[0], "identity")  # warm up: the packs load once
    for shape in ("identity", "list", "shares"):
        base = max(measure(sizes[0], shape), 1e-4)
        cells = [f"{n}: x{measure(n, shape) / base:.1f}" for n in sizes]
        print(f"{shape:9} numbers/size ratio {sizes[-1] / sizes[0]:.0f}  time ratios  " + "  ".join(cells))
    print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB")


if __name__ == "__main__":
    main()
