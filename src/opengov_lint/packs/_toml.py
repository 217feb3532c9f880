"""Reading a pack file and structuring it into its typed classes, failing with the file, the key
and the reason (:class:`~opengov_lint.errors.PackError`) on the first thing that is wrong."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, get_origin

import cattrs
from cattrs.v import format_exception

from ..errors import PackError

__all__ = ["converter", "read_toml", "structure", "pack_error"]

T = TypeVar("T")

# Packs are written by people: an unknown key is a typo to report, never a key to ignore.
converter = cattrs.Converter(forbid_extra_keys=True)


def _strict(kind: type[T]) -> Callable[[object, object], T]:
    def hook(value: object, _type: object) -> T:
        # No silent str(3) or int("3"): a quoted number in a pack is a mistake to show.
        if (isinstance(value, bool) and kind is not bool) or not isinstance(value, kind):
            raise ValueError(f"expected {kind.__name__}, got {value!r}")
        return value

    return hook


def _float(value: object, _type: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"expected a number, got {value!r}")
    return float(value)


def _pattern(value: object, _type: object) -> re.Pattern[str]:
    if not isinstance(value, str):
        raise ValueError(f"expected a regular expression, got {value!r}")
    try:
        return re.compile(value)
    except re.error as exc:
        raise ValueError(f"bad regular expression {value!r}: {exc}") from None


converter.register_structure_hook(str, _strict(str))
converter.register_structure_hook(int, _strict(int))
converter.register_structure_hook(bool, _strict(bool))
converter.register_structure_hook(float, _float)
converter.register_structure_hook_func(lambda t: get_origin(t) is re.Pattern or t is re.Pattern, _pattern)  # type: ignore[comparison-overlap]  # mypy reads re.Pattern as a generic alias; at run time a bare re.Pattern is a class


def pack_error(path: Path, key: str, reason: str) -> PackError:
    return PackError(f"{path}: {key or '(top level)'}: {reason}")


def read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise PackError(f"cannot read rule pack {path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise PackError(f"{path}: not valid TOML: {exc}") from None


def _reason(exc: BaseException, type_: type | None) -> str:
    # The hooks above say what they expected in their own words; cattrs' words for the rest.
    if isinstance(exc, ValueError) and str(exc).startswith(("expected", "bad regular expression")):
        return str(exc)
    return format_exception(exc, type_)


_WHERE = re.compile(r"^(?P<reason>.*) @ \$\.?(?P<key>.*)$")


def structure(data: object, cls: type[T], path: Path) -> T:
    """``data`` (read from ``path``) as a ``cls``; a :class:`PackError` names the first bad key."""
    try:
        return converter.structure(data, cls)
    except cattrs.BaseValidationError as exc:
        first = cattrs.transform_error(exc, format_exception=_reason)[0]
        m = _WHERE.match(first)
        reason, key = (m.group("reason"), m.group("key")) if m else (first, "")
        raise pack_error(path, key, reason) from None
    except (ValueError, TypeError, KeyError) as exc:
        raise pack_error(path, "", str(exc)) from None
