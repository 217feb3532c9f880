"""Batch mode: check whole directories, pair reports across years, in parallel, cached.

Every report is checked by the one :class:`~opengov_lint.checker.Checker`; this module adds walking
directories, pairing reports across years, the cache and worker processes around its two stages,
one report at a time, so that memory stays flat in the number of reports:

1. :func:`discover` walks the paths given (directories recursively, in sorted order) and keeps
   the files of a supported type.
2. Pass one (``Checker.read_file_bytes`` and ``Checker.lint_alone``, in worker processes with
   ``jobs > 1``) yields a :class:`Record` per file: the full report model and the findings of the
   rules that need only the report. Records go, pickled once, to a spool file on disk and
   (agency, year) to a temporary SQLite index; memory keeps per report only its path and three
   integers. A :class:`ResultCache` keyed by the file's content, its path, the tool's code and
   rule packs and the options, makes pass one near-instant over unchanged files.
3. Pairing: reports of the same agency (name normalised; renamed agencies through an alias
   file) one year apart form a pair, when each year has exactly one report of that agency.
4. Pass two (``Checker.complete``), in the order of the paths: the cross-year rules against the
   partner, the configuration, and the outcome handed to the caller (an output writer,
   statistics) and then dropped.

Files named one by one, with no directory, no cache and one process, take the direct road: each
is read and linted in this process (``Checker.read``, as the Python API does), the records kept in
memory and paired there; no spool, no SQLite.
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
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, MutableSequence, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Protocol, TextIO

import pathspec
from attrs import field, frozen

from ._version import __version__
from .checker import Checker, CheckOptions, ReportOutcome
from .checks.inputs import input_error_finding
from .config import DEFAULT_EXCLUDE, Config
from .engine import LintResult
from .errors import InputError
from .model import Report
from .packs import load_packs
from .packs.regulation import AgencyNames
from .parsers import EXTENSIONS, MAX_INPUT_BYTES, input_format_of, looks_like_report
from .parsers.sniff import REPORT_PROBE_BYTES
from .textutil import label_key

__all__ = [
    "SUPPORTED_SUFFIXES",
    "Record",
    "ResultCache",
    "AgencyAliases",
    "BatchStats",
    "Progress",
    "discover",
    "Discovered",
    "FileSelection",
    "run_batch",
    "default_cache_dir",
]

SUPPORTED_SUFFIXES = dict(EXTENSIONS)  # every input the readers know (docs/inputs.md)
_CHUNK = 16  # files per task sent to a worker process
_RECENT = 8  # records of pass two kept unpickled, for the partners that follow them closely


# ---------------------------------------------------------------- discovery


@frozen
class Discovered:
    files: tuple[tuple[str, bool], ...]  # (path, named explicitly on the command line); str: small
    skipped: tuple[Path, ...]  # files in directories of a type batch mode does not read
    has_directory: bool
    not_reports: tuple[Path, ...] = ()  # files in directories of a readable type that are no report (README.md)


def discover(paths: Sequence[str | os.PathLike[str]], selection: FileSelection | None = None) -> Discovered:
    """Files to check, in a stable order: each path as given; directories walked recursively
    (sorted, hidden entries skipped), keeping the supported types that ``selection`` (default:
    :class:`FileSelection`'s defaults) takes for reports. A missing path is an error."""
    selection = selection or FileSelection()
    files: list[tuple[str, bool]] = []
    skipped: list[Path] = []
    not_reports: list[Path] = []
    has_dir = False
    seen: set[str] = set()
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            has_dir = True
            walk = selection.walker(p)
            for root, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and walk.wants_dir(os.path.join(root, d)))
                for name in sorted(names):
                    if name.startswith("."):
                        continue
                    f = os.path.join(root, name)
                    if not walk.wants_file(f):
                        continue
                    if os.path.splitext(name)[1].lower() in SUPPORTED_SUFFIXES:
                        if f not in seen:
                            if not selection.is_report(f):
                                not_reports.append(Path(f))
                                continue
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
    return Discovered(files=tuple(files), skipped=tuple(skipped), has_directory=has_dir, not_reports=tuple(not_reports))


# ---------------------------------------------------------------- which files of a folder are reports


def _spec(lines: Iterable[str]) -> pathspec.GitIgnoreSpec:
    return pathspec.GitIgnoreSpec.from_lines(list(lines))


def _read_ignore_file(path: Path) -> pathspec.GitIgnoreSpec | None:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    return _spec(text.splitlines())


def _relative(path: Path, folder: Path) -> str | None:
    try:
        return path.relative_to(folder).as_posix()
    except ValueError:
        return None


class _GitIgnores:
    """The ``.gitignore`` files that apply under a walked folder: those in it and below it, and,
    inside a git repository, those of the folders above it up to the repository's root (with
    ``.git/info/exclude``). The deepest file with a matching pattern decides, as git does."""

    def __init__(self, top: Path) -> None:
        self._specs: dict[Path, pathspec.GitIgnoreSpec | None] = {}
        self.top = top
        repo = next((d for d in (top, *top.parents) if (d / ".git").exists()), None)
        self.repo = repo
        if repo is not None:
            info = _read_ignore_file(repo / ".git" / "info" / "exclude")
            self._info = info
        else:
            self._info = None

    def _spec_of(self, folder: Path) -> pathspec.GitIgnoreSpec | None:
        if folder not in self._specs:
            self._specs[folder] = _read_ignore_file(folder / ".gitignore")
        return self._specs[folder]

    def ignored(self, path: Path, is_dir: bool) -> bool:
        stop = self.repo if self.repo is not None else self.top
        folder = path.parent
        chain: list[Path] = []
        while True:
            chain.append(folder)
            if folder == stop or folder == folder.parent:
                break
            folder = folder.parent
        for folder in chain:  # the deepest first
            spec = self._spec_of(folder)
            rel = _relative(path, folder)
            if spec is None or rel is None:
                continue
            verdict = spec.check_file(rel + "/" if is_dir else rel).include
            if verdict is not None:
                return verdict
        if self._info is not None and self.repo is not None:
            rel = _relative(path, self.repo)
            if rel is not None:
                verdict = self._info.check_file(rel + "/" if is_dir else rel).include
                if verdict is not None:
                    return verdict
        return False


class _Walk:
    """What one walked folder skips: excluded patterns, ignored files, the tool's own files."""

    def __init__(self, selection: FileSelection, top: Path) -> None:
        self.selection = selection
        self.top = top.resolve()
        self.gitignore = _GitIgnores(self.top) if selection.respect_gitignore else None

    def _skip(self, path: str, is_dir: bool) -> bool:
        full = Path(os.path.abspath(path))
        sel = self.selection
        if str(full) in sel.excluded_paths:
            return True
        if sel.exclude_spec is not None:
            rel = _relative(full, sel.root) or _relative(full, self.top) or full.name
            if sel.exclude_spec.match_file(rel + "/" if is_dir else rel):
                return True
        return self.gitignore is not None and self.gitignore.ignored(full, is_dir)

    def wants_dir(self, path: str) -> bool:
        return not self._skip(path, True)

    def wants_file(self, path: str) -> bool:
        return not self._skip(path, False)


class FileSelection:
    """Which files found in directories are checked (a file named on the command line always
    is): not those matching ``exclude`` (gitignore-style patterns relative to ``root``), nor
    those a ``.gitignore`` ignores (unless ``respect_gitignore`` is false), nor the tool's own
    files (``excluded_paths``: the baseline, the cache), and only those whose content shows a
    report (:func:`opengov_lint.parsers.looks_like_report`: a README or ``package.json`` is not)."""

    def __init__(
        self,
        exclude: Iterable[str] = DEFAULT_EXCLUDE,
        *,
        root: str | os.PathLike[str] | None = None,
        respect_gitignore: bool = True,
        excluded_paths: Iterable[str | os.PathLike[str]] = (),
        markers: Sequence[str] | None = None,
    ) -> None:
        patterns = list(exclude)
        self.exclude_spec = _spec(patterns) if patterns else None
        self.root = Path(os.path.abspath(root if root is not None else Path.cwd()))
        self.respect_gitignore = respect_gitignore
        self.excluded_paths = frozenset(os.path.abspath(p) for p in excluded_paths)
        self.markers = tuple(markers) if markers is not None else load_packs().inputs.discovery.report_markers

    @classmethod
    def from_config(cls, config: Config, *, excluded_paths: Iterable[str | os.PathLike[str]] = ()) -> FileSelection:
        """The selection ``config`` sets (``exclude`` + ``extend-exclude``, ``respect-gitignore``);
        its baseline file is never a report."""
        own = [*excluded_paths, *([config.baseline] if config.baseline else [])]
        return cls(
            (*config.exclude, *config.extend_exclude),
            root=config.root,
            respect_gitignore=config.respect_gitignore,
            excluded_paths=own,
        )

    def walker(self, top: Path) -> _Walk:
        return _Walk(self, top)

    def is_report(self, path: str) -> bool:
        """Whether the file's first bytes show a report (an unreadable file is read, to be reported)."""
        try:
            with open(path, "rb") as fh:
                head = fh.read(REPORT_PROBE_BYTES + 1)
        except OSError:
            return True
        try:
            fmt = input_format_of(head, os.path.splitext(path)[1].lower(), path)
        except InputError:
            return True
        return looks_like_report(head, fmt, self.markers)


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

    def same(self, a: str | None, b: str | None, names: AgencyNames) -> bool | None:
        """Whether two agency names are one agency: the same after normalisation and this map,
        or differing only by the divisions in front of one of them (淮安市洪泽区人民政府 /
        洪泽区人民政府); None when either is unknown."""
        ka, kb = self.canonical(a), self.canonical(b)
        if ka is None or kb is None:
            return None
        if ka == kb:
            return True
        sa, sb = names.short_form(ka), names.short_form(kb)
        return sa == sb and (sa == ka or sb == kb)


# ---------------------------------------------------------------- records


@frozen
class Record:
    """What pass one knows of a file: the first stage's result (the full model and the findings
    of the rules that need only the report), or why the file could not be read."""

    path: str
    result: LintResult | None  # None when the file could not be read (error is set)
    error: str | None = None


@frozen
class _Packed:
    """A record as pass one moves it: pickled once (in the worker), with what pairing needs."""

    blob: bytes
    agency: str | None
    year: int | None
    error: str | None


def _pack(rec: Record) -> _Packed:
    md = rec.result.report.metadata if rec.result is not None else None
    return _Packed(
        blob=pickle.dumps(rec, protocol=pickle.HIGHEST_PROTOCOL),
        agency=md.agency if md else None,
        year=md.report_year if md else None,
        error=rec.error,
    )


# ---------------------------------------------------------------- cache


def _tree_digest(root: Path, pattern: str) -> str:
    h = hashlib.sha256()
    for f in sorted(root.rglob(pattern)):
        if "__pycache__" in f.parts:
            continue
        h.update(str(f.relative_to(root)).encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def code_and_packs_digest(packs_root: Path) -> str:
    """Changes whenever the tool's code or its rule packs change (editable installs included)."""
    here = Path(__file__).resolve().parent
    return hashlib.sha256(f"{__version__}|{_tree_digest(here, '*.py')}|{_tree_digest(packs_root, '*.toml')}".encode()).hexdigest()


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
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, value BLOB NOT NULL, agency TEXT, year INTEGER)"
            )
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
                self._db.executemany(
                    "INSERT OR REPLACE INTO results (key, value, agency, year) VALUES (?, ?, ?, ?)", self._pending
                )
        except sqlite3.Error as exc:
            self._disable(exc)
        self._pending.clear()

    def close(self) -> None:
        self.flush()
        if self._db is not None:
            self._db.close()
            self._db = None


# ---------------------------------------------------------------- pass one (also in workers)

_WORKER: dict[str, Checker] = {}


def _init_worker(options: CheckOptions, packs_root: str) -> None:
    _WORKER["checker"] = Checker(options, load_packs(Path(packs_root)))


def _read_bytes(path: Path) -> bytes:
    """The file's bytes (at most one byte over the input limit: parse makes that an X004 finding),
    with the same one-line errors as :func:`opengov_lint.parse`."""
    try:
        with path.open("rb") as fh:
            return fh.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror or exc}") from None


def _lint_one(path: str, data: bytes) -> Record:
    checker = _WORKER["checker"]
    try:
        report = checker.read_file_bytes(data, path)
    except InputError as exc:
        return Record(path=path, result=None, error=str(exc).replace("\n", " "))
    return Record(path=path, result=checker.lint_alone(report, path))


def _work_chunk(chunk: list[tuple[int, str, bytes]]) -> list[tuple[int, _Packed]]:
    return [(i, _pack(_lint_one(path, data))) for i, path, data in chunk]


# ---------------------------------------------------------------- where records and pairs are kept


class _Records(Protocol):
    def get(self, index: int) -> Record: ...
    def close(self) -> None: ...


class _MemoryRecords:
    """Records in memory: for a few files named one by one."""

    def __init__(self, n: int) -> None:
        self._records: list[Record | None] = [None] * n

    def keep(self, index: int, record: Record) -> None:
        self._records[index] = record

    def get(self, index: int) -> Record:
        rec = self._records[index]
        assert rec is not None, "every file has a record after pass one"
        return rec

    def close(self) -> None:
        self._records.clear()


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
        rec: Record = pickle.loads(self._fh.read(self._length[index]))
        return rec

    def close(self) -> None:
        self._fh.close()


def _pair_groups(rows: Iterable[tuple[int, int, int, int]], partner: MutableSequence[int]) -> tuple[int, int]:
    """From (this year's first index, count, last year's first index, count) for every agency
    with reports in two consecutive years: fill ``partner`` where each year has exactly one
    report; return (pairs, reports left unpaired for ambiguity)."""
    n_pairs = ambiguous = 0
    for i_now, c_now, i_before, c_before in rows:
        if c_now == 1 and c_before == 1:
            partner[i_now] = i_before
            n_pairs += 1
        else:
            ambiguous += c_now
    return n_pairs, ambiguous


class _Pairs(Protocol):
    def add(self, i: int, key: str, short: str, year: int) -> None: ...
    def pairs(self, partner: MutableSequence[int]) -> tuple[int, int]: ...
    def close(self) -> None: ...


def _pair_short_forms(rows: Iterable[tuple[int, int]], partner: MutableSequence[int]) -> int:
    """From (this year's index, last year's index) of reports whose names differ only by the
    divisions in front (:meth:`~opengov_lint.packs.regulation.AgencyNames.short_form`), each
    alone in its year under that short name: fill ``partner`` where no exact pair was made."""
    n = 0
    for i_now, i_before in rows:
        if partner[i_now] < 0:
            partner[i_now] = i_before
            n += 1
    return n


class _MemoryPairIndex:
    """(agency key, year) of a few reports, in memory."""

    def __init__(self) -> None:
        self._groups: dict[tuple[str, int], tuple[int, int]] = {}
        self._short: dict[tuple[str, int], list[tuple[int, str]]] = {}

    def add(self, i: int, key: str, short: str, year: int) -> None:
        count, first = self._groups.get((key, year), (0, i))
        self._groups[(key, year)] = (count + 1, min(first, i))
        self._short.setdefault((short, year), []).append((i, key))

    def pairs(self, partner: MutableSequence[int]) -> tuple[int, int]:
        rows = []
        for (k, y), (c_now, i_now) in self._groups.items():
            before = self._groups.get((k, y - 1))
            if before is not None:
                rows.append((i_now, c_now, before[1], before[0]))
        n_pairs, ambiguous = _pair_groups(rows, partner)
        short_rows: list[tuple[int, int]] = []
        for (short, y), now in sorted(self._short.items()):
            earlier = self._short.get((short, y - 1))
            if earlier is None or len(now) != 1 or len(earlier) != 1:
                continue
            (i_now, k_now), (i_before, k_before) = now[0], earlier[0]
            if k_now != k_before and (k_now == short or k_before == short):
                short_rows.append((i_now, i_before))
        return n_pairs + _pair_short_forms(short_rows, partner), ambiguous

    def close(self) -> None:
        self._groups.clear()
        self._short.clear()


class _PairIndex:
    """(agency key, its short form, year) of every report, in a temporary SQLite file rather than in memory."""

    def __init__(self) -> None:
        self._dir: tempfile.TemporaryDirectory[str] | None = tempfile.TemporaryDirectory(prefix="opengov-lint-")
        self._db = sqlite3.connect(os.path.join(self._dir.name, "pairs.sqlite3"))
        self._db.execute("PRAGMA journal_mode = OFF")
        self._db.execute("PRAGMA synchronous = OFF")
        self._db.execute("CREATE TABLE idx (i INTEGER, k TEXT, s TEXT, y INTEGER)")
        self._rows: list[tuple[int, str, str, int]] = []

    def add(self, i: int, key: str, short: str, year: int) -> None:
        self._rows.append((i, key, short, year))
        if len(self._rows) >= 4096:
            self._flush()

    def _flush(self) -> None:
        self._db.executemany("INSERT INTO idx VALUES (?, ?, ?, ?)", self._rows)
        self._rows.clear()

    def pairs(self, partner: MutableSequence[int]) -> tuple[int, int]:
        self._flush()
        query = """
            WITH g AS (SELECT k, y, COUNT(*) AS c, MIN(i) AS i FROM idx GROUP BY k, y)
            SELECT now.i, now.c, before.i, before.c
            FROM g AS now JOIN g AS before ON before.k = now.k AND before.y = now.y - 1
        """
        n_pairs, ambiguous = _pair_groups(self._db.execute(query), partner)
        # names that differ only by the divisions in front, each alone in its year under the short name
        short = """
            WITH g AS (SELECT s, y, COUNT(*) AS c, MIN(i) AS i, MIN(k) AS k FROM idx GROUP BY s, y)
            SELECT now.i, before.i
            FROM g AS now JOIN g AS before ON before.s = now.s AND before.y = now.y - 1
            WHERE now.c = 1 AND before.c = 1 AND now.k != before.k AND (now.k = now.s OR before.k = before.s)
            ORDER BY now.i
        """
        return n_pairs + _pair_short_forms(self._db.execute(short), partner), ambiguous

    def close(self) -> None:
        if self._dir is not None:
            self._db.close()
            self._dir.cleanup()
            self._dir = None


# ---------------------------------------------------------------- progress


class Progress:
    """A one-line progress bar on stderr, only when stderr is a terminal."""

    def __init__(self, total: int, *, enabled: bool | None = None, stream: TextIO | None = None) -> None:
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


# told of every report read in pass one: its index, agency and report year (for pairing)
_OnRecord = Callable[[int, str | None, int | None], None]


def _pass_one_direct(
    files: Sequence[tuple[str, bool]], checker: Checker, records: _MemoryRecords, on_record: _OnRecord, progress: Progress
) -> None:
    """Each file read and linted here, as the Python API does (files named one by one only)."""
    for i, (path, _explicit) in enumerate(files):
        result = checker.lint_alone(checker.read(Path(path)), path)
        records.keep(i, Record(path=path, result=result))
        on_record(i, result.report.metadata.agency, result.report.metadata.report_year)
        progress.advance()


def _pass_one(
    files: Sequence[tuple[str, bool]],
    checker: Checker,
    jobs: int,
    cache: ResultCache | None,
    spool: _Spool,
    on_record: _OnRecord,
    progress: Progress,
) -> None:
    def store(i: int, packed: _Packed, key: str | None) -> None:
        if cache is not None and key is not None:
            cache.put(key, packed)
        spool.put(i, packed.blob)
        on_record(i, packed.agency, packed.year)
        progress.advance()

    def tasks() -> Iterator[tuple[int, str, bytes, str | None]]:
        for i, (path, explicit) in enumerate(files):
            try:
                data = _read_bytes(Path(path))
            except InputError as exc:
                if explicit:
                    raise
                store(i, _pack(Record(path=str(path), result=None, error=str(exc))), None)
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

    packs_root = str(checker.packs.root)
    if jobs <= 1:
        _WORKER["checker"] = checker
        for i, path, data, key in tasks():
            packed = _pack(_lint_one(path, data))
            check_explicit(i, packed)
            store(i, packed, key)
        return

    keys: dict[int, str | None] = {}
    # Chunks amortise the cost of sending work to a process; small batches use small chunks so
    # that every worker gets some.
    chunk_size = max(1, min(_CHUNK, len(files) // (jobs * 4)))
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(checker.options, packs_root)) as pool:
        pending: set[Future[list[tuple[int, _Packed]]]] = set()
        chunk: list[tuple[int, str, bytes]] = []
        limit = jobs * 4  # chunks in flight: bounds memory whatever the number of files

        def drain() -> None:
            nonlocal pending
            if not pending:
                return
            done, still = wait(pending, return_when=FIRST_COMPLETED)
            pending = set(still)
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
                    drain()
        if chunk:
            pending.add(pool.submit(_work_chunk, chunk))
        while pending:
            drain()


def run_batch(
    paths: Sequence[str | os.PathLike[str]],
    *,
    checker: Checker | None = None,
    jobs: int = 1,
    cache_dir: Path | None = None,
    aliases: AgencyAliases | None = None,
    previous: Report | None = None,
    previous_name: str | None = None,
    pair: bool = True,
    progress: bool | None = None,
    stats_out: list[BatchStats] | None = None,
    discovered: Discovered | None = None,
) -> Iterator[ReportOutcome]:
    """Check every report under ``paths``; yield one outcome per file, in path order.

    ``checker`` (default: every rule, no configuration) checks each report. ``previous``
    (``--previous``, the file ``previous_name``) compares every report with that one report
    instead of pairing, and says (X008) when it is another agency's or not of the year before.
    ``cache_dir`` None: no cache. ``progress`` None: a bar when stderr is a terminal.
    Raises :class:`InputError` for a missing path, or a file named explicitly that cannot be read;
    files found in directories that cannot be read give an X005 finding instead.
    """
    checker = checker or Checker()
    aliases = aliases or AgencyAliases()
    disc = discovered or discover(paths)
    files = disc.files
    if not files:  # never a silent pass over an empty or wrong directory
        kinds = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise InputError(f"no report files ({kinds}) found in {', '.join(str(p) for p in paths)}")
    if jobs <= 0:
        jobs = os.cpu_count() or 1
    jobs = max(1, min(jobs, len(files)))
    direct = not disc.has_directory and cache_dir is None and jobs == 1

    cache = (
        None
        if direct or cache_dir is None
        else ResultCache(cache_dir, salt=code_and_packs_digest(checker.packs.root) + checker.options.cache_key())
    )
    index: _Pairs = _MemoryPairIndex() if direct else _PairIndex()

    names = checker.packs.regulation.agency_names

    def on_record(i: int, agency: str | None, year: int | None) -> None:
        k = aliases.canonical(agency)
        if k is not None and year is not None:
            index.add(i, k, names.short_form(k), year)

    bar = Progress(len(files), enabled=progress)
    fill: Callable[[], None]
    if direct:
        memory = _MemoryRecords(len(files))
        records: _Records = memory
        fill = lambda: _pass_one_direct(files, checker, memory, on_record, bar)  # noqa: E731
    else:
        spool = _Spool(len(files))
        records = spool
        fill = lambda: _pass_one(files, checker, jobs, cache, spool, on_record, bar)  # noqa: E731
    try:
        fill()
    except BaseException:
        records.close()
        index.close()
        if cache is not None:
            cache.close()
        raise
    finally:
        bar.close()

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
    verify: Callable[[Report, Report], bool | None] | None = None
    if previous is not None:
        names = checker.packs.regulation.agency_names
        verify = lambda r, p: aliases.same(r.metadata.agency, p.metadata.agency, names)  # noqa: E731
    return _pass_two(len(files), records, partner, checker, previous, previous_name, verify)


def _pass_two(
    n: int,
    records: _Records,
    partner: Sequence[int],
    checker: Checker,
    previous: Report | None,
    previous_name: str | None = None,
    verify: Callable[[Report, Report], bool | None] | None = None,
) -> Iterator[ReportOutcome]:
    recent: OrderedDict[int, Record] = OrderedDict()  # last year's report is usually a few files back

    def get(i: int) -> Record:
        rec = recent.pop(i, None) or records.get(i)
        recent[i] = rec
        if len(recent) > _RECENT:
            recent.popitem(last=False)
        return rec

    try:
        for i in range(n):
            rec = get(i)
            if rec.result is None:
                error = rec.error or "unreadable"
                unread = LintResult(
                    report=Report(source_name=rec.path), findings=(input_error_finding(checker.packs, rec.path, error),)
                )
                yield checker.complete(rec.path, unread, error=error)
                continue
            prev_report = previous
            prev_path = previous_name or (previous.source_name if previous is not None else None)
            if prev_report is None and partner[i] >= 0:
                prev_rec = get(partner[i])
                prev_report, prev_path = (prev_rec.result.report if prev_rec.result is not None else None), prev_rec.path
            yield checker.complete(
                rec.path,
                rec.result,
                previous=prev_report,
                previous_name=prev_path,
                verify_previous=verify if previous is not None else None,
            )
    finally:
        records.close()
