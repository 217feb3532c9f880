"""Command-line side of batch mode (issue 6): ``check PATH...`` over files and directories, and
``stats PATH...``. Kept apart from :mod:`opengov_lint.cli`, which only wires these in."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

from .batch import AgencyAliases, BatchItem, BatchOptions, BatchStats, default_cache_dir, discover, run_batch
from .errors import InputError
from .model import AgencyKind
from .packs import Packs, load_packs
from .parsers import INPUT_FORMATS, parse

__all__ = ["add_batch_arguments", "iter_batch_outcomes", "batch_outcomes", "batch_summary", "add_stats_parser", "stats_command"]


def add_batch_arguments(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("batch / 批量")
    g.add_argument("--jobs", "-j", type=int, default=1, metavar="N", help="worker processes (0: one per core; default 1)")
    g.add_argument("--cache-dir", type=Path, default=None, help=f"cache of results (default for directories: {default_cache_dir()})")
    g.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    g.add_argument("--agency-map", type=Path, default=None, metavar="FILE", help='TOML file of renamed agencies: [aliases] "old name" = "new name"')
    g.add_argument("--no-pair", action="store_true", help="do not pair reports of the same agency across years")


def _cache_dir(args: argparse.Namespace, has_directory: bool) -> Path | None:
    if args.no_cache:
        return None
    if args.cache_dir is not None:
        return args.cache_dir
    return default_cache_dir() if has_directory else None


def _run(args: argparse.Namespace, packs: Packs, stats_out: list[BatchStats], options: BatchOptions | None = None) -> Iterator[BatchItem]:
    disc = discover(args.paths)
    aliases = AgencyAliases.load(args.agency_map) if args.agency_map else None
    previous = None
    if getattr(args, "previous", None):
        previous = parse(args.previous, packs=packs, input_format=args.input_format)
    if options is None:
        options = BatchOptions(
            select=tuple(args.select) if args.select else None,
            ignore=tuple(args.ignore) if args.ignore else None,
            agency_kind=args.agency_kind,
            input_format=args.input_format,
        )
    if disc.skipped:
        kinds: dict[str, int] = {}
        for f in disc.skipped:
            kinds[f.suffix.lower() or "(none)"] = kinds.get(f.suffix.lower() or "(none)", 0) + 1
        listing = ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
        print(f"opengov-lint: note: skipped {len(disc.skipped)} files of types not read in batch mode ({listing})", file=sys.stderr)
    return run_batch(
        args.paths,
        options=options,
        packs=packs,
        jobs=args.jobs,
        cache_dir=_cache_dir(args, disc.has_directory),
        aliases=aliases,
        previous=previous,
        pair=not args.no_pair,
        stats_out=stats_out,
        discovered=disc,
    )


def iter_batch_outcomes(args: argparse.Namespace, config, packs: Packs, stats: list[BatchStats]) -> Iterator:
    """``check``: every report under the paths (files and directories alike), paired across years,
    as :class:`~opengov_lint.api.ReportOutcome` under the configuration (per-path ignores,
    severities, baseline), one at a time; ``stats`` receives the batch counts at the end."""
    from .api import _baseline, outcome_from_result

    options = BatchOptions(
        select=tuple(config.select) if config.select is not None else None,
        ignore=tuple(config.ignore) or None,
        agency_kind=config.agency_kind,
        input_format=args.input_format,
        township_deadline=config.township_deadline,
        format_override=config.format_version,
    )
    baseline = _baseline(config)
    for item in _run(args, packs, stats, options):
        yield outcome_from_result(item.path, item.result, config, baseline, previous=item.previous)


def batch_summary(stats: list[BatchStats]) -> dict[str, int]:
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


def batch_outcomes(args: argparse.Namespace, config, packs: Packs) -> tuple[list, dict[str, int]]:
    """Every outcome as a list (for the formats written as one document), and the batch counts."""
    stats: list[BatchStats] = []
    outcomes = list(iter_batch_outcomes(args, config, packs, stats))
    return outcomes, batch_summary(stats)


# ---------------------------------------------------------------- stats


def add_stats_parser(sub) -> None:
    s = sub.add_parser("stats", help="批量统计 / statistics over many reports")
    s.add_argument("paths", nargs="+", metavar="PATH")
    s.add_argument("--format", choices=["table", "json", "csv"], default="table", dest="output_format")
    s.add_argument("--html", type=Path, default=None, metavar="FILE", help="also write a self-contained HTML page with bar charts")
    s.add_argument("--select", type=_codes, default=None)
    s.add_argument("--ignore", type=_codes, default=None)
    s.add_argument("--agency-kind", choices=[k.value for k in AgencyKind], default=None)
    s.add_argument("--input-format", choices=list(INPUT_FORMATS), default=None)
    add_batch_arguments(s)


def _codes(value: str) -> list[str]:
    return [c.strip().upper() for c in value.split(",") if c.strip()]


def stats_command(args: argparse.Namespace) -> None:
    from .stats import Statistics, render_csv, render_html, render_json, render_table

    packs = load_packs()
    stats: list[BatchStats] = []
    agg = Statistics(packs)
    for item in _run(args, packs, stats):
        agg.add(item)
    text = {"table": render_table, "json": render_json, "csv": render_csv}[args.output_format](agg)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    if args.html is not None:
        try:
            args.html.write_text(render_html(agg), encoding="utf-8")
        except OSError as exc:

            raise InputError(f"{args.html}: cannot write: {exc.strerror or exc}") from None
