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
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn, TextIO

import attrs
import shtab
from tabulate import tabulate

from ._version import __version__
from .baseline import Baseline
from .batch import (
    AgencyAliases,
    BatchStats,
    Discovered,
    FileSelection,
    default_cache_dir,
    discover,
    run_batch,
)
from .checker import EXIT_OK, EXIT_USAGE, Checker, ReportOutcome, exit_code
from .config import LANGS, LEVELS, OUTPUT_FORMATS, Config, find_config_file, load_config
from .errors import ConfigError, InputError, PackError, RuleSelectionError
from .fixer import fix_file
from .model import AgencyKind, NoteKind, Report
from .outputs import PEOPLE, writer_for
from .outputs.docs import rule_markdown
from .outputs.stats import Statistics, render_csv, render_html, render_json, render_table
from .outputs.text import style_for
from .packs import RuleSpec, load_packs
from .parsers import EXTENSIONS, INPUT_FORMATS, MAX_INPUT_BYTES, decode_bytes, input_format_of, parse
from .parsers.html import decode_html
from .serialize import report_to_json
from .serve import DEFAULT_PORT, serve

STDIN = "-"
# A --previous file with one of these notes is no report to compare with.
_NOT_A_REPORT = frozenset({NoteKind.EMPTY, NoteKind.UNDECODABLE, NoteKind.NOT_A_REPORT, NoteKind.OVER_LIMIT, NoteKind.IMAGE_PAGE})


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2
        raise _UsageError(message)


def _codes(value: str) -> list[str]:
    return [c.strip().upper() for c in value.split(",") if c.strip()]


def _patterns(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _add_config_options(c: argparse.ArgumentParser, *, outputs: bool = True) -> None:
    """Flags that mirror the configuration keys (docs/integration.md); each overrides the file.
    ``outputs`` False (``stats``): without the keys of the findings' output (format, language,
    fail level, exit-zero), which ``stats`` does not use."""
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
    if outputs:
        g.add_argument("--lang", default=None, choices=list(LANGS), help="message language (default both)")
        g.add_argument("--format", "--output-format", default=None, choices=list(OUTPUT_FORMATS), dest="output_format")
        g.add_argument(
            "--fail-on",
            default=None,
            choices=list(LEVELS),
            help="exit 1 when a finding is at or above this level (default error)",
        )
        g.add_argument("--exit-zero", action="store_const", const=True, default=None, help="exit 0 even with findings")
    g.add_argument("--baseline", default=None, metavar="FILE", help="report only findings not in this baseline")
    g.add_argument(
        "--exclude",
        action="append",
        type=_patterns,
        default=None,
        metavar="PATTERNS",
        help="gitignore-style patterns of files and folders not to walk into (replaces the configured exclude)",
    )
    g.add_argument(
        "--extend-exclude",
        action="append",
        type=_patterns,
        default=None,
        metavar="PATTERNS",
        help="patterns to exclude on top of exclude",
    )
    g.add_argument(
        "--respect-gitignore",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="skip the files .gitignore ignores when walking folders (default: yes)",
    )


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
    "exclude": "exclude",
    "extend_exclude": "extend-exclude",
    "respect_gitignore": "respect-gitignore",
}


def _config_from_args(args: argparse.Namespace) -> Config:
    """The one configuration of every command: the file, then the flags (``stats``'s own
    ``--format`` is no configuration key)."""
    overrides: dict[str, object] = {}
    for attr, key in _FLAG_KEYS.items():
        value = getattr(args, attr, None)
        if value is None or (args.command == "stats" and attr == "output_format"):
            continue
        if attr in ("exclude", "extend_exclude"):  # repeatable, each comma-separated
            value = [p for group in value for p in group]
        overrides[key] = value
    return load_config(config_file=args.config, isolated=args.isolated, overrides=overrides)


def _add_run_options(p: argparse.ArgumentParser) -> None:
    """What ``check`` and ``stats`` share besides the configuration: paths, output, standard input."""
    p.add_argument("paths", nargs="+", metavar="PATH", help="files and folders; - reads a report from standard input")
    p.add_argument("--input-format", choices=list(INPUT_FORMATS), default=None)
    p.add_argument(
        "--stdin-filename",
        default=None,
        metavar="NAME",
        help="with -: the report's name, for per-path ignores, baselines, outputs and its format",
    )
    p.add_argument("-o", "--output-file", default=None, metavar="FILE", help="write the output to FILE instead of stdout")
    p.add_argument(
        "-q", "--quiet", action="store_true", help="only the findings: no notes or summary lines (errors are still said)"
    )


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="opengov-lint", description="检查政府信息公开工作年度报告 / lint government information-disclosure annual reports"
    )
    p.add_argument("-V", "--version", action="version", version=f"opengov-lint {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    c = sub.add_parser("check", help="检查报告 / check reports")
    _add_run_options(c)
    c.add_argument("--previous", type=Path, default=None, help="last year's report of the same agency (for T105–T107)")
    c.add_argument("--write-baseline", default=None, metavar="FILE", help="record the current findings as accepted, then exit 0")
    c.add_argument("--justification", default=None, help="with --write-baseline: why the findings are accepted")
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
    _add_run_options(s)
    s.add_argument("--format", choices=["table", "json", "csv"], default="table", dest="output_format")
    s.add_argument(
        "--html", type=Path, default=None, metavar="FILE", help="also write a self-contained HTML page with bar charts"
    )
    _add_batch_options(s)
    _add_config_options(s, outputs=False)

    rs = sub.add_parser("rules", help="列出规则 / list the rule catalogue")
    rs.add_argument("--format", choices=["text", "json"], default="text", dest="output_format")
    r = sub.add_parser("rule", help="规则说明 / explain one rule (or every rule)")
    r.add_argument("code", nargs="?", default=None)
    r.add_argument("--all", action="store_true", help="every rule")
    r.add_argument("--format", choices=["markdown", "json"], default="markdown", dest="output_format")

    pa = sub.add_parser("parse", help="输出报告模型JSON / print the report model as JSON")
    pa.add_argument("path", type=Path)
    pa.add_argument("--agency-kind", choices=[k.value for k in AgencyKind], default=None)
    pa.add_argument("--input-format", choices=list(INPUT_FORMATS), default=None)

    co = sub.add_parser("completion", help="shell completion script / 命令补全脚本")
    co.add_argument("shell", choices=["bash", "zsh", "fish"])
    return p


# ---------------------------------------------------------------- check and stats


def _note(args: argparse.Namespace, text: str) -> None:
    """A note or summary line on stderr; ``-q`` leaves them out."""
    if not getattr(args, "quiet", False):
        print(text, file=sys.stderr)


def _usage_checks(args: argparse.Namespace, config: Config) -> None:
    """Every flag that depends on another, or contradicts one, says so before anything runs."""
    paths = list(args.paths)
    if STDIN in paths and len(paths) > 1:
        raise _UsageError("- (standard input) cannot be combined with other paths")
    if args.stdin_filename is not None and paths != [STDIN]:
        raise _UsageError("--stdin-filename needs - (standard input) as the path")
    if args.jobs < 0:
        raise _UsageError(f"--jobs must be 0 (one process per core) or more, not {args.jobs}")
    if args.cache_dir is not None and args.no_cache:
        raise _UsageError("--cache-dir and --no-cache contradict each other")
    if args.agency_map is not None and args.no_pair and getattr(args, "previous", None) is None:
        raise _UsageError("--agency-map needs pairing (drop --no-pair) or --previous")
    if args.command != "check":
        return
    if args.no_pair and args.previous is not None:
        raise _UsageError("--no-pair has no effect with --previous (which compares every report with that file instead)")
    if args.justification is not None and not args.write_baseline:
        raise _UsageError("--justification needs --write-baseline")
    if args.write_baseline and args.baseline is not None:
        raise _UsageError("--baseline and --write-baseline cannot be used together (writing records every finding)")
    if args.write_baseline and args.output_file is not None:
        raise _UsageError("--output-file has no effect with --write-baseline (which writes the baseline file only)")
    if args.output_dir is not None and config.output_format != "html":
        raise _UsageError(f"--output-dir needs --format html (the format is {config.output_format})")
    if args.output_dir is not None and args.output_file is not None:
        raise _UsageError("--output-dir and --output-file cannot be used together (the pages go to the folder)")


def _writable(path: str | os.PathLike[str], what: str) -> Path:
    """``path`` when a file can be written there (its folder exists); else a one-line error."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise InputError(f"{target}: cannot write the {what}: it is a folder")
    if not folder.is_dir():
        raise InputError(f"{target}: cannot write the {what}: no such folder {folder}")
    if not os.access(folder, os.W_OK):
        raise InputError(f"{target}: cannot write the {what}: permission denied")
    return target


class _Output:
    """Standard output, or ``-o FILE`` written to a temporary file beside it and moved into place
    at the end: a run that fails leaves no half-written file (and nothing on stdout)."""

    def __init__(self, target: str | None) -> None:
        self.target = _writable(target, "output") if target else None
        self.stream: TextIO = sys.stdout
        self._tmp: str | None = None
        if self.target is not None:
            fd, self._tmp = tempfile.mkstemp(prefix=f".{self.target.name}.", dir=self.target.parent or ".")
            self.stream = os.fdopen(fd, "w", encoding="utf-8", newline="")

    def commit(self) -> None:
        if self._tmp is not None and self.target is not None:
            self.stream.close()
            os.replace(self._tmp, self.target)
            self._tmp = None

    def abort(self) -> None:
        if self._tmp is not None:
            self.stream.close()
            try:
                os.unlink(self._tmp)
            except OSError:
                pass
            self._tmp = None


def _cache_dir(args: argparse.Namespace, has_directory: bool) -> Path | None:
    if args.no_cache:
        return None
    if args.cache_dir is not None:
        return Path(args.cache_dir)
    return default_cache_dir() if has_directory else None


def _selection(args: argparse.Namespace, config: Config) -> FileSelection:
    """The files of a folder that are reports: the configured excludes and .gitignore, never the
    tool's own files (the baseline being written, the cache)."""
    own: list[str | os.PathLike[str]] = [default_cache_dir()]
    if getattr(args, "cache_dir", None) is not None:
        own.append(args.cache_dir)
    if getattr(args, "write_baseline", None):
        own.append(args.write_baseline)
    return FileSelection.from_config(config, excluded_paths=own)


def _discover(args: argparse.Namespace, config: Config) -> Discovered:
    if list(args.paths) == [STDIN]:
        return Discovered(files=((STDIN, True),), skipped=(), has_directory=False)
    disc = discover(args.paths, _selection(args, config))
    if not disc.files:  # never a silent pass over an empty or wrong folder: one line, with what was skipped
        kinds = ", ".join(sorted(EXTENSIONS))
        left = _skipped_summary(disc)
        raise InputError(
            f"no report files ({kinds}) found in {', '.join(str(p) for p in args.paths)}" + (f" ({left})" if left else "")
        )
    return disc


def _skipped_summary(disc: Discovered) -> str:
    parts = []
    if disc.skipped:
        kinds: dict[str, int] = {}
        for f in disc.skipped:
            kinds[f.suffix.lower() or "(none)"] = kinds.get(f.suffix.lower() or "(none)", 0) + 1
        listing = ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
        parts.append(f"skipped {len(disc.skipped)} files of types not read in batch mode ({listing})")
    if disc.not_reports:
        names = ", ".join(p.name for p in disc.not_reports[:5]) + (", …" if len(disc.not_reports) > 5 else "")
        parts.append(f"skipped {len(disc.not_reports)} files that are no reports by their content ({names})")
    return "; ".join(parts)


def _read_previous(args: argparse.Namespace, checker: Checker) -> Report | None:
    """``--previous`` read like any report; a file that is no report at all is refused."""
    if getattr(args, "previous", None) is None:
        return None
    report = checker.read(Path(args.previous))
    bad = next((n for n in report.notes if n.kind in _NOT_A_REPORT), None)
    if bad is not None:
        raise InputError(f"--previous {args.previous}: not a report to compare with ({bad.message})")
    return report


def _stdin_outcome(
    args: argparse.Namespace, checker: Checker, previous: Report | None, aliases: AgencyAliases | None
) -> ReportOutcome:
    name = args.stdin_filename or STDIN
    data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    args.stdin_data = data  # for the full format's source lines
    report = checker.read_file_bytes(data, name if args.input_format is None else name)
    first = checker.lint_alone(report, name)
    verify = None
    if previous is not None:
        al = aliases or AgencyAliases()
        names = checker.packs.regulation.agency_names
        verify = lambda r, p: al.same(r.metadata.agency, p.metadata.agency, names)  # noqa: E731
    return checker.complete(
        name, first, previous=previous, previous_name=str(args.previous) if previous is not None else None, verify_previous=verify
    )


def _outcomes(args: argparse.Namespace, checker: Checker, disc: Discovered, stats: list[BatchStats]) -> Iterator[ReportOutcome]:
    """Every report under the paths (files and directories alike), paired across years; the
    reports are all read and linted before the first outcome comes (so that an input error
    stops the run before anything is written); ``stats`` receives the batch counts."""
    aliases = AgencyAliases.load(args.agency_map) if args.agency_map else None
    previous = _read_previous(args, checker)
    if list(args.paths) == [STDIN]:
        outcome = _stdin_outcome(args, checker, previous, aliases)
        stats.append(BatchStats(files=1))
        return iter([outcome])
    left = _skipped_summary(disc)
    if left:
        _note(args, f"opengov-lint: note: {left}")
    return run_batch(
        args.paths,
        checker=checker,
        jobs=args.jobs,
        cache_dir=_cache_dir(args, disc.has_directory),
        aliases=aliases,
        previous=previous,
        previous_name=str(args.previous) if previous is not None else None,
        pair=not args.no_pair,
        stats_out=stats,
        discovered=disc,
    )


def _batch_summary(args: argparse.Namespace, stats: list[BatchStats]) -> dict[str, int]:
    """The batch counts of a finished run, for the JSON output; also said on stderr for several files."""
    s = stats[0] if stats else BatchStats()
    if s.files > 1:
        _note(
            args,
            f"opengov-lint: {s.files} reports, {s.pairs} paired with last year's"
            + (f", {s.ambiguous} not paired (several reports of one agency and year)" if s.ambiguous else "")
            + (f", {s.cache_hits} from cache" if s.cache_hits else ""),
        )
    return {"files": s.files, "skipped_files": s.skipped, "pairs": s.pairs, "ambiguous": s.ambiguous, "cache_hits": s.cache_hits}


def _write_baseline(args: argparse.Namespace, config: Config, disc: Discovered) -> int:
    target = _writable(args.write_baseline, "baseline")
    previous_bl = Baseline.load(target) if target.is_file() else None
    checker = Checker.from_config(attrs.evolve(config, baseline=None), input_format=args.input_format)
    stats: list[BatchStats] = []
    outcomes = _outcomes(args, checker, disc, stats)
    bl = Baseline.from_results(
        target, ((o.path, o.result) for o in outcomes), justification=args.justification or "", previous=previous_bl
    )
    _batch_summary(args, stats)
    bl.write(target)
    note = f"（{bl.unjustified} 条未填写理由 / {bl.unjustified} without a justification）" if bl.unjustified else ""
    _note(
        args,
        f"opengov-lint: 已将 {len(bl.entries)} 项写入基线 {target}{note} / wrote {len(bl.entries)} finding(s) to the baseline {target}",
    )
    return EXIT_OK


def _source_lines(args: argparse.Namespace) -> Any:
    """For ``--format full``: a report's own lines, for text and HTML inputs (a PDF's or DOCX's
    line numbers count extracted lines, which the file does not hold as such)."""

    def lines(path: str) -> list[str] | None:
        if path == (args.stdin_filename or STDIN) and list(args.paths) == [STDIN]:
            data = getattr(args, "stdin_data", b"")
        else:
            try:
                with open(path, "rb") as fh:
                    data = fh.read(MAX_INPUT_BYTES + 1)
            except OSError:
                return None
        try:
            fmt = args.input_format or input_format_of(data, Path(path).suffix.lower(), path)
        except InputError:
            return None
        if fmt == "text":
            return decode_bytes(data)[0].replace("\r\n", "\n").replace("\r", "\n").split("\n")
        if fmt == "html":
            return decode_html(data)[0].replace("\r\n", "\n").replace("\r", "\n").split("\n")
        return None

    return lines


def _cmd_check(args: argparse.Namespace) -> int:
    config = _config_from_args(args)
    _usage_checks(args, config)
    disc = _discover(args, config)
    if args.write_baseline:
        return _write_baseline(args, config, disc)
    html_pages = config.output_format == "html" and args.output_dir
    if config.output_format == "html" and not html_pages and len(disc.files) > 1:
        raise _UsageError(f"--format html with {len(disc.files)} reports needs --output-dir (one page per report)")
    packs = load_packs()
    checker = Checker.from_config(config, packs=packs, input_format=args.input_format)
    output = _Output(args.output_file)
    try:
        stats: list[BatchStats] = []
        outcomes = _outcomes(args, checker, disc, stats)
        style = None
        if config.output_format in PEOPLE:
            style = style_for(output.stream, quiet=args.quiet, source_lines=_source_lines(args))
        writer = writer_for(
            config.output_format,
            output.stream,
            lang=config.lang,
            fail_on=config.fail_on,
            packs=packs,
            output_dir=args.output_dir if html_pages else None,
            on_page=lambda page: _note(args, str(page)),
            style=style,
        )
        failing: list[ReportOutcome] = []  # the first failing report: enough for the exit code
        writer.begin()
        for o in outcomes:
            writer.report(o)
            if not failing and o.fails(config.fail_on):
                failing.append(o)
        writer.end(_batch_summary(args, stats))
        output.commit()
    except BaseException:
        output.abort()
        raise
    return exit_code(failing, config)


def _cmd_stats(args: argparse.Namespace) -> int:
    config = _config_from_args(args)
    _usage_checks(args, config)
    html_target = _writable(args.html, "HTML page") if args.html is not None else None
    disc = _discover(args, config)
    packs = load_packs()
    checker = Checker.from_config(config, packs=packs, input_format=args.input_format)
    output = _Output(args.output_file)
    try:
        stats: list[BatchStats] = []
        agg = Statistics(packs)
        for o in _outcomes(args, checker, disc, stats):
            agg.add(o)
        text = {"table": render_table, "json": render_json, "csv": render_csv}[args.output_format](agg)
        if html_target is not None:  # the page first: a page that cannot be written leaves stdout empty
            try:
                html_target.write_text(render_html(agg), encoding="utf-8")
            except OSError as exc:
                raise InputError(f"{html_target}: cannot write the HTML page: {exc.strerror or exc}") from None
        output.stream.write(text if text.endswith("\n") else text + "\n")
        output.commit()
    except BaseException:
        output.abort()
        raise
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


def _spec_dict(spec: RuleSpec, *, doc: bool) -> dict[str, Any]:
    d: dict[str, Any] = {
        "code": spec.code,
        "slug": spec.slug,
        "category": spec.category,
        "severity": spec.severity,
        "basis": spec.basis_status,
        "citation": spec.citation,
        "summary_zh": spec.summary_zh,
        "summary_en": spec.summary_en,
    }
    if doc:
        d["messages"] = {v: {"zh": zh, "en": en} for v, (zh, en) in spec.messages.items()}
        d["doc"] = (
            {
                "what": spec.doc.what,
                "why": spec.doc.why,
                "fail": spec.doc.fail_example,
                "pass": spec.doc.pass_example,
                "fix": spec.doc.fix,
            }
            if spec.doc is not None
            else None
        )
    return d


def _cmd_rules(args: argparse.Namespace) -> int:
    specs = load_packs().catalogue.rules
    if args.output_format == "json":
        print(json.dumps([_spec_dict(s, doc=False) for s in specs], ensure_ascii=False, indent=2))
        return EXIT_OK
    rows = [[s.code, s.slug, s.severity, s.basis_status, f"{s.summary_zh}\n{s.summary_en}"] for s in specs]
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
    if args.all == (args.code is not None):
        raise _UsageError("give one rule code (opengov-lint rule T101) or --all")
    if args.all:
        specs = list(packs.catalogue.rules)
    else:
        code = args.code.upper()
        spec = packs.catalogue.get(code) or next((s for s in packs.catalogue.rules if s.slug == args.code), None)
        if spec is None:
            raise _UsageError(f"unknown rule {args.code!r}; run 'opengov-lint rules' for the list")
        specs = [spec]
    if args.output_format == "json":
        docs = [_spec_dict(s, doc=True) for s in specs]
        print(json.dumps(docs if args.all else docs[0], ensure_ascii=False, indent=2))
        return EXIT_OK
    print("\n\n".join(rule_markdown(s).rstrip("\n") for s in specs))
    return EXIT_OK


def _cmd_parse(args: argparse.Namespace) -> int:
    report = parse(args.path, input_format=args.input_format, agency_kind=args.agency_kind)
    print(report_to_json(report))
    return EXIT_OK


def _cmd_completion(args: argparse.Namespace) -> int:
    """A completion script for the shell, generated from this parser (shtab)."""
    sys.stdout.write(shtab.complete(build_parser(), shell=args.shell))
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
            "completion": _cmd_completion,
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
