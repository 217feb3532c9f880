"""The command line: ``opengov-lint check|config|rules|rule|parse``.

Exit codes: 0 nothing reported at or above ``--fail-on`` (default error), 1 something is, 2 a
usage, configuration or input error (one line on stderr, never a traceback). ``--exit-zero``
makes findings exit 0.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from ._version import __version__
from .batch_cli import add_batch_arguments, add_stats_parser, batch_outcomes, batch_summary, iter_batch_outcomes, stats_command
from .config import LANGS, LEVELS, OUTPUT_FORMATS
from .errors import ConfigError, InputError, PackError, RuleSelectionError
from .model import AgencyKind
from .packs import load_packs
from .parsers import INPUT_FORMATS, parse

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2
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
    g.add_argument("--severity", action="append", default=None, metavar="CODE=LEVEL", help="per-rule severity, e.g. T004=info (repeatable)")
    g.add_argument("--per-path-ignores", action="append", default=None, metavar="GLOB:CODES", help="skip codes for matching report paths, e.g. 'archive/*:T002,C002' (repeatable)")
    g.add_argument("--agency-kind", default=None, help=f"one of {', '.join(k.value for k in AgencyKind)}")
    g.add_argument("--township-deadline", default=None, metavar="MM-DD", help="publication deadline for township-level reports set by local rules")
    g.add_argument("--format-version", default=None, metavar="PACK", help="check against this format pack (gb2021, gb2019, pre2019) whatever the year")
    g.add_argument("--lang", default=None, choices=list(LANGS), help="message language (default both)")
    g.add_argument("--format", "--output-format", default=None, choices=list(OUTPUT_FORMATS), dest="output_format")
    g.add_argument("--fail-on", default=None, choices=list(LEVELS), help="exit 1 when a finding is at or above this level (default error)")
    g.add_argument("--exit-zero", action="store_const", const=True, default=None, help="exit 0 even with findings")
    g.add_argument("--baseline", default=None, metavar="FILE", help="report only findings not in this baseline")


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


def _config_from_args(args: argparse.Namespace):
    from .config import load_config

    overrides = {key: getattr(args, attr) for attr, key in _FLAG_KEYS.items() if getattr(args, attr, None) is not None}
    return load_config(config_file=args.config, isolated=args.isolated, overrides=overrides)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="opengov-lint", description="检查政府信息公开工作年度报告 / lint government information-disclosure annual reports")
    p.add_argument("--version", action="version", version=f"opengov-lint {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    c = sub.add_parser("check", help="检查报告 / check reports")
    c.add_argument("paths", nargs="+", metavar="PATH")
    c.add_argument("--previous", type=Path, default=None, help="last year's report of the same agency (for T105)")
    c.add_argument("--input-format", choices=list(INPUT_FORMATS), default=None)
    c.add_argument("--write-baseline", default=None, metavar="FILE", help="record the current findings as accepted, then exit 0")
    c.add_argument("--justification", default="", help="with --write-baseline: why the findings are accepted")
    c.add_argument("--output-dir", default=None, metavar="DIR", help="with --format html: write one page per report here")
    add_batch_arguments(c)  # directories, --jobs, cache, pairing across years
    _add_config_options(c)

    cf = sub.add_parser("config", help="显示合并后的配置 / print the merged configuration and where each value came from")
    cf.add_argument("--json", action="store_true", help="as JSON")
    _add_config_options(cf)

    add_stats_parser(sub)  # issue 6
    sub.add_parser("rules", help="列出规则 / list the rule catalogue")
    r = sub.add_parser("rule", help="规则说明 / explain one rule")
    r.add_argument("code")

    pa = sub.add_parser("parse", help="输出报告模型JSON / print the report model as JSON")
    pa.add_argument("path", type=Path)
    pa.add_argument("--agency-kind", choices=[k.value for k in AgencyKind], default=None)
    pa.add_argument("--input-format", choices=list(INPUT_FORMATS), default=None)
    return p


def _write(out: str) -> None:
    sys.stdout.write(out if out.endswith("\n") or not out else out + "\n")


def _cmd_check(args: argparse.Namespace) -> int:
    from .api import exit_code
    from .baseline import Baseline
    from .formats_out import render

    config = _config_from_args(args)
    packs = load_packs()
    if args.write_baseline:
        import attrs

        target = Path(args.write_baseline)
        previous_bl = Baseline.load(target) if target.is_file() else None
        outcomes, _batch = batch_outcomes(args, attrs.evolve(config, baseline=None), packs)
        bl = Baseline.from_results(target, [(o.path, o.result) for o in outcomes], justification=args.justification, previous=previous_bl)
        bl.write(target)
        note = f"（{bl.unjustified} 条未填写理由 / {bl.unjustified} without a justification）" if bl.unjustified else ""
        print(f"opengov-lint: 已将 {len(bl.entries)} 项写入基线 {target}{note} / wrote {len(bl.entries)} finding(s) to the baseline {target}", file=sys.stderr)
        return EXIT_OK
    if config.output_format in _STREAMED:
        return _stream_check(args, config, packs)
    outcomes, batch = batch_outcomes(args, config, packs)
    if config.output_format == "html":
        from .html_out import write_html_pages

        if args.output_dir:
            for written in write_html_pages(outcomes, Path(args.output_dir), lang=config.lang, packs=packs):
                print(written, file=sys.stderr)
        elif len(outcomes) == 1:
            _write(render(outcomes, "html", lang=config.lang, packs=packs))
        else:
            raise _UsageError("--format html with several reports needs --output-dir (one page per report)")
    else:
        _write(render(outcomes, config.output_format, lang=config.lang, fail_on=config.fail_on, packs=packs, batch=batch))
    return exit_code(outcomes, config)


# Formats written report by report, so that memory stays flat over a directory of any size;
# the others (SARIF, JUnit, GitLab, GitHub's summary, HTML) are one document over every report.
_STREAMED = ("text", "json", "jsonl")


def _stream_check(args: argparse.Namespace, config, packs) -> int:
    import json

    from .api import EXIT_FINDINGS, EXIT_OK
    from .formats_out import RESULT_SCHEMA_VERSION, _report_dict, render

    stats: list = []
    fails = False
    first = True
    out = sys.stdout
    if config.output_format == "json":
        out.write("{\n" f'  "schema_version": {RESULT_SCHEMA_VERSION},\n' f'  "tool": {json.dumps({"name": "opengov-lint", "version": __version__})},\n' '  "reports": [')
    for o in iter_batch_outcomes(args, config, packs, stats):
        fails |= o.fails(config.fail_on)
        if config.output_format == "json":
            body = json.dumps(_report_dict(o), ensure_ascii=False, indent=2)
            out.write(("\n" if first else ",\n") + "\n".join("    " + ln for ln in body.split("\n")))
        else:
            if config.output_format == "text" and not first:
                out.write("\n")  # the blank line between reports of the one-document rendering
            out.write(render([o], config.output_format, lang=config.lang, fail_on=config.fail_on, packs=packs))
        first = False
    summary = batch_summary(stats)
    if config.output_format == "json":
        out.write(("\n  ],\n" if not first else "],\n") + f'  "batch": {json.dumps(summary)}\n' + "}\n")
    return EXIT_OK if config.exit_zero or not fails else EXIT_FINDINGS


def _cmd_config(args: argparse.Namespace) -> int:
    import json

    from tabulate import tabulate

    from .config import find_config_file

    config = _config_from_args(args)
    found = Path(args.config) if args.config else (None if args.isolated else find_config_file())
    if args.json:
        payload = {
            "file": str(found) if found else None,
            "values": config.to_toml_dict(),
            "sources": {k: config.source_of(k) for k in config.to_toml_dict()},
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"配置文件 / configuration file: {found if found else '（无 / none）'}")
    print(tabulate(config.describe(), headers=["键 key", "值 value", "来源 source"], tablefmt="simple"))
    return EXIT_OK


def _cmd_stats(args: argparse.Namespace) -> int:
    stats_command(args)
    return EXIT_OK


def _cmd_rules(_args: argparse.Namespace) -> int:
    from tabulate import tabulate

    rows = [[s.code, s.slug, s.severity, s.basis_status, f"{s.summary_zh}\n{s.summary_en}"] for s in load_packs().catalogue.rules]
    print(tabulate(rows, headers=["代码 code", "名称 slug", "级别 severity", "依据 basis", "说明 summary"], tablefmt="simple", maxcolwidths=[None, None, None, None, 70]))
    return EXIT_OK


def _cmd_rule(args: argparse.Namespace) -> int:
    from .docs import rule_markdown

    packs = load_packs()
    code = args.code.upper()
    spec = packs.catalogue.get(code) or next((s for s in packs.catalogue.rules if s.slug == args.code), None)
    if spec is None:
        raise _UsageError(f"unknown rule {args.code!r}; run 'opengov-lint rules' for the list")
    print(rule_markdown(spec))
    return EXIT_OK


def _cmd_parse(args: argparse.Namespace) -> int:
    from .serialize import report_to_json

    report = parse(args.path, input_format=args.input_format, agency_kind=args.agency_kind)
    print(report_to_json(report))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        handler = {"check": _cmd_check, "config": _cmd_config, "stats": _cmd_stats, "rules": _cmd_rules, "rule": _cmd_rule, "parse": _cmd_parse}[args.command]
        return handler(args)
    except _UsageError as exc:
        print(f"opengov-lint: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (InputError, RuleSelectionError, PackError, ConfigError) as exc:
        print(f"opengov-lint: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
