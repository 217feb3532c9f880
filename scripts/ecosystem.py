"""The ecosystem check: opengov-lint over every labelled real report, against hand-checked labels.

    python scripts/ecosystem.py                 # precision and recall per rule, tuned and held-out
    python scripts/ecosystem.py --diff          # and what changed against the accepted snapshot
    python scripts/ecosystem.py --accept        # make today's findings the accepted snapshot
    python scripts/ecosystem.py --json          # the figures as JSON (docs/accuracy.md quotes them)
    python scripts/ecosystem.py --heldout-details   # also name the held-out reports' false findings

Fixes are tuned on the tuned part only: by default the held-out part is shown as per-rule counts and
totals, never by report, so that nobody reads a held-out report because the linter failed on it.

Labels (tests/corpus/labels.tsv, shared-labels.tsv) say per report which codes were judged
(``scope``), which defects are really there (``expect``) and which are defensible either way
(``maybe``); a code in scope and in neither list is asserted clean. A finding of a code in scope is
a true positive when expected, a false positive when neither expected nor maybe; an expected code
not found is a miss. Codes out of scope, and maybes, count neither way.

Exit status: 1 when, against the accepted snapshot, a report gains a false error or loses an
expected code (the test suite runs this); 0 otherwise.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

from attrs import frozen

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
SHARED = ROOT.parent / "shared" / "corpus"
ACCEPTED = CORPUS / "accepted.jsonl"
# Compared across years, not in one report: never labelled.
UNLABELLED = {"T105", "T106", "T107"}


@frozen
class Label:
    key: str  # as in the labels file: "000", "html/017.html", "shared:pdf/hongze-2023.pdf"
    path: Path
    complete: bool
    scope: frozenset[str]
    expect: frozenset[str]
    maybe: frozenset[str]
    split: str  # "tuned" or "heldout"


def _codes(text: str) -> frozenset[str]:
    return frozenset(c.strip() for c in (text or "").split(",") if c.strip())


def _read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def _resolve(key: str) -> Path:
    if key.startswith("shared:"):
        return SHARED / key[len("shared:") :]
    if "/" in key:
        return CORPUS / key
    return CORPUS / "text" / f"{key}.txt"


def _index_key(name: str) -> str:
    """The label key of an index row's file name (000.txt → 000; html/017.html stays)."""
    return name[:-4] if name.endswith(".txt") and "/" not in name else name


def labels() -> Iterator[Label]:
    splits: dict[str, str] = {}
    for idx in (CORPUS / "index.tsv", CORPUS / "shared-index.tsv"):
        if idx.is_file():
            for row in _read_tsv(idx):
                splits[_index_key(row["file"])] = (row.get("split") or "tuned").strip() or "tuned"
    for lab in (CORPUS / "labels.tsv", CORPUS / "shared-labels.tsv"):
        if not lab.is_file():
            continue
        for row in _read_tsv(lab):
            key = row["file"].strip()
            path = _resolve(key)
            if not path.is_file():  # a shared file on a machine without ../shared
                continue
            yield Label(
                key=key,
                path=path,
                complete=row["complete"].strip() == "yes",
                scope=_codes(row["scope"]) - UNLABELLED,
                expect=_codes(row["expect"]),
                maybe=_codes(row["maybe"]),
                split=splits.get(key, "tuned"),
            )


@frozen
class Outcome:
    label: Label
    found: dict[str, str]  # code -> the highest severity it was reported at

    def judged(self) -> Iterator[tuple[str, str]]:
        """(code, verdict) for every code in scope: tp, fn, fp, or ok (clean and clean)."""
        lab = self.label
        for code in sorted(lab.scope | (lab.expect & lab.scope)):
            hit = code in self.found
            if code in lab.maybe:
                continue
            if code in lab.expect:
                yield code, "tp" if hit else "fn"
            else:
                yield code, "fp" if hit else "ok"


_RANK = {"error": 3, "warning": 2, "info": 1}


def run(label: Label) -> tuple[Outcome, list[dict[str, str]]]:
    from opengov_lint import check_path
    from opengov_lint.errors import OpengovLintError

    found: dict[str, str] = {}
    rows: list[dict[str, str]] = []
    try:
        outcome = check_path(label.path)
        findings = outcome.findings
    except OpengovLintError as exc:
        return Outcome(label, {"EXIT": "error"}), [{"report": label.key, "code": "EXIT", "severity": "error", "where": str(exc)}]
    for f in findings:
        sev = f.severity.value
        if _RANK[sev] > _RANK.get(found.get(f.code, ""), 0):
            found[f.code] = sev
        span = f.location.span
        rows.append(
            {"report": label.key, "code": f.code, "severity": sev, "where": f.location.path + (f"@{span.line}" if span else "")}
        )
    return Outcome(label, found), rows


def figures(outcomes: list[Outcome]) -> dict[str, object]:
    per_rule: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    false: dict[str, list[str]] = defaultdict(list)
    reports: Counter[str] = Counter()
    for o in outcomes:
        reports[o.label.split] += 1
        for code, verdict in o.judged():
            per_rule[code][o.label.split][verdict] += 1
            if verdict == "fp":
                false[o.found[code]].append(f"{o.label.key}:{code}")
    table = {}
    for code in sorted(per_rule):
        table[code] = {split: dict(c) for split, c in per_rule[code].items()}
    totals = {}
    for split in ("tuned", "heldout"):
        c: Counter[str] = Counter()
        for code in per_rule:
            c.update(per_rule[code].get(split, Counter()))
        n = reports[split]
        totals[split] = {
            "reports": n,
            "defects": c["tp"] + c["fn"],
            "found": c["tp"],
            "recall": _ratio(c["tp"], c["tp"] + c["fn"]),
            "false_errors": sum(
                1 for o in outcomes if o.label.split == split for code, v in o.judged() if v == "fp" and o.found[code] == "error"
            ),
            "false_warnings": sum(
                1 for o in outcomes if o.label.split == split for code, v in o.judged() if v == "fp" and o.found[code] != "error"
            ),
        }
    heldout = sorted(o.label.key for o in outcomes if o.label.split == "heldout")
    return {"per_rule": table, "totals": totals, "false": {k: sorted(v) for k, v in false.items()}, "heldout_keys": heldout}


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def _pct(x: object) -> str:
    return "–" if x is None else f"{100 * float(x):.0f}%"  # type: ignore[arg-type]


def render(fig: dict[str, object], *, heldout_details: bool = False) -> str:
    from tabulate import tabulate

    rows = []
    per_rule: dict[str, dict[str, dict[str, int]]] = fig["per_rule"]  # type: ignore[assignment]
    for code, splits in per_rule.items():
        row = [code]
        for split in ("tuned", "heldout"):
            c = splits.get(split, {})
            tp, fn, fp = c.get("tp", 0), c.get("fn", 0), c.get("fp", 0)
            row += [f"{tp}/{tp + fn}", fp, _pct(_ratio(tp, tp + fp)), _pct(_ratio(tp, tp + fn))]
        rows.append(row)
    head = ["code", "tuned found", "FP", "precision", "recall", "held-out found", "FP", "precision", "recall"]
    out = [tabulate(rows, headers=head, tablefmt="simple")]
    totals: dict[str, dict[str, object]] = fig["totals"]  # type: ignore[assignment]
    for split, t in totals.items():
        n = int(t["reports"])  # type: ignore[call-overload]
        fw = int(t["false_warnings"])  # type: ignore[call-overload]
        out.append(
            f"{split}: {n} reports, {t['found']}/{t['defects']} defects found ({_pct(t['recall'])}), "
            f"{t['false_errors']} false errors, {fw} false warnings ({fw / n * 10 if n else 0:.1f} per 10 reports)"
        )
    false: dict[str, list[str]] = fig["false"]  # type: ignore[assignment]
    for sev in ("error", "warning", "info"):
        shown = [k for k in false.get(sev, []) if heldout_details or k.split(":")[0] not in fig["heldout_keys"]]  # type: ignore[operator]
        if shown:
            out.append(f"false {sev}s: " + ", ".join(shown))
    return "\n".join(out)


def _load_accepted() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    if ACCEPTED.is_file():
        for ln in ACCEPTED.read_text(encoding="utf-8").splitlines():
            if ln.strip():
                rec = json.loads(ln)
                out[rec["report"]] = rec["found"]
    return out


def regressions(outcomes: list[Outcome], accepted: dict[str, dict[str, str]]) -> list[str]:
    """A false error that the accepted snapshot did not have, or an expected code it found and
    today's run does not: each blocks (the test suite fails on them)."""
    bad = []
    for o in outcomes:
        before = accepted.get(o.label.key, {})
        for code, verdict in o.judged():
            if verdict == "fp" and o.found[code] == "error" and before.get(code) != "error":
                bad.append(f"{o.label.key}: new false error {code}")
            if verdict == "fn" and code in before:
                bad.append(f"{o.label.key}: expected {code} no longer found")
    return bad


def diff(outcomes: list[Outcome], accepted: dict[str, dict[str, str]]) -> list[str]:
    lines = []
    for o in outcomes:
        before = accepted.get(o.label.key, {})
        for code in sorted(set(before) | set(o.found)):
            a, b = before.get(code), o.found.get(code)
            if a != b:
                lines.append(f"{o.label.key}: {code} {a or '-'} -> {b or '-'}")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--diff", action="store_true", help="print what changed against the accepted snapshot")
    ap.add_argument("--accept", action="store_true", help="write today's findings as the accepted snapshot")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument(
        "--heldout-details",
        action="store_true",
        help="name the held-out reports' false findings too (for the accuracy report, not for tuning)",
    )
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    outcomes = [run(lab)[0] for lab in labels()]
    fig = figures(outcomes)
    print(json.dumps(fig, ensure_ascii=False, indent=1) if args.json else render(fig, heldout_details=args.heldout_details))
    accepted = _load_accepted()
    if args.diff:
        shown = [o for o in outcomes if args.heldout_details or o.label.split != "heldout"]
        for ln in diff(shown, accepted) or ["(no difference against the accepted snapshot)"]:
            print(ln)
    if args.accept:
        ACCEPTED.write_text(
            "".join(
                json.dumps({"report": o.label.key, "found": dict(sorted(o.found.items()))}, ensure_ascii=False) + "\n"
                for o in outcomes
            ),
            encoding="utf-8",
        )
        print(f"accepted {len(outcomes)} reports into {ACCEPTED.relative_to(ROOT)}", file=sys.stderr)
        return 0
    bad = regressions(outcomes, accepted)
    for ln in bad:
        print("REGRESSION " + ln, file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
