"""The command line: ``opengov-lint check|rules|rule|parse``.

Exit codes: 0 no error-level finding, 1 at least one, 2 a usage or input error (one line on
stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .batch_cli import add_batch_arguments, add_stats_parser, check_command, stats_command
from .engine import RuleSelectionError
from .model import AgencyKind
from .packs import PackError, load_packs
from .parsers import INPUT_FORMATS, InputError, parse

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2
        raise _UsageError(message)


def _codes(value: str) -> list[str]:
    return [c.strip().upper() for c in value.split(",") if c.strip()]


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="opengov-lint", description="检查政府信息公开工作年度报告 / lint government information-disclosure annual reports")
    p.add_argument("--version", action="version", version=f"opengov-lint {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    c = sub.add_parser("check", help="检查报告 / check reports")
    c.add_argument("paths", nargs="+", metavar="PATH")
    c.add_argument("--format", choices=["text", "json"], default="text", dest="output_format")
    c.add_argument("--select", type=_codes, default=None, help="codes or prefixes, comma-separated (e.g. T1,C001)")
    c.add_argument("--ignore", type=_codes, default=None, help="codes or prefixes to skip, comma-separated")
    c.add_argument("--previous", type=Path, default=None, help="last year's report of the same agency (for T105)")
    c.add_argument("--agency-kind", choices=[k.value for k in AgencyKind], default=None)
    c.add_argument("--input-format", choices=list(INPUT_FORMATS), default=None)
    add_batch_arguments(c)  # issue 6: directories, --jobs, cache, pairing across years

    add_stats_parser(sub)  # issue 6
    sub.add_parser("rules", help="列出规则 / list the rule catalogue")
    r = sub.add_parser("rule", help="规则说明 / explain one rule")
    r.add_argument("code")

    pa = sub.add_parser("parse", help="输出报告模型JSON / print the report model as JSON")
    pa.add_argument("path", type=Path)
    pa.add_argument("--agency-kind", choices=[k.value for k in AgencyKind], default=None)
    pa.add_argument("--input-format", choices=list(INPUT_FORMATS), default=None)
    return p


def _cmd_check(args: argparse.Namespace) -> int:
    """Files and directories alike go through batch mode (opengov_lint.batch): a single file
    gives the same findings as before; several are paired across years."""
    return EXIT_FINDINGS if check_command(args) else EXIT_OK


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
        handler = {"check": _cmd_check, "stats": _cmd_stats, "rules": _cmd_rules, "rule": _cmd_rule, "parse": _cmd_parse}[args.command]
        return handler(args)
    except _UsageError as exc:
        print(f"opengov-lint: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (InputError, RuleSelectionError, PackError) as exc:
        print(f"opengov-lint: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
