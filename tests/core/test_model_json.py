"""The report model's JSON: parse notes carry typed details (schema 2), and schema 1 is still read."""

from __future__ import annotations

import pytest

from opengov_lint.errors import ModelError
from opengov_lint.model import (
    CellCountDetail,
    DecodeDetail,
    ErrorDetail,
    ImageTableDetail,
    LimitDetail,
    NoteKind,
    ParseNote,
    Report,
    SplitDetail,
)
from opengov_lint.serialize import REPORT_SCHEMA_VERSION, report_from_dict, report_to_dict

NOTES = [
    ParseNote(kind=NoteKind.MISSING_CELLS, message="m", detail=CellCountDetail(table="table3", row=None, found=3, expected=7)),
    ParseNote(
        kind=NoteKind.AMBIGUOUS_SPLIT, message="m", detail=SplitDetail("table2", "规章", "7713", "several", "7|713；77|13", 2)
    ),
    ParseNote(kind=NoteKind.IMAGE_TABLE, message="m", detail=ImageTableDetail(heading="二、…", src="a.png", section=2)),
    ParseNote(kind=NoteKind.OVER_LIMIT, message="m", detail=LimitDetail(limit_kind="size", limit=20, size=30)),
    ParseNote(kind=NoteKind.UNDECODABLE, message="m", detail=DecodeDetail(bad=3, total=40)),
    ParseNote(kind=NoteKind.NOT_A_REPORT, message="m", detail=ErrorDetail(error="bad markup")),
    ParseNote(kind=NoteKind.EMPTY, message="m"),
]


@pytest.mark.parametrize("note", NOTES, ids=lambda n: n.kind.value)
def test_note_details_round_trip(note: ParseNote) -> None:
    report = Report(notes=(note,))
    data = report_to_dict(report)
    assert data["schema_version"] == REPORT_SCHEMA_VERSION == 2
    assert report_from_dict(data) == report


def test_a_note_kind_is_its_name() -> None:
    assert NoteKind.EMPTY == "empty" and ParseNote(kind="empty", message="").kind is NoteKind.EMPTY


@pytest.mark.parametrize(
    ("kind", "detail", "expected"),
    [
        ("missing-cells", '{"table": "table3", "row": null, "found": 3, "expected": 7}', CellCountDetail("table3", None, 3, 7)),
        ("over-limit", '{"limit_kind": "size", "size": "30", "limit": "20"}', LimitDetail(limit_kind="size", limit=20, size=30)),
        (
            "over-limit",
            '{"limit_kind": "depth", "limit": "250", "detail": "depth 300"}',
            LimitDetail(limit_kind="depth", limit=250, detail="depth 300"),
        ),
        ("image-table", '{"heading": "二、…", "src": "a.png", "section": "2"}', ImageTableDetail("二、…", "a.png", 2)),
        ("undecodable", "3/40", DecodeDetail(bad=3, total=40)),
        ("not-a-report", "bad markup", ErrorDetail(error="bad markup")),
        ("empty", "", None),
        (
            "ambiguous-split",
            '{"table": "table2", "label": "规章", "run": "7713", "why": "有2种拆分都满足表内关系", "why_en": "2 splits satisfy the table\'s identities", "candidates": "7|713；77|13", "count": 2}',
            SplitDetail("table2", "规章", "7713", "several", "7|713；77|13", 2),
        ),
    ],
)
def test_schema_1_notes_are_read(kind: str, detail: str, expected: object) -> None:
    note = {"kind": kind, "message": "m", "span": None, "detail": detail}
    assert report_from_dict({"schema_version": 1, "notes": [note]}).notes[0].detail == expected


def test_unknown_schema_versions_are_refused() -> None:
    for version in (0, 3, True, "2"):
        with pytest.raises(ModelError, match="schema_version"):
            report_from_dict({"schema_version": version})
