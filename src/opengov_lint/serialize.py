"""JSON for the model and the findings, through one cattrs converter.

Reports round-trip exactly: ``report_from_json(report_to_json(r)) == r``. Enums are their
values, tuples are JSON arrays, absent optionals are ``null``. See docs/json.md.

Schema version 2 writes a parse note's detail as an object (version 1 wrote it as a string,
JSON inside JSON for most kinds); version 1 is still read.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import cattrs
from cattrs.preconf.json import make_converter

from .errors import ModelError
from .model import Report

__all__ = [
    "converter",
    "report_to_json",
    "report_from_json",
    "report_to_dict",
    "report_from_dict",
    "ModelError",
    "REPORT_SCHEMA_VERSION",
]

REPORT_SCHEMA_VERSION = 2
# Versions this one reads: 1 differs only in how a parse note's detail is written.
READABLE_SCHEMA_VERSIONS = (1, 2)


def _number_or_none(value: Any, _type: Any) -> int | float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"expected a number or null, got {value!r}")
    return value


def _strict(kind: type) -> Callable[[Any, Any], Any]:
    def hook(value: Any, _type: Any) -> Any:
        # JSON from other tools is validated at the edge: no silent str(3) or int("3").
        if (isinstance(value, bool) and kind is not bool) or not isinstance(value, kind):
            raise ValueError(f"expected {kind.__name__}, got {value!r}")
        return value

    return hook


converter = make_converter(forbid_extra_keys=True)
converter.register_structure_hook(int | float | None, _number_or_none)
converter.register_structure_hook(str, _strict(str))
converter.register_structure_hook(int, _strict(int))
converter.register_structure_hook(bool, _strict(bool))  # after int: bool is an int subclass


# Version 1 wrote numbers in a note's detail as strings ("size": "123").
_V1_NUMBERS = {"found", "expected", "count", "section", "pages", "limit", "size"}


# Version 1 kept the reason of an ambiguous split only as words.
_V1_SPLIT_REASONS = (
    ("longer than", "too-long"),
    ("cannot all be examined", "too-many"),
    ("no identity", "undecided"),
    ("no split", "none"),
)


def _split_from_v1(d: dict[str, Any]) -> dict[str, Any]:
    why_en = str(d.pop("why_en", ""))
    d.pop("why", None)
    reason = next((r for words, r in _V1_SPLIT_REASONS if words in why_en), "several")
    return {"candidates": "", "count": 0, **d, "reason": reason}


def _note_from_v1(note: Any) -> Any:
    """A version-1 parse note (detail a string) in the shape of version 2 (detail an object)."""
    if not isinstance(note, dict) or not isinstance(note.get("detail"), str):
        return note
    note = dict(note)
    text: str = note["detail"]
    detail: Any = None
    if text.startswith("{"):
        try:
            detail = json.loads(text)
        except ValueError:
            detail = None
    if isinstance(detail, dict):
        detail = {k: (int(v) if k in _V1_NUMBERS and isinstance(v, str) and v.isdigit() else v) for k, v in detail.items()}
        if note.get("kind") == "image-table" and detail.get("section") == "None":
            detail["section"] = None
        if note.get("kind") == "ambiguous-split":
            detail = _split_from_v1(detail)
    elif note.get("kind") == "undecodable" and "/" in text:
        bad, _, total = text.partition("/")
        detail = {"bad": int(bad), "total": int(total)} if bad.isdigit() and total.isdigit() else None
    elif text:
        detail = {"error": text}
    note["detail"] = detail
    return note


def report_to_dict(report: Report) -> dict[str, Any]:
    d = converter.unstructure(report)
    return {"schema_version": REPORT_SCHEMA_VERSION, **d}


def report_from_dict(data: Any) -> Report:
    if not isinstance(data, dict):
        raise ModelError("a report must be a JSON object")
    data = dict(data)
    version = data.pop("schema_version", REPORT_SCHEMA_VERSION)
    if isinstance(version, bool) or version not in READABLE_SCHEMA_VERSIONS:
        raise ModelError(
            f"unsupported report schema_version {version!r} (this version reads {', '.join(map(str, READABLE_SCHEMA_VERSIONS))})"
        )
    if version == 1 and isinstance(data.get("notes"), list):
        data["notes"] = [_note_from_v1(n) for n in data["notes"]]
    try:
        return converter.structure(data, Report)
    except cattrs.BaseValidationError as exc:
        msgs = cattrs.transform_error(exc)
        raise ModelError("not a report: " + "; ".join(msgs[:3])) from None
    except (ValueError, TypeError, KeyError) as exc:
        raise ModelError(f"not a report: {exc}") from None


def report_to_json(report: Report, *, indent: int | None = 2) -> str:
    return json.dumps(report_to_dict(report), ensure_ascii=False, indent=indent)


def report_from_json(text: str) -> Report:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ModelError(f"invalid JSON: {exc}") from None
    return report_from_dict(data)
