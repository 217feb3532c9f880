"""The command line: ``opengov-lint check|fix|serve|config|stats|rules|rule|parse``.

Exit codes: 0 nothing reported at or above ``--fail-on`` (default error), 1 something is, 2 a
usage, configuration or input error (one line on stderr, never a traceback). ``--exit-zero``
makes findings exit 0.

``check`` and ``stats`` take files and directories alike: every report goes through one
:class:`~opengov_lint.checker.Checker` (:func:`opengov_lint.batch.run_batch` walks the paths and
pairs reports across years) and then, a report at a time, to the output writer of the format.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn

import attrs
from tabulate import tabulate

from ._version import __version__
from .baseline import Baseline
from .batch import AgencyAliases, BatchStats, Discovered, default_cache_dir, discover, run_batch
from .checker import EXIT_OK, EXIT_USAGE, Checker, CheckOptions, ReportOutcome, exit_code
from .config import LANGS, LEVELS, OUTPUT_FORMATS, Config, find_config_file, load_config
from .errors import ConfigError, InputError, PackError, RuleSelectionError
from .fixer import fix_file
from .model import AgencyKind
from .outputs import writer_for
from .outputs.docs import rule_markdown
from .outputs.stats import Statistics, render_csv, render_html, render_json, render_table
from .packs import load_packs
from .parsers import INPUT_FORMATS, parse
from .serialize import report_to_json
from .serve import DEFAULT_PORT, serve


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2
        raise _UsageError(message)


def _codes(value: str) -> list[str]:
    return [c.strip().upper() for c in value.split(",") if c.strip()]


def _add_config_options(c: argparse.ArgumentParser) -> None:
    """Flags that mirror the configuration keys (docs/integration.md); each overrides the file."""
    g = c.add_argument_group("configuration (overrides [tool.opengov-lint] / opengov-lint.toml)")
    g.add_argument("--config", default=None, metavar="FILE", help="read this configuration file instead of looking for one")
    g.add_argument("--isolated", action="store_true", help="ignore configuration files")
    g.add_argument("--select", default=None, help="codes or prefixes, comma-separated (e.g. T1,C001)")
    g.add_argument("--ignore", default=None, help="codes or prefixes to skip, comma-separated")
    g.add_argument(
        "--severity", action="append", default=None, metavar="CODE=LEVEL", help="per-rule severity, e.g. T004=info (repeatable)"
    )
    g.add_argument(
        "--per-path-ignores",
        action="append",
        default=None,
        metavar="GLOB:CODES",
        help="skip codes for matching report paths, e.g. 'archive/*:T002,C002' (repeatable)",
    )
    g.add_argument("--agency-kind", default=None, help=f"one of {', '.join(k.value for k in AgencyKind)}")
    g.add_argument(
        "--township-deadline",
        default=None,
        metavar="MM-DD",
        help="publication deadline for township-level reports set by local rules",
    )
    g.add_argument(
        "--format-version",
        default=None,
        metavar="PACK",
        help="check against this format pack (gb2021, gb2019, pre2019) whatever the year",
    )
    g.add_argument("--lang", default=None, choices=list(LANGS), help="message language (default both)")
    g.add_argument("--format", "--output-format", default=None, choices=list(OUTPUT_FORMATS), dest="output_format")
    g.add_argument(
        "--fail-on", default=None, choices=list(LEVELS), help="exit 1 when a finding is at or above this level (default error)"
    )
    g.add_argument("--exit-zero", action="store_const", const=True, default=None, help="exit 0 even with findings")
    g.add_argument("--baseline", default=None, metavar="FILE", help="report only findings not in this baseline")


def _add_batch_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("batch / 批量")
    g.add_argument("--jobs", "-j", type=int, default=1, metavar="N", help="worker processes (0: one per core; default 1)")
    g.add_argument(
        "--cache-dir", type=Path, default=None, help=f"cache of results (default for directories: {default_cache_dir()})"
    )
    g.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    g.add_argument(
        "--agency-map",
        type=Path,
        default=None,
        metavar="FILE",
        help='TOML file of renamed agencies: [aliases] "old name" = "new name"',
    )
    g.add_argument("--no-pair", action="store_true", help="do not pair reports of the same agency across years")


# argparse attribute → configuration key: the flags that override the file
_FLAG_KEYS = {
    "select": "select",
    "ignore": "ignore",
    "severity": "severity",
    "per_path_ignores": "per-path-ignores",
    "agency_kind": "agency-kind",
    "township_deadline": "township-deadline",
    "format_version": "format-version",
    "lang": "lang",
    "output_format": "output-format",
    "fail_on": "fail-on",
    "exit_zero": "exit-zero",
    "baseline": "baseline",
}


def _config_from_args(args: argparse.Namespace) -> Config:
    overrides = {key: getattr(args, attr) for attr, key in _FLAG_KEYS.items() if getattr(args, attr, None) is not None}
    return load_config(config_file=args.config, isolated=args.isolated, overrides=overrides)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="opengov-lint", description="检查政府信息公开工作年度报告 / lint government information-disclosure annual reports"
    )
    p.add_argument("--version", action="version", version=f"opengov-lint {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    c = sub.add_parser("check", help="检查报告 / check reports")
    c.add_argument("paths", nargs="+", metavar="PATH")
    c.add_argument("--previous", type=Path, default=None, help="last year's report of the same agency (for T105)")
    c.add_argument("--input-format", choices=list(INPUT_FORMATS), default=None)
    c.add_argument("--write-baseline", default=None, metavar="FILE", help="record the current findings as accepted, then exit 0")
    c.add_argument("--justification", default="", help="with --write-baseline: why the findings are accepted")
    c.add_argument("--output-dir", default=None, metavar="DIR", help="with --format html: write one page per report here")
    _add_batch_options(c)  # directories, --jobs, cache, pairing across years
    _add_config_options(c)

    fx = sub.add_parser("fix", help="生成改正后的副本 / write a copy with the safe fixes applied")
    fx.add_argument("path", type=Path, metavar="FILE", help="a text, HTML or DOCX draft (never modified)")
    fx.add_argument("-o", "--output", type=Path, required=True, metavar="FIXED", help="where to write the corrected copy")
    fx.add_argument("--input-format", choices=list(INPUT_FORMATS), default=None)
    _add_config_options(fx)

    sv = sub.add_parser("serve", help="本机网页界面 / the local web application for clerks")
    sv.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    sv.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0: any free port)")
    sv.add_argument("--quiet", action="store_true", help="do not log requests")
    _add_config_options(sv)

    cf = sub.add_parser("config", help="显示合并后的配置 / print the merged configuration and where each value came from")
    cf.add_argument("--json", action="store_true", help="as JSON")
    _add_config_options(cf)

    s = sub.add_parser("stats", help="批量统计 / statistics over many reports")
    s.add_argument("paths", nargs="+", metavar="PATH")
    s.add_argument("--format", choices=["table", "json", "csv"], default="table", dest="output_format")
    s.add_argument(
        "--html", type=Path, default=None, metavar="FILE", help="also write a self-contained HTML page with bar charts"
    )
    s.add_argument("--select", type=_codes, default=None)
    s.add_argument("--ignore", type=_codes, default=None)
    s.add_argument("--agency-kind", choices=[k.value for k in AgencyKind], default=None)
    s.add_argument("--input-format", choices=list(INPUT_FORMATS), default=None)
    _add_batch_options(s)

    sub.add_parser("rules", help="列出规则 / list the rule catalogue")
    r = sub.add_parser("rule", help="规则说明 / explain one rule")
    r.add_argument("code")

    pa = sub.add_parser("parse", help="输出报告模型JSON / print the report model as JSON")
    pa.add_argument("path", type=Path)
    pa.add_argument("--agency-kind", choices=[k.value for k in AgencyKind], default=None)
    pa.add_argument("--input-format", choices=list(INPUT_FORMATS), default=None)
    return p


# ---------------------------------------------------------------- check and stats


def _cache_dir(args: argparse.Namespace, has_directory: bool) -> Path | None:
    if args.no_cache:
        return None
    if args.cache_dir is not None:
        return Path(args.cache_dir)
    return default_cache_dir() if has_directory else None


def _outcomes(args: argparse.Namespace, checker: Checker, disc: Discovered, stats: list[BatchStats]) -> Iterator[ReportOutcome]:
    """Every report under the paths (files and directories alike), paired across years; the
    reports are all read and linted before the first outcome comes (so that an input error
    stops the run before anything is written); ``stats`` receives the batch counts."""
    aliases = AgencyAliases.load(args.agency_map) if args.agency_map else None
    previous = checker.read(Path(args.previous)) if getattr(args, "previous", None) else None
    if disc.skipped:
        kinds: dict[str, int] = {}
        for f in disc.skipped:
            kinds[f.suffix.lower() or "(none)"] = kinds.get(f.suffix.lower() or "(none)", 0) + 1
        listing = ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
        print(
            f"opengov-lint: note: skipped {len(disc.skipped)} files of types not read in batch mode ({listing})", file=sys.stderr
        )
    return run_batch(
        args.paths,
        checker=checker,
        jobs=args.jobs,
        cache_dir=_cache_dir(args, disc.has_directory),
        aliases=aliases,
        previous=previous,
        pair=not args.no_pair,
        stats_out=stats,
        discovered=disc,
    )


def _batch_summary(stats: list[BatchStats]) -> dict[str, int]:
    """The batch counts of a finished run, for the JSON output; also said on stderr for several files."""
    s = stats[0] if stats else BatchStats()
    if s.files > 1:
        print(
            f"opengov-lint: {s.files} reports, {s.pairs} paired with last year's"
            + (f", {s.ambiguous} not paired (several reports of one agency and year)" if s.ambiguous else "")
            + (f", {s.cache_hits} from cache" if s.cache_hits else ""),
            file=sys.stderr,
        )
    return {"files": s.files, "skipped_files": s.skipped, "pairs": s.pairs, "ambiguous": s.ambiguous, "cache_hits": s.cache_hits}


def _write_baseline(args: argparse.Namespace, config: Config, disc: Discovered) -> int:
    target = Path(args.write_baseline)
    previous_bl = Baseline.load(target) if target.is_file() else None
    checker = Checker.from_config(attrs.evolve(config, baseline=None), input_format=args.input_format)
    stats: list[BatchStats] = []
    outcomes = _outcomes(args, checker, disc, stats)
    bl = Baseline.from_results(
        target, ((o.path, o.result) for o in outcomes), justification=args.justification, previous=previous_bl
    )
    _batch_summary(stats)
    bl.write(target)
    note = f"（{bl.unjustified} 条未填写理由 / {bl.unjustified} without a justification）" if bl.unjustified else ""
    print(
        f"opengov-lint: 已将 {len(bl.entries)} 项写入基线 {target}{note} / wrote {len(bl.entries)} finding(s) to the baseline {target}",
        file=sys.stderr,
    )
    return EXIT_OK


def _cmd_check(args: argparse.Namespace) -> int:
    config = _config_from_args(args)
    disc = discover(args.paths)
    if args.write_baseline:
        return _write_baseline(args, config, disc)
    html_pages = config.output_format == "html" and args.output_dir
    if config.output_format == "html" and not html_pages and len(disc.files) > 1:
        raise _UsageError("--format html with several reports needs --output-dir (one page per report)")
    packs = load_packs()
    checker = Checker.from_config(config, packs=packs, input_format=args.input_format)
    stats: list[BatchStats] = []
    outcomes = _outcomes(args, checker, disc, stats)
    writer = writer_for(
        config.output_format,
        sys.stdout,
        lang=config.lang,
        fail_on=config.fail_on,
        packs=packs,
        output_dir=args.output_dir if html_pages else None,
        on_page=lambda page: print(page, file=sys.stderr),
    )
    failing: list[ReportOutcome] = []  # the first failing report: enough for the exit code
    writer.begin()
    for o in outcomes:
        writer.report(o)
        if not failing and o.fails(config.fail_on):
            failing.append(o)
    writer.end(_batch_summary(stats))
    return exit_code(failing, config)


def _cmd_stats(args: argparse.Namespace) -> int:
    packs = load_packs()
    options = CheckOptions(
        select=tuple(args.select) if args.select else None,
        ignore=tuple(args.ignore or ()),
        agency_kind=AgencyKind(args.agency_kind) if args.agency_kind else None,
        input_format=args.input_format,
    )
    checker = Checker(options, packs)
    stats: list[BatchStats] = []
    agg = Statistics(packs)
    for o in _outcomes(args, checker, discover(args.paths), stats):
        agg.add(o)
    text = {"table": render_table, "json": render_json, "csv": render_csv}[args.output_format](agg)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    if args.html is not None:
        try:
            args.html.write_text(render_html(agg), encoding="utf-8")
        except OSError as exc:
            raise InputError(f"{args.html}: cannot write: {exc.strerror or exc}") from None
    return EXIT_OK


# ---------------------------------------------------------------- the others


def _cmd_fix(args: argparse.Namespace) -> int:
    config = _config_from_args(args)
    checker = Checker.from_config(attrs.evolve(config, baseline=None), input_format=args.input_format)
    _outcome, result = fix_file(args.path, args.output, checker)
    for f in result.applied:
        assert f.fix is not None
        where = f"{f.fix.span.line}:{f.fix.span.column}"
        print(f"{where}  {f.code}  “{f.fix.old}” → “{f.fix.new}”", file=sys.stderr)
    for f, reason in result.skipped:
        print(f"{f.location.span or ''}  {f.code}  未应用 / not applied: {reason}", file=sys.stderr)
    print(
        f"opengov-lint: 已应用 {len(result.applied)} 项修改，写入 {args.output}（原文件未改动）/ "
        f"applied {len(result.applied)} fix(es), wrote {args.output} (the input is unchanged)"
        + (f"; {len(result.skipped)} not applied" if result.skipped else ""),
        file=sys.stderr,
    )
    return EXIT_OK


def _cmd_serve(args: argparse.Namespace) -> int:
    config = _config_from_args(args)
    if not 0 <= args.port <= 65535:
        raise _UsageError(f"--port {args.port}: not a port number")
    try:
        serve(args.host, args.port, config=config, quiet=args.quiet)
    except OSError as exc:
        raise InputError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from None
    return EXIT_OK


def _cmd_config(args: argparse.Namespace) -> int:
    config = _config_from_args(args)
    found = Path(args.config) if args.config else (None if args.isolated else find_config_file())
    if args.json:
        payload: dict[str, Any] = {
            "file": str(found) if found else None,
            "values": config.to_toml_dict(),
            "sources": {k: config.source_of(k) for k in config.to_toml_dict()},
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"配置文件 / configuration file: {found if found else '（无 / none）'}")
    print(tabulate(config.describe(), headers=["键 key", "值 value", "来源 source"], tablefmt="simple"))
    return EXIT_OK


def _cmd_rules(_args: argparse.Namespace) -> int:
    rows = [[s.code, s.slug, s.severity, s.basis_status, f"{s.summary_zh}\n{s.summary_en}"] for s in load_packs().catalogue.rules]
    print(
        tabulate(
            rows,
            headers=["代码 code", "名称 slug", "级别 severity", "依据 basis", "说明 summary"],
            tablefmt="simple",
            maxcolwidths=[None, None, None, None, 70],
        )
    )
    return EXIT_OK


def _cmd_rule(args: argparse.Namespace) -> int:
    packs = load_packs()
    code = args.code.upper()
    spec = packs.catalogue.get(code) or next((s for s in packs.catalogue.rules if s.slug == args.code), None)
    if spec is None:
        raise _UsageError(f"unknown rule {args.code!r}; run 'opengov-lint rules' for the list")
    print(rule_markdown(spec))
    return EXIT_OK


def _cmd_parse(args: argparse.Namespace) -> int:
    report = parse(args.path, input_format=args.input_format, agency_kind=args.agency_kind)
    print(report_to_json(report))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        handler = {
            "check": _cmd_check,
            "fix": _cmd_fix,
            "serve": _cmd_serve,
            "config": _cmd_config,
            "stats": _cmd_stats,
            "rules": _cmd_rules,
            "rule": _cmd_rule,
            "parse": _cmd_parse,
        }[args.command]
        return handler(args)
    except (_UsageError, InputError, RuleSelectionError, PackError, ConfigError) as exc:
        print(f"opengov-lint: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
