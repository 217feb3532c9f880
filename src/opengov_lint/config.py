"""Configuration: ``[tool.opengov-lint]`` in ``pyproject.toml`` or an ``opengov-lint.toml``.

Precedence: built-in defaults < the configuration file < command-line flags (or the values a
caller passes). A flag replaces the file's value for that key whole. An unknown key, code, level,
format or language is a :class:`ConfigError` with a suggestion; nothing is silently ignored.
See docs/integration.md.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import os
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pathspec
from attrs import evolve, field, frozen

from .engine import all_rules
from .errors import ConfigError
from .model import AgencyKind
from .packs import Packs, load_packs

__all__ = [
    "Config",
    "ConfigError",
    "CONFIG_KEYS",
    "DEFAULT_EXCLUDE",
    "OUTPUT_FORMATS",
    "LANGS",
    "LEVELS",
    "find_config_file",
    "load_config",
    "known_codes",
]

OUTPUT_FORMATS = ("text", "concise", "full", "json", "jsonl", "sarif", "github", "junit", "gitlab", "html")
LANGS = ("zh", "en", "both")
LEVELS = ("error", "warning", "info")
CONFIG_FILE = "opengov-lint.toml"
DEFAULT_SOURCE = "default"
CLI_SOURCE = "command line"


def _suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    return f"; did you mean {close[0]!r}?" if close else ""


# ------------------------------------------------------------------------------------ the keys
# TOML key → Config attribute. Every key has a command-line flag of the same name.
CONFIG_KEYS: dict[str, str] = {
    "select": "select",
    "ignore": "ignore",
    "severity": "severity",
    "per-path-ignores": "per_path_ignores",
    "agency-kind": "agency_kind",
    "township-deadline": "township_deadline",
    "format-version": "format_version",
    "lang": "lang",
    "output-format": "output_format",
    "fail-on": "fail_on",
    "exit-zero": "exit_zero",
    "baseline": "baseline",
    "exclude": "exclude",
    "extend-exclude": "extend_exclude",
    "respect-gitignore": "respect_gitignore",
}

# Folders and files never walked into for reports unless ``exclude`` is set otherwise (gitignore
# patterns; hidden entries, whose names start with ".", are skipped anyway). As ruff's defaults.
DEFAULT_EXCLUDE: tuple[str, ...] = (
    "__pycache__",
    "__pypackages__",
    "_build",
    "buck-out",
    "node_modules",
    "site-packages",
    "venv",
)


@frozen
class Config:
    """Settings for a run. Build one with :func:`load_config` (files + flags) or
    :meth:`Config.from_mapping` (a dict with the TOML keys); both validate."""

    select: tuple[str, ...] | None = None  # None: every rule
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, str] = field(factory=dict, hash=False)  # code or prefix → level
    per_path_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (glob, codes)
    agency_kind: str | None = None
    township_deadline: str | None = None  # "MM-DD"
    format_version: str | None = None  # a format pack id
    lang: str = "both"
    output_format: str = "text"
    fail_on: str = "error"
    exit_zero: bool = False
    baseline: str | None = None
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE  # gitignore patterns, relative to ``root``
    extend_exclude: tuple[str, ...] = ()  # more of them, added to ``exclude``
    respect_gitignore: bool = True
    root: Path = field(factory=Path.cwd)  # paths in the configuration are relative to this folder
    sources: Mapping[str, str] = field(factory=dict, hash=False, eq=False)  # key → where it came from

    # -------------------------------------------------------------------------- construction
    @classmethod
    def from_mapping(
        cls,
        values: Mapping[str, object],
        *,
        source: str = "API",
        root: str | os.PathLike[str] | None = None,
        packs: Packs | None = None,
        base: Config | None = None,
        relative_to: str | os.PathLike[str] | None = None,
    ) -> Config:
        """A configuration from a mapping with the TOML keys (``{"fail-on": "warning"}``),
        over ``base`` (default: the built-in defaults). Raises :class:`ConfigError`."""
        packs = packs or load_packs()
        codes = known_codes(packs)
        cfg = base or cls(root=Path(root) if root is not None else Path.cwd())
        if root is not None:
            cfg = evolve(cfg, root=Path(root))
        changes: dict[str, Any] = {}  # Config field -> value, each of its field's type (the parsers check it)
        sources = dict(cfg.sources)
        for key, value in values.items():
            if key not in CONFIG_KEYS:
                raise ConfigError(f"unknown configuration key {key!r} in {source}{_suggest(key, CONFIG_KEYS)}")
            attr = CONFIG_KEYS[key]
            parsed = _PARSERS[attr](value, f"{key!r} ({source})", codes, packs)
            if attr == "baseline" and isinstance(parsed, str) and relative_to is not None:
                parsed = str(Path(relative_to) / parsed)  # a file's paths are relative to the file
            changes[attr] = parsed
            sources[key] = source
        return evolve(cfg, **changes, sources=sources)

    # -------------------------------------------------------------------------- use
    def source_of(self, key: str) -> str:
        return self.sources.get(key, DEFAULT_SOURCE)

    def describe(self) -> list[tuple[str, str, str]]:
        """(key, value as TOML-ish text, source) for every key, in a fixed order."""
        rows = []
        for key, attr in CONFIG_KEYS.items():
            rows.append((key, _show(getattr(self, attr)), self.source_of(key)))
        return rows

    def to_toml_dict(self) -> dict[str, object]:
        out: dict[str, object] = {}
        for key, attr in CONFIG_KEYS.items():
            v = getattr(self, attr)
            if attr == "per_path_ignores":
                v = {g: list(c) for g, c in v}
            elif isinstance(v, tuple):
                v = list(v)
            elif isinstance(v, Mapping):
                v = dict(v)
            out[key] = v
        return out


def _show(v: object) -> str:
    if v is None:
        return "(none)"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, tuple) and v and isinstance(v[0], tuple):  # per-path ignores
        return "; ".join(f"{g} → {','.join(c)}" for g, c in v)
    if isinstance(v, tuple):
        return ",".join(v) if v else "(none)"
    if isinstance(v, Mapping):
        return ", ".join(f"{k}={x}" for k, x in v.items()) if v else "(none)"
    return str(v)


# ------------------------------------------------------------------------------------ validators
def known_codes(packs: Packs | None = None) -> tuple[str, ...]:
    """Every rule code: the catalogue's and the plug-ins'."""
    packs = packs or load_packs()
    try:
        return tuple(r.spec.code for r in all_rules(packs))
    except Exception:  # a broken plug-in must not hide the catalogue
        return packs.catalogue.codes


def _split(value: object, where: str) -> list[str]:
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        out: list[str] = []
        for v in value:
            out.extend(x.strip() for x in v.split(",") if x.strip())
        return out
    raise ConfigError(f"{where}: expected a list of rule codes, got {value!r}")


def _check_code(pat: str, where: str, codes: Sequence[str]) -> str:
    p = pat.strip().upper()
    if p == "ALL":
        return p
    if not re.fullmatch(r"[A-Z][A-Z0-9]*", p) or not any(c == p or c.startswith(p) for c in codes):
        raise ConfigError(f"{where}: unknown rule code {pat!r}{_suggest(p, codes)}")
    return p


def _p_codes(value: object, where: str, codes: Sequence[str], _packs: Packs) -> tuple[str, ...]:
    return tuple(_check_code(v, where, codes) for v in _split(value, where))


def _p_select(value: object, where: str, codes: Sequence[str], packs: Packs) -> tuple[str, ...] | None:
    return _p_codes(value, where, codes, packs)


def _level(value: object, where: str) -> str:
    if not isinstance(value, str) or value.strip().lower() not in LEVELS:
        raise ConfigError(
            f"{where}: unknown level {value!r}; use one of {', '.join(LEVELS)}{_suggest(str(value).lower(), LEVELS)}"
        )
    return value.strip().lower()


def _p_severity(value: object, where: str, codes: Sequence[str], _packs: Packs) -> dict[str, str]:
    items: list[tuple[str, object]] = []
    if isinstance(value, Mapping):
        items = list(value.items())
    elif isinstance(value, (str, list, tuple)):
        for part in _split(value, where):
            if "=" not in part:
                raise ConfigError(f"{where}: expected CODE=LEVEL, got {part!r}")
            k, _, v = part.partition("=")
            items.append((k.strip(), v.strip()))
    else:
        raise ConfigError(f"{where}: expected a table of CODE = LEVEL, got {value!r}")
    out: dict[str, str] = {}
    for pattern, level in items:
        code = _check_code(str(pattern), where, codes)
        if code == "ALL":
            raise ConfigError(f"{where}: give a rule code or prefix, not ALL")
        out[code] = _level(level, f"{where} ({code})")
    return out


def _p_per_path(value: object, where: str, codes: Sequence[str], _packs: Packs) -> tuple[tuple[str, tuple[str, ...]], ...]:
    items: list[tuple[str, object]] = []
    if isinstance(value, Mapping):
        items = list(value.items())
    elif isinstance(value, (list, tuple)) or isinstance(value, str):
        for part in [value] if isinstance(value, str) else value:
            if not isinstance(part, str) or ":" not in part:
                raise ConfigError(f"{where}: expected GLOB:CODES, got {part!r}")
            g, _, c = part.rpartition(":")
            items.append((g.strip(), c))
    else:
        raise ConfigError(f"{where}: expected a table of GLOB = [codes], got {value!r}")
    out: list[tuple[str, tuple[str, ...]]] = []
    for glob, listed in items:
        if not glob:
            raise ConfigError(f"{where}: empty path pattern")
        out.append((glob, tuple(_check_code(x, f"{where} ({glob})", codes) for x in _split(listed, where))))
    return tuple(out)


def _choice(value: object, where: str, choices: Sequence[str], what: str) -> str:
    if not isinstance(value, str) or value not in choices:
        raise ConfigError(f"{where}: unknown {what} {value!r}; use one of {', '.join(choices)}{_suggest(str(value), choices)}")
    return value


def _p_agency(value: object, where: str, _c: Sequence[str], _p: Packs) -> str | None:
    if value is None:
        return None
    return _choice(value, where, [k.value for k in AgencyKind], "agency kind")


def _p_deadline(value: object, where: str, _c: Sequence[str], _p: Packs) -> str | None:
    if value is None:
        return None
    if isinstance(value, _dt.date):  # TOML would read 2024-03-31 as a date: take its month and day
        value = value.strftime("%m-%d")
    if not isinstance(value, str) or not re.fullmatch(r"\d{2}-\d{2}", value.strip()):
        raise ConfigError(f'{where}: expected a month and day as "MM-DD" (e.g. "03-31"), got {value!r}')
    try:
        _dt.date(2023, int(value[:2]), int(value[3:5]))  # not a leap year: the day must exist every year
    except ValueError:
        raise ConfigError(f"{where}: {value!r} is not a day of the year") from None
    return value.strip()


def _p_format_version(value: object, where: str, _c: Sequence[str], packs: Packs) -> str | None:
    if value is None:
        return None
    return _choice(value, where, list(packs.formats), "format version")


def _p_lang(value: object, where: str, _c: Sequence[str], _p: Packs) -> str:
    return _choice(value, where, LANGS, "language")


def _p_output(value: object, where: str, _c: Sequence[str], _p: Packs) -> str:
    return _choice(value, where, OUTPUT_FORMATS, "output format")


def _p_fail_on(value: object, where: str, _c: Sequence[str], _p: Packs) -> str:
    return _level(value, where)


def _p_bool(value: object, where: str, _c: Sequence[str], _p: Packs) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: expected true or false, got {value!r}")
    return value


def _p_patterns(value: object, where: str, _c: Sequence[str], _p: Packs) -> tuple[str, ...]:
    """gitignore-style patterns (docs/integration.md): a list of strings, or one comma-separated string."""
    if isinstance(value, str):
        items = [v.strip() for v in value.split(",")]
    elif isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        items = [v.strip() for v in value]
    else:
        raise ConfigError(f"{where}: expected a list of gitignore-style patterns, got {value!r}")
    items = [v for v in items if v]
    try:
        pathspec.GitIgnoreSpec.from_lines(items)
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"{where}: invalid pattern: {exc}") from None
    return tuple(items)


def _p_path(value: object, where: str, _c: Sequence[str], _p: Packs) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: expected a file path, got {value!r}")
    return value


_PARSERS = {
    "select": _p_select,
    "ignore": _p_codes,
    "severity": _p_severity,
    "per_path_ignores": _p_per_path,
    "agency_kind": _p_agency,
    "township_deadline": _p_deadline,
    "format_version": _p_format_version,
    "lang": _p_lang,
    "output_format": _p_output,
    "fail_on": _p_fail_on,
    "exit_zero": _p_bool,
    "baseline": _p_path,
    "exclude": _p_patterns,
    "extend_exclude": _p_patterns,
    "respect_gitignore": _p_bool,
}


# ------------------------------------------------------------------------------------ files
def find_config_file(start: str | os.PathLike[str] | None = None) -> Path | None:
    """The nearest ``opengov-lint.toml``, or ``pyproject.toml`` with a ``[tool.opengov-lint]``
    table, in ``start`` (default: the current folder) or a folder above it."""
    here = Path(start) if start is not None else Path.cwd()
    here = here.resolve()
    for folder in (here, *here.parents):
        own = folder / CONFIG_FILE
        if own.is_file():
            return own
        py = folder / "pyproject.toml"
        if py.is_file():
            try:
                data = tomllib.loads(py.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                continue  # a pyproject.toml we cannot read is not ours to complain about
            if isinstance(data.get("tool"), dict) and "opengov-lint" in data["tool"]:
                return py
    return None


def read_config_file(path: str | os.PathLike[str]) -> tuple[dict[str, object], str]:
    """The raw table and a label naming where it came from."""
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{p}: no such configuration file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{p}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{p}: invalid TOML: {exc}") from None
    if p.name == "pyproject.toml" or ("tool" in data and isinstance(data.get("tool"), dict) and "opengov-lint" in data["tool"]):
        table = data.get("tool", {}).get("opengov-lint")
        if table is None:
            raise ConfigError(f"{p}: no [tool.opengov-lint] table")
        if not isinstance(table, dict):
            raise ConfigError(f"{p}: [tool.opengov-lint] must be a table")
        return dict(table), f"{p} [tool.opengov-lint]"
    return dict(data), str(p)


def load_config(
    *,
    config_file: str | os.PathLike[str] | None = None,
    isolated: bool = False,
    overrides: Mapping[str, object] | None = None,
    override_source: str = CLI_SOURCE,
    cwd: str | os.PathLike[str] | None = None,
    packs: Packs | None = None,
) -> Config:
    """Defaults, then the configuration file (``config_file`` or the nearest one; none when
    ``isolated``), then ``overrides`` (TOML keys, e.g. from flags). Raises :class:`ConfigError`."""
    packs = packs or load_packs()
    here = Path(cwd) if cwd is not None else Path.cwd()
    cfg = Config(root=here.resolve())
    path: Path | None = None
    if config_file is not None:
        path = Path(config_file)
    elif not isolated:
        path = find_config_file(here)
    if path is not None:
        table, label = read_config_file(path)
        folder = path.resolve().parent
        cfg = Config.from_mapping(table, source=label, root=folder, packs=packs, base=cfg, relative_to=folder)
    if overrides:
        cfg = Config.from_mapping(overrides, source=override_source, packs=packs, base=cfg)
    return cfg
