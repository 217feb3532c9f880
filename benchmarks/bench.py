"""Throughput benchmark for batch mode (issue 6). Not part of the test suite.

    python benchmarks/bench.py                      # sizes 1,000 and 10,000
    python benchmarks/bench.py --sizes 1000,10000,100000
    python benchmarks/bench.py --sizes 200 --quick  # a smoke run

It generates N annual reports (2021 format; half the agencies have two consecutive years, so
pairing and the cross-year rules run), writes them as text (and as HTML), and measures, each
measurement in a fresh process so that peak memory is its own:

* floor: read every file and normalise it (decode + the per-line normalisation the text parser
  starts with) and nothing else;
* parse+lint with one process, and with ``--jobs 2`` (the batch pipeline of ``opengov-lint check
  DIR``: spool, pairing and cross-year rules included, output excluded);
* a rerun over the unchanged directory with a warm cache;
* lint alone of already-parsed models;
* HTML parse+lint, when the installed opengov-lint reads HTML.

It prints a table with the targets of issue 6 and whether each is met, and writes the results as
JSON (``--out``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

# ---------------------------------------------------------------- generating reports

_PLACES = [
    "沭阳县",
    "泗阳县",
    "宿豫区",
    "宿城区",
    "泗洪县",
    "灌南县",
    "涟水县",
    "盱眙县",
    "金湖县",
    "洪泽区",
    "淮阴区",
    "清江浦区",
]
_UNITS = [
    "发展和改革局",
    "财政局",
    "教育局",
    "民政局",
    "司法局",
    "人力资源和社会保障局",
    "自然资源局",
    "生态环境局",
    "住房和城乡建设局",
    "交通运输局",
    "水利局",
    "农业农村局",
    "商务局",
    "文化广电和旅游局",
    "卫生健康委员会",
    "应急管理局",
    "审计局",
    "市场监督管理局",
    "统计局",
    "医疗保障局",
]
_WORK = [
    "严格落实政府信息公开保密审查制度，坚持先审查、后公开",
    "围绕重点领域持续加大公开力度，及时发布政策文件和解读材料",
    "完善政府信息公开指南和目录，规范依申请公开办理流程",
    "加强政务新媒体管理，及时回应社会关切",
    "开展政务公开培训两次，提升工作人员业务能力",
    "将政务公开工作纳入年度绩效考核，强化督促检查",
    "推进基层政务公开标准化规范化建设，更新事项标准目录",
    "优化网站栏目设置，提升信息检索和办事服务便利度",
]
_PROBLEMS = [
    "部分栏目更新不够及时，信息发布质量有待提高",
    "政策解读形式较为单一，图解和视频解读数量偏少",
    "依申请公开答复的规范性有待进一步加强",
    "工作人员业务能力与新要求相比仍有差距",
    "政民互动栏目留言回复时效有待提升",
]
_FIXES = [
    "建立栏目更新台账，明确责任科室和更新时限",
    "丰富解读形式，增加图解、短视频等解读产品",
    "规范答复文书格式，加强法律审核",
    "定期组织业务培训，开展交流学习",
    "完善留言办理机制，压缩答复时限",
]

_T3_ROWS = [
    ("granted", "三、本年度办理结果 | （一）予以公开"),
    ("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    (None, "（三）不予公开 | 1.属于国家秘密"),
    (None, "2.其他法律行政法规禁止公开"),
    (None, "3.危及“三安全一稳定”"),
    (None, "4.保护第三方合法权益"),
    (None, "5.属于三类内部事务信息"),
    (None, "6.属于四类过程性信息"),
    (None, "7.属于行政执法案卷"),
    (None, "8.属于行政查询事项"),
    ("not_held", "（四）无法提供 | 1.本机关不掌握相关政府信息"),
    (None, "2.没有现成信息需要另行制作"),
    (None, "3.补正后申请内容仍不明确"),
    (None, "（五）不予处理 | 1.信访举报投诉类申请"),
    (None, "2.重复申请"),
    (None, "3.要求提供公开出版物"),
    (None, "4.无正当理由大量反复申请"),
    (None, "5.要求行政机关确认或重新出具已获取信息"),
    (None, "（六）其他处理 | 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    (None, "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    (None, "3.其他"),
]


def _row(label: str, person: int, firm: int) -> list[str]:
    return [label, str(person), str(firm), "0", "0", "0", "0", str(person + firm)]


def report_tables(
    i: int, year: int, rng: random.Random, carried: int, stock_before: int | None
) -> tuple[dict, list[tuple[str, list[list[str]]]]]:
    """Consistent numbers for one report; returns (facts, tables as rows of cells)."""
    new_p, new_f = rng.randint(0, 60), rng.randint(0, 5)
    forward = min(rng.randint(0, 3), new_p + carried)
    person = {"granted": 0, "partial": 0, "not_held": 0}
    for _ in range(new_p + carried - forward):
        person[rng.choice(["granted", "granted", "partial", "not_held"])] += 1
    firm = {"granted": new_f, "partial": 0, "not_held": 0}
    issued, repealed = rng.randint(0, 10), rng.randint(0, 2)
    stock = (stock_before if stock_before is not None else rng.randint(10, 80)) + issued - repealed
    t2 = [
        ["第二十条第（一）项"],
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", "0", "0", "0"],
        ["行政规范性文件", str(issued), str(repealed), str(stock)],
        ["第二十条第（五）项"],
        ["信息内容", "本年处理决定数量"],
        ["行政许可", str(rng.randint(0, 3000))],
        ["第二十条第（六）项"],
        ["信息内容", "本年处理决定数量"],
        ["行政处罚", str(rng.randint(0, 500))],
        ["行政强制", str(rng.randint(0, 50))],
        ["第二十条第（八）项"],
        ["信息内容", "本年收费金额（单位：万元）"],
        ["行政事业性收费", f"{rng.randint(0, 900)}.{rng.randint(0, 99):02d}"],
    ]
    t3 = [
        ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"],
        ["自然人", "法人或其他组织", "总计"],
        ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
        _row("一、本年新收政府信息公开申请数量", new_p, new_f),
        _row("二、上年结转政府信息公开申请数量", carried, 0),
    ]
    for key, label in _T3_ROWS:
        t3.append(_row(label, person.get(key, 0) if key else 0, firm.get(key, 0) if key else 0))
    t3.append(_row("（七）总计", sum(person.values()), sum(firm.values())))
    t3.append(_row("四、结转下年度继续办理", forward, 0))
    t4 = [
        ["行政复议", "行政诉讼"],
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"],
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"],
    ]
    rv = [rng.randint(0, 2), 0, 0, rng.randint(0, 1)]
    t4.append([str(v) for v in rv] + [str(sum(rv))] + ["0"] * 10)
    facts = {"new": new_p + new_f, "forward": forward, "stock": stock}
    return facts, [
        ("二、主动公开政府信息情况", t2),
        ("三、收到和处理政府信息公开申请情况", t3),
        ("四、政府信息公开行政复议、行政诉讼情况", t4),
    ]


def make_report(
    i: int, agency: str, year: int, rng: random.Random, carried: int, stock_before: int | None = None
) -> tuple[dict, dict]:
    facts, tables = report_tables(i, year, rng, carried, stock_before)
    work = rng.sample(_WORK, 5)
    probs = rng.sample(_PROBLEMS, 3)
    fixes = rng.sample(_FIXES, 3)
    doc = {
        "title": f"{agency}{year}年政府信息公开工作年度报告",
        "meta": [("发布机构", agency), ("公开日期", f"{year + 1}-01-{rng.randint(10, 28):02d}")],
        "preamble": (
            f"根据《中华人民共和国政府信息公开条例》要求，现向社会公布{agency}{year}年度政府信息公开工作年度报告。"
            f"本报告所列数据的统计期限为{year}年1月1日至{year}年12月31日。"
        ),
        "sections": [
            (
                "一、总体情况",
                [
                    f"{year}年，{agency}"
                    + "；".join(work)
                    + f"。全年主动公开政府信息{rng.randint(50, 900)}条，受理依申请公开{facts['new']}件。"
                ],
            ),
            *[(h, t) for h, t in tables],
            (
                "五、存在的主要问题及改进情况",
                ["存在的主要问题：" + "；".join(probs) + "。", "改进情况：" + "；".join(fixes) + "。"],
            ),
            ("六、其他需要报告的事项", [f"{year}年度，本机关未收取信息处理费。年度工作考核和社会评议结果良好，无责任追究情况。"]),
        ],
        "signature": [agency, f"{year + 1}年1月{rng.randint(10, 28)}日"],
    }
    return doc, facts


def render_text(doc: dict) -> str:
    lines = [f"名称 | {doc['title']}"] + [f"{k} | {v}" for k, v in doc["meta"]] + [doc["title"], doc["preamble"]]
    for heading, body in doc["sections"]:
        lines.append(heading)
        for item in body:
            lines.append(" | ".join(item) if isinstance(item, list) else item)
    lines += doc["signature"]
    return "\n".join(lines) + "\n"


def render_html(doc: dict) -> str:
    parts = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{escape(doc['title'])}</title></head><body>"]
    parts.append(
        "<table class='meta'>"
        + "".join(f"<tr><td>{escape(k)}</td><td>{escape(v)}</td></tr>" for k, v in doc["meta"])
        + "</table>"
    )
    parts.append(f"<h1>{escape(doc['title'])}</h1><p>{escape(doc['preamble'])}</p>")
    for heading, body in doc["sections"]:
        parts.append(f"<h2>{escape(heading)}</h2>")
        if body and isinstance(body[0], list):
            parts.append(
                "<table>" + "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in body) + "</table>"
            )
        else:
            parts.extend(f"<p>{escape(p)}</p>" for p in body)
    parts.append("".join(f"<p>{escape(s)}</p>" for s in doc["signature"]))
    parts.append("</body></html>\n")
    return "".join(parts)


def generate(directory: Path, n: int, seed: int = 6) -> None:
    """n reports: agencies with a 2023 and a 2024 report (carry-over and stock consistent)."""
    rng = random.Random(seed)
    (directory / "text").mkdir(parents=True, exist_ok=True)
    (directory / "html").mkdir(parents=True, exist_ok=True)
    i = 0
    a = 0
    while i < n:
        agency = f"{_PLACES[a % len(_PLACES)]}{_UNITS[(a // len(_PLACES)) % len(_UNITS)]}" + (
            f"第{a // (len(_PLACES) * len(_UNITS))}分局" if a >= len(_PLACES) * len(_UNITS) else ""
        )
        carried, stock = rng.randint(0, 2), None
        for year in (2023, 2024):
            if i >= n:
                break
            doc, facts = make_report(i, agency, year, rng, carried, stock)
            carried, stock = facts["forward"], facts["stock"]
            sub = f"{i // 1000:03d}"
            for kind, text in (("text", render_text(doc)), ("html", render_html(doc))):
                d = directory / kind / sub
                d.mkdir(exist_ok=True)
                (d / f"{i:06d}.{'txt' if kind == 'text' else 'html'}").write_text(text, encoding="utf-8")
            i += 1
        a += 1


# ---------------------------------------------------------------- measurements (in a child process)


def _cpu() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _peak_mb() -> tuple[float, float]:
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return round(me, 1), round(kids, 1)


def _files(d: Path, ext: str) -> list[Path]:
    return sorted(d.rglob(f"*.{ext}"))


def worker(mode: str, directory: Path, extra: str) -> dict:
    from opengov_lint.batch import run_batch
    from opengov_lint.parsers import decode_bytes
    from opengov_lint.textutil import normalize

    t0, c0 = time.perf_counter(), _cpu()
    n = 0
    if mode == "floor":
        for f in _files(directory / "text", "txt"):
            text, _ = decode_bytes(f.read_bytes())
            _ = [normalize(ln) for ln in text.split("\n")]
            n += 1
    elif mode in ("text", "text-jobs2", "cached"):
        jobs = 2 if mode == "text-jobs2" else 1
        cache = Path(extra) if mode == "cached" else None
        codes: dict[str, int] = {}
        for item in run_batch([directory / "text"], jobs=jobs, cache_dir=cache, progress=False):
            n += 1
            for f in item.result.findings:
                codes[f.code] = codes.get(f.code, 0) + 1
        secs = time.perf_counter() - t0
        return {"mode": mode, "reports": n, "seconds": secs, "cpu_seconds": _cpu() - c0, "peak_mb": _peak_mb(), "codes": codes}
    elif mode == "html":
        from opengov_lint.parsers import INPUT_FORMATS

        if "html" not in INPUT_FORMATS:
            return {
                "mode": mode,
                "reports": 0,
                "seconds": 0.0,
                "peak_mb": _peak_mb(),
                "skipped": "this opengov-lint has no HTML reader (INPUT_FORMATS: " + ", ".join(INPUT_FORMATS) + ")",
            }
        for _item in run_batch([directory / "html"], jobs=1, progress=False):
            n += 1
    elif mode == "lint-only":
        from opengov_lint import lint, parse
        from opengov_lint.engine import all_rules
        from opengov_lint.packs import load_packs

        packs = load_packs()
        rules = all_rules(packs)
        reports = [parse(f, packs=packs) for f in _files(directory / "text", "txt")[:500]]
        t0, c0 = time.perf_counter(), _cpu()
        rounds = max(1, 5000 // len(reports))
        for _ in range(rounds):
            for r in reports:
                lint(r, packs=packs, rules=rules)
                n += 1
    return {"mode": mode, "reports": n, "seconds": time.perf_counter() - t0, "cpu_seconds": _cpu() - c0, "peak_mb": _peak_mb()}


def measure(mode: str, directory: Path, extra: str = "") -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--worker", mode, str(directory), extra], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


# ---------------------------------------------------------------- main


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--out", type=Path, default=None, help="write the results as JSON")
    ap.add_argument("--keep", type=Path, default=None, help="generate into this directory and keep it")
    ap.add_argument("--quick", action="store_true", help="skip the jobs-2, cache and HTML runs")
    ap.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        mode, d, extra = args.worker
        print(json.dumps(worker(mode, Path(d), extra)))
        return

    cores = os.cpu_count() or 1
    results = {"cores": cores, "python": sys.version.split()[0], "runs": []}
    print(f"opengov-lint benchmark · {cores} cores · Python {results['python']}")
    rows = []
    for n in [int(s) for s in args.sizes.split(",")]:
        base = args.keep or Path(tempfile.mkdtemp(prefix="opengov-bench-"))
        d = base / f"n{n}"
        t0 = time.perf_counter()
        if not (d / "text").is_dir():
            generate(d, n)
        gen = time.perf_counter() - t0
        run = {"n": n, "generate_seconds": round(gen, 2)}
        modes = ["floor", "text", "lint-only"] + ([] if args.quick else ["text-jobs2", "cached", "html"])
        for mode in modes:
            extra = ""
            if mode == "cached":
                extra = str(d / "cache")
                measure(mode, d, extra)  # fill the cache
            r = measure(mode, d, extra)
            run[mode] = r
            per_s = r["reports"] / r["seconds"] if r["seconds"] else 0.0
            rows.append((n, mode, r["reports"], r["seconds"], per_s, r["peak_mb"], r.get("skipped", "")))
            cpu = r.get("cpu_seconds", 0.0)
            print(
                f"  n={n:>7} {mode:<11} {r['reports']:>7} reports {r['seconds']:8.2f} s wall {cpu:8.2f} s cpu {per_s:10.0f}/s  peak RSS {r['peak_mb'][0]:.0f} MB (children {r['peak_mb'][1]:.0f} MB) {r.get('skipped', '')}",
                flush=True,
            )
        results["runs"].append(run)
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)

    print()
    print("targets (issue 6); per-core rates use CPU time (the machine may be shared), wall time beside:")

    def rate(r: dict) -> tuple[float, float]:
        cpu = r.get("cpu_seconds") or r["seconds"]
        return r["reports"] / cpu if cpu else 0.0, r["reports"] / r["seconds"] if r["seconds"] else 0.0

    for run in results["runs"]:
        n = run["n"]
        text, floor, lint_only = run["text"], run["floor"], run["lint-only"]
        rc, rw = rate(text)
        print(
            f"  n={n}: text parse+lint {rc:,.0f}/s per core CPU ({rw:,.0f}/s wall) (target ≥ 1,000): {'met' if rc >= 1000 else 'NOT met'}"
        )
        fc, _ = rate(floor)
        ratio = fc / rc if rc else float("inf")
        print(
            f"  n={n}: text parse+lint costs {ratio:,.1f}x the floor (read + normalise, {fc:,.0f}/s) (target ≤ 10x): {'met' if ratio <= 10 else 'NOT met'}"
        )
        lc, lw = rate(lint_only)
        print(
            f"  n={n}: lint of parsed models {lc:,.0f}/s CPU ({lw:,.0f}/s wall) (target ≥ 10,000): {'met' if lc >= 10000 else 'NOT met'}"
        )
        if "text-jobs2" in run:
            j2 = run["text-jobs2"]
            _, w2 = rate(j2)
            print(f"  n={n}: --jobs 2 {w2:,.0f}/s wall = {w2 / rw:.2f}x one process (wall)")
            c = run["cached"]
            print(f"  n={n}: warm-cache rerun {c['seconds']:.2f} s wall ({c['reports'] / c['seconds']:,.0f}/s)")
            h = run["html"]
            if h.get("skipped"):
                print(f"  n={n}: HTML: not measured: {h['skipped']}")
            else:
                hc, hw = rate(h)
                print(f"  n={n}: HTML parse+lint {hc:,.0f}/s per core CPU (target ≥ 300): {'met' if hc >= 300 else 'NOT met'}")
    if len(results["runs"]) >= 2:
        a, b = results["runs"][0], results["runs"][-1]
        ca = (a["text"].get("cpu_seconds") or a["text"]["seconds"]) / a["text"]["reports"]
        cb = (b["text"].get("cpu_seconds") or b["text"]["seconds"]) / b["text"]["reports"]
        change = (cb - ca) / ca
        print(
            f"  CPU cost per report n={a['n']} → n={b['n']}: {ca * 1000:.2f} → {cb * 1000:.2f} ms ({change:+.0%}; target within ±15%): {'met' if abs(change) <= 0.15 else 'NOT met'}"
        )
        for mode in ("text", "text-jobs2"):
            if mode in a and mode in b:
                ma, mb = a[mode]["peak_mb"], b[mode]["peak_mb"]
                print(
                    f"  peak RSS {mode} n={a['n']} → n={b['n']}: main {ma[0]:.0f} → {mb[0]:.0f} MB, largest worker {ma[1]:.0f} → {mb[1]:.0f} MB"
                )
    if args.out:
        args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
