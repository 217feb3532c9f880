"""Batch mode (issue 6): check whole directories, pair reports across years, in parallel, cached.

The pipeline, one report at a time so that memory stays flat in the number of reports:

1. :func:`discover` walks the paths given (directories recursively, in sorted order) and keeps
   the files of a supported type (``.txt``, ``.text``, ``.json``).
2. Pass one reads, parses and lints each file with every rule that needs only the report
   (in worker processes with ``jobs > 1``). What it yields is a :class:`Record`: the findings and
   a *digest*, the part of the model the cross-year rules and the output need (metadata, table
   二, the carry-over rows of table 三, sections 一 and 五). Records go, pickled once, to a spool
   file on disk and (agency, year) to a temporary SQLite index; memory keeps per report only its
   path and three integers.
   A :class:`ResultCache` keyed by the file's content, its path, the tool's code and rule packs
   and the options, makes pass one near-instant over unchanged files.
3. Pairing: reports of the same agency (name normalised; renamed agencies through an alias
   file) one year apart form a pair, when each year has exactly one report of that agency.
4. Pass two, in the order of the paths: each report with a previous-year partner is linted
   again with the cross-year rules only (T105, T106, T107: ``Rule.cross_year``), the findings
   merged, and the result handed to the caller (rendering, statistics) and then dropped.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sqlite3
import sys
import tempfile
import time
import tomllib
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path

import attrs
from attrs import field, frozen

from ._version import __version__
from .engine import LintResult, Rule, all_rules, finding_sort_key, lint, select_rules
from .errors import InputError
from .findings import Finding
from .model import Report
from .packs import Packs, load_packs
from .parsers import _EXT, INPUT_FORMATS, parse
from .textutil import label_key

__all__ = [
    "SUPPORTED_SUFFIXES",
    "BatchOptions",
    "BatchItem",
    "Record",
    "ResultCache",
    "AgencyAliases",
    "discover",
    "run_batch",
    "default_cache_dir",
]

SUPPORTED_SUFFIXES = dict(_EXT)  # every input the readers know (docs/inputs.md)
DIGEST_SECTIONS = ("overview", "problems")
DIGEST_TABLES: dict[str, tuple[str, ...] | None] = {"table2": None, "table3": ("carried_over", "carried_forward")}  # None: every row
_CHUNK = 16  # files per task sent to a worker process


# ---------------------------------------------------------------- options and discovery


@frozen
class BatchOptions:
    """What decides a report's findings, besides its content (part of the cache key)."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    agency_kind: str | None = None
    input_format: str | None = None
    township_deadline: str | None = None
    format_override: str | None = None

    def key(self) -> str:
        return repr((self.select, self.ignore, self.agency_kind, self.input_format, self.township_deadline, self.format_override))


@frozen
class Discovered:
    files: tuple[tuple[str, bool], ...]  # (path, named explicitly on the command line); str: small
    skipped: tuple[Path, ...]  # files in directories of a type batch mode does not read
    has_directory: bool


def discover(paths: Sequence[str | os.PathLike[str]]) -> Discovered:
    """Files to check, in a stable order: each path as given; directories walked recursively
    (sorted, hidden entries skipped), keeping the supported types. A missing path is an error."""
    files: list[tuple[str, bool]] = []
    skipped: list[Path] = []
    has_dir = False
    seen: set[str] = set()
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            has_dir = True
            for root, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    if name.startswith("."):
                        continue
                    f = os.path.join(root, name)
                    if os.path.splitext(name)[1].lower() in SUPPORTED_SUFFIXES:
                        if f not in seen:
                            seen.add(f)
                            files.append((f, False))
                    else:
                        skipped.append(Path(f))
        elif p.exists():
            if str(p) not in seen:
                seen.add(str(p))
                files.append((str(p), True))
        else:
            raise InputError(f"{p}: no such file or directory")
    return Discovered(files=tuple(files), skipped=tuple(skipped), has_directory=has_dir)


# ---------------------------------------------------------------- agencies


def agency_key(name: str | None) -> str | None:
    """The name as compared for pairing: normalised, without spaces and punctuation."""
    if not name:
        return None
    return label_key(name) or None


@frozen
class AgencyAliases:
    """Renamed agencies: an old (or variant) name → the name its reports are filed under.

    Read from a TOML file::

        [aliases]
        "沭阳县发展改革局" = "沭阳县发展和改革局"
    """

    mapping: dict[str, str] = field(factory=dict)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> AgencyAliases:
        p = Path(path)
        try:
            data = tomllib.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError(f"{p}: no such agency alias file") from None
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise InputError(f"{p}: cannot read agency alias file: {exc}".replace("\n", " ")) from None
        table = data.get("aliases")
        if not isinstance(table, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in table.items()):
            raise InputError(f'{p}: an agency alias file needs an [aliases] table of "old name" = "new name"')
        mapping: dict[str, str] = {}
        for old, new in table.items():
            ko, kn = agency_key(old), agency_key(new)
            if ko and kn:
                mapping[ko] = kn
        # follow chains (A → B → C) to the last name, stopping at cycles
        resolved = {}
        for k in mapping:
            seen, cur = {k}, mapping[k]
            while cur in mapping and cur not in seen:
                seen.add(cur)
                cur = mapping[cur]
            resolved[k] = cur
        return cls(mapping=resolved)

    def canonical(self, name: str | None) -> str | None:
        k = agency_key(name)
        return self.mapping.get(k, k) if k else None


# ---------------------------------------------------------------- records


@frozen
class Record:
    """What pass one knows of a file: its findings and the digest of its model."""

    path: str
    findings: tuple[Finding, ...]
    digest: Report | None  # None when the file could not be read (error is set)
    error: str | None = None
    rules_run: tuple[str, ...] = ()


@frozen
class _Packed:
    """A record as pass one moves it: pickled once (in the worker), with what pairing needs."""

    blob: bytes
    agency: str | None
    year: int | None
    error: str | None


def _pack(rec: Record) -> _Packed:
    md = rec.digest.metadata if rec.digest is not None else None
    return _Packed(
        blob=pickle.dumps(rec, protocol=pickle.HIGHEST_PROTOCOL),
        agency=md.agency if md else None,
        year=md.report_year if md else None,
        error=rec.error,
    )


@frozen
class BatchItem:
    """One report's result, as handed to the caller of :func:`run_batch`."""

    path: str
    result: LintResult
    previous: str | None = None  # path of the report it was compared with
    error: str | None = None


def digest_of(report: Report) -> Report:
    """The part of ``report`` that the cross-year rules and the output need: metadata (without
    the list of every date seen), the format, sections 一 and 五, table 二, and the carry-over
    rows of table 三. Small, so that spooling and caching it costs little."""

    tables = []
    for t in report.tables:
        if t.key not in DIGEST_TABLES:
            continue
        keep = DIGEST_TABLES[t.key]
        tables.append(t if keep is None else attrs.evolve(t, rows=tuple(r for r in t.rows if r.key in keep), header=()))
    return attrs.evolve(report,
        metadata=attrs.evolve(report.metadata, dates=()),
        preamble=(),
        signature=(),
        withholdings=(),
        notes=(),
        sections=tuple(_one_paragraph(s) for s in report.sections if s.key in DIGEST_SECTIONS),
        tables=tuple(tables),
    )


def _one_paragraph(section):
    """The section with its prose as one paragraph (same ``text``; fewer objects to store)."""

    from .model import Paragraph

    if len(section.paragraphs) <= 1:
        return section
    first = section.paragraphs[0]
    return attrs.evolve(section, paragraphs=(Paragraph(text=section.text, span=first.span),))


# ---------------------------------------------------------------- cache


def _tree_digest(root: Path, pattern: str) -> str:
    h = hashlib.sha256()
    for f in sorted(root.rglob(pattern)):
        if "__pycache__" in f.parts:
            continue
        h.update(str(f.relative_to(root)).encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def code_and_packs_digest(packs: Packs) -> str:
    """Changes whenever the tool's code or its rule packs change (editable installs included)."""
    here = Path(__file__).resolve().parent
    return hashlib.sha256(f"{__version__}|{_tree_digest(here, '*.py')}|{_tree_digest(Path(packs.root), '*.toml')}".encode()).hexdigest()


def default_cache_dir() -> Path:
    env = os.environ.get("OPENGOV_LINT_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "opengov-lint"


class ResultCache:
    """Pass-one records keyed by sha256(tool code + packs + options, path, content).

    One SQLite file; written by the main process only. A cache that cannot be opened or written
    is switched off with one line on stderr; it never fails a check.
    """

    FILE = "results-v2.sqlite3"

    def __init__(self, directory: Path, salt: str) -> None:
        self.directory = Path(directory)
        self.salt = salt
        self.hits = 0
        self.misses = 0
        self._pending: list[tuple[str, bytes, str | None, int | None]] = []
        self._db: sqlite3.Connection | None = None
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.directory / self.FILE, timeout=30)
            self._db.execute("CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, value BLOB NOT NULL, agency TEXT, year INTEGER)")
            self._db.commit()
        except (OSError, sqlite3.Error) as exc:
            self._disable(exc)

    def _disable(self, exc: BaseException) -> None:
        print(f"opengov-lint: warning: cache {self.directory} disabled: {exc}", file=sys.stderr)
        self._db = None

    @property
    def enabled(self) -> bool:
        return self._db is not None

    def key(self, path: str, data: bytes) -> str:
        h = hashlib.sha256(self.salt.encode())
        h.update(b"\x00" + path.encode("utf-8", "surrogateescape") + b"\x00")
        h.update(data)
        return h.hexdigest()

    def get(self, key: str) -> _Packed | None:
        """The pickled record with its agency and year (no unpickling: pairing needs only those)."""
        if self._db is None:
            return None
        try:
            row = self._db.execute("SELECT value, agency, year FROM results WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error as exc:
            self._disable(exc)
            return None
        if row is None:
            self.misses += 1
            return None
        self.hits += 1
        return _Packed(blob=row[0], agency=row[1], year=row[2], error=None)

    def put(self, key: str, packed: _Packed) -> None:
        if self._db is None or packed.error is not None:
            return
        self._pending.append((key, packed.blob, packed.agency, packed.year))
        if len(self._pending) >= 256:
            self.flush()

    def flush(self) -> None:
        if self._db is None or not self._pending:
            return
        try:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO results (key, value, agency, year) VALUES (?, ?, ?, ?)", self._pending)
        except sqlite3.Error as exc:
            self._disable(exc)
        self._pending.clear()

    def close(self) -> None:
        self.flush()
        if self._db is not None:
            self._db.close()
            self._db = None


# ---------------------------------------------------------------- pass one (also in workers)

_WORKER: dict[str, object] = {}


def _single_rules(packs: Packs, options: BatchOptions) -> tuple[list[Rule], list[Rule]]:
    chosen = select_rules(all_rules(packs), options.select, options.ignore)
    return [r for r in chosen if not r.cross_year], [r for r in chosen if r.cross_year]


def _init_worker(options: BatchOptions, packs_root: str | None) -> None:
    packs = load_packs(Path(packs_root)) if packs_root else load_packs()
    single, _cross = _single_rules(packs, options)
    _WORKER.update(packs=packs, rules=single, options=options)


def _read_bytes(path: Path) -> bytes:
    """The file's bytes (at most one byte over the input limit: parse makes that an X004 finding),
    with the same one-line errors as :func:`opengov_lint.parse`."""
    from .parsers import MAX_INPUT_BYTES

    try:
        with path.open("rb") as fh:
            return fh.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror or exc}") from None


def _lint_one(path: str, data: bytes) -> Record:
    from .parsers import _detect

    packs: Packs = _WORKER["packs"]  # type: ignore[assignment]
    options: BatchOptions = _WORKER["options"]  # type: ignore[assignment]
    rules: list[Rule] = _WORKER["rules"]  # type: ignore[assignment]
    try:
        # the format as parse(Path) finds it: the content first, then the extension
        fmt = options.input_format or _detect(data, Path(path).suffix.lower(), path)
        report = parse(data, input_format=fmt, agency_kind=options.agency_kind, packs=packs, source_name=path)
    except InputError as exc:
        return Record(path=path, findings=(), digest=None, error=str(exc).replace("\n", " "))
    result = lint(report, packs=packs, rules=rules, township_deadline=options.township_deadline, format_override=options.format_override)
    return Record(path=path, findings=result.findings, digest=digest_of(result.report), rules_run=result.rules_run)


def _work_chunk(chunk: list[tuple[int, str, bytes]]) -> list[tuple[int, _Packed]]:
    return [(i, _pack(_lint_one(path, data))) for i, path, data in chunk]


# ---------------------------------------------------------------- spool


class _Spool:
    """Records on disk, appended in any order, read back by index (16 bytes of memory each)."""

    def __init__(self, n: int) -> None:
        self._fh = tempfile.TemporaryFile(prefix="opengov-lint-")
        self._offset = array("q", bytes(8 * n))
        self._length = array("q", bytes(8 * n))
        self._end = 0

    def put(self, index: int, blob: bytes) -> None:
        self._fh.seek(self._end)
        self._offset[index], self._length[index] = self._end, len(blob)
        self._fh.write(blob)
        self._end += len(blob)

    def get(self, index: int) -> Record:
        self._fh.seek(self._offset[index])
        return pickle.loads(self._fh.read(self._length[index]))

    def close(self) -> None:
        self._fh.close()


class _PairIndex:
    """(agency key, year) of every report, in a temporary SQLite file rather than in memory."""

    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="opengov-lint-")
        self._db = sqlite3.connect(os.path.join(self._dir.name, "pairs.sqlite3"))
        self._db.execute("PRAGMA journal_mode = OFF")
        self._db.execute("PRAGMA synchronous = OFF")
        self._db.execute("CREATE TABLE idx (i INTEGER, k TEXT, y INTEGER)")
        self._rows: list[tuple[int, str, int]] = []

    def add(self, i: int, key: str, year: int) -> None:
        self._rows.append((i, key, year))
        if len(self._rows) >= 4096:
            self._flush()

    def _flush(self) -> None:
        self._db.executemany("INSERT INTO idx VALUES (?, ?, ?)", self._rows)
        self._rows.clear()

    def pairs(self, partner: array) -> tuple[int, int]:
        """Fill ``partner[i]`` for each report whose agency has exactly one report in each of
        two consecutive years; return (pairs, reports left unpaired for ambiguity)."""
        self._flush()
        n_pairs = ambiguous = 0
        query = """
            WITH g AS (SELECT k, y, COUNT(*) AS c, MIN(i) AS i FROM idx GROUP BY k, y)
            SELECT now.i, now.c, before.i, before.c
            FROM g AS now JOIN g AS before ON before.k = now.k AND before.y = now.y - 1
        """
        for i_now, c_now, i_before, c_before in self._db.execute(query):
            if c_now == 1 and c_before == 1:
                partner[i_now] = i_before
                n_pairs += 1
            else:
                ambiguous += c_now
        return n_pairs, ambiguous

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None  # type: ignore[assignment]
            self._dir.cleanup()


# ---------------------------------------------------------------- progress


class Progress:
    """A one-line progress bar on stderr, only when stderr is a terminal."""

    def __init__(self, total: int, *, enabled: bool | None = None, stream=None) -> None:
        self.stream = stream or sys.stderr
        self.total = total
        self.done = 0
        self.enabled = (self.stream.isatty() if enabled is None else enabled) and total > 1
        self._start = time.monotonic()
        self._last = 0.0

    def advance(self, n: int = 1) -> None:
        self.done += n
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last < 0.1 and self.done < self.total:
            return
        self._last = now
        width = 30
        filled = int(width * self.done / self.total) if self.total else width
        rate = self.done / max(now - self._start, 1e-9)
        self.stream.write(f"\r检查 checking [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} {rate:,.0f}/s")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * 78 + "\r")
            self.stream.flush()


# ---------------------------------------------------------------- the run


@frozen
class BatchStats:
    """Counts of a finished run (for stderr and the JSON output)."""

    files: int = 0
    skipped: int = 0
    pairs: int = 0
    ambiguous: int = 0
    cache_hits: int = 0
    cache_misses: int = 0


def _pass_one(
    files: Sequence[tuple[str, bool]],
    options: BatchOptions,
    packs: Packs,
    jobs: int,
    cache: ResultCache | None,
    spool: _Spool,
    on_record: Callable[[int, _Packed], None],
    progress: Progress,
) -> None:
    def store(i: int, packed: _Packed, key: str | None) -> None:
        if cache is not None and key is not None:
            cache.put(key, packed)
        spool.put(i, packed.blob)
        on_record(i, packed)
        progress.advance()

    def tasks() -> Iterator[tuple[int, str, bytes, str | None]]:
        for i, (path, explicit) in enumerate(files):
            try:
                data = _read_bytes(Path(path))
            except InputError as exc:
                if explicit:
                    raise
                store(i, _pack(Record(path=str(path), findings=(), digest=None, error=str(exc))), None)
                continue
            key = cache.key(str(path), data) if cache is not None and cache.enabled else None
            hit = cache.get(key) if key is not None and cache is not None else None
            if hit is not None:
                store(i, hit, None)
                continue
            yield i, str(path), data, key

    explicit = {i for i, (_p, e) in enumerate(files) if e}

    def check_explicit(i: int, packed: _Packed) -> None:
        if packed.error is not None and i in explicit:
            raise InputError(packed.error)

    if jobs <= 1:
        _init_worker(options, str(packs.root))
        for i, path, data, key in tasks():
            packed = _pack(_lint_one(path, data))
            check_explicit(i, packed)
            store(i, packed, key)
        return

    keys: dict[int, str | None] = {}
    # Chunks amortise the cost of sending work to a process; small batches use small chunks so
    # that every worker gets some.
    chunk_size = max(1, min(_CHUNK, len(files) // (jobs * 4)))
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(options, str(packs.root))) as pool:
        pending = set()
        chunk: list[tuple[int, str, bytes]] = []
        limit = jobs * 4  # chunks in flight: bounds memory whatever the number of files

        def drain(block: bool) -> None:
            nonlocal pending
            if not pending:
                return
            done, pending = wait(pending, timeout=None if block else 0, return_when=FIRST_COMPLETED)
            for fut in done:
                for i, packed in fut.result():
                    check_explicit(i, packed)
                    store(i, packed, keys.pop(i, None))

        for i, path, data, key in tasks():
            keys[i] = key
            chunk.append((i, path, data))
            if len(chunk) >= chunk_size:
                pending.add(pool.submit(_work_chunk, chunk))
                chunk = []
                while len(pending) >= limit:
                    drain(True)
        if chunk:
            pending.add(pool.submit(_work_chunk, chunk))
        while pending:
            drain(True)


def run_batch(
    paths: Sequence[str | os.PathLike[str]],
    *,
    options: BatchOptions | None = None,
    packs: Packs | None = None,
    jobs: int = 1,
    cache_dir: Path | None = None,
    aliases: AgencyAliases | None = None,
    previous: Report | None = None,
    pair: bool = True,
    progress: bool | None = None,
    stats_out: list[BatchStats] | None = None,
    discovered: Discovered | None = None,
) -> Iterator[BatchItem]:
    """Check every report under ``paths``; yield one :class:`BatchItem` per file, in path order.

    ``previous`` (``--previous``) compares every report with that one report instead of pairing.
    ``cache_dir`` None: no cache. ``progress`` None: a bar when stderr is a terminal.
    Raises :class:`InputError` for a missing path, or a file named explicitly that cannot be read;
    files found in directories that cannot be read give an X005 finding instead.
    """
    from .checks.inputs import input_error_finding

    options = options or BatchOptions()
    packs = packs or load_packs()
    aliases = aliases or AgencyAliases()
    if options.input_format is not None and options.input_format not in INPUT_FORMATS:
        raise InputError(f"unknown input format {options.input_format!r}; use one of: {', '.join(INPUT_FORMATS)}")
    _single, cross = _single_rules(packs, options)  # also validates --select/--ignore up front
    disc = discovered or discover(paths)
    files = disc.files
    if not files:  # never a silent pass over an empty or wrong directory
        kinds = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise InputError(f"no report files ({kinds}) found in {', '.join(str(p) for p in paths)}")
    if jobs <= 0:
        jobs = os.cpu_count() or 1
    jobs = max(1, min(jobs, len(files)))

    cache = ResultCache(cache_dir, salt=code_and_packs_digest(packs) + options.key()) if cache_dir is not None else None
    spool = _Spool(len(files))
    index = _PairIndex()

    def on_record(i: int, packed: _Packed) -> None:
        k = aliases.canonical(packed.agency)
        if k is not None and packed.year is not None:
            index.add(i, k, packed.year)

    bar = Progress(len(files), enabled=progress)
    try:
        _pass_one(files, options, packs, jobs, cache, spool, on_record, bar)
    except BaseException:
        spool.close()
        index.close()
        if cache is not None:
            cache.close()
        raise
    finally:
        bar.close()
    if cache is not None:
        cache.flush()

    partner = array("q", [-1]) * len(files)  # index of last year's report, -1: none
    n_pairs = ambiguous = 0
    if pair and previous is None:
        n_pairs, ambiguous = index.pairs(partner)
    index.close()
    if stats_out is not None:
        stats_out.append(
            BatchStats(
                files=len(files),
                skipped=len(disc.skipped),
                pairs=n_pairs,
                ambiguous=ambiguous,
                cache_hits=cache.hits if cache else 0,
                cache_misses=cache.misses if cache else 0,
            )
        )
    if cache is not None:
        cache.close()

    def items() -> Iterator[BatchItem]:
        try:
            for i in range(len(files)):
                rec = spool.get(i)
                if rec.digest is None:
                    f = input_error_finding(packs, rec.path, rec.error or "unreadable")
                    yield BatchItem(path=rec.path, result=LintResult(report=Report(source_name=rec.path), findings=(f,)), error=rec.error)
                    continue
                prev_report, prev_path = previous, (previous.source_name if previous is not None else None)
                if prev_report is None and partner[i] >= 0:
                    prev_rec = spool.get(partner[i])
                    prev_report, prev_path = prev_rec.digest, prev_rec.path
                findings: Iterable[Finding] = rec.findings
                rules_run = rec.rules_run
                if prev_report is not None and cross:
                    extra = lint(rec.digest, packs=packs, rules=cross, previous=prev_report)
                    findings = sorted((*rec.findings, *extra.findings), key=finding_sort_key)
                    rules_run = rules_run + extra.rules_run
                result = LintResult(report=rec.digest, findings=tuple(findings), rules_run=rules_run)
                yield BatchItem(path=rec.path, result=result, previous=prev_path)
        finally:
            spool.close()

    return items()
