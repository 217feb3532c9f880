"""Issue 3: input problems are findings or a clean exit 2, never tracebacks; hostile inputs are
refused quickly and with bounded memory."""

from __future__ import annotations

import io
import json
import os
import time
import tracemalloc
import zipfile

import pytest
from conftest import PAGES

from opengov_lint import InputError, lint, parse
from opengov_lint.cli import main


def quick(fn):
    tracemalloc.start()
    t = time.perf_counter()
    try:
        out = fn()
    finally:
        elapsed = time.perf_counter() - t
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert elapsed < 2.0, elapsed  # generous on a loaded machine; typically well under 0.1 s
    assert peak < 64 * 1024 * 1024, peak
    return out


def codes_of(path_or_bytes, **kw):
    return lint(parse(path_or_bytes, **kw)).codes


def minimal_docx(document_xml: bytes, extra: dict[str, bytes] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        z.writestr("word/document.xml", document_xml)
        for k, v in (extra or {}).items():
            z.writestr(k, v)
    return buf.getvalue()


def test_file_over_the_size_limit_is_not_read(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:  # a sparse 100 MB file
        fh.truncate(100 * 1024 * 1024)
    result = quick(lambda: lint(parse(big)))
    assert result.codes == ["X004"]
    f = result.findings[0]
    assert f.severity.value == "error" and "104857600" in f.message_zh
    assert main(["check", str(big)]) == 1


def test_binary_junk_named_txt(tmp_path):
    junk = tmp_path / "report.txt"
    junk.write_bytes(os.urandom(200_000))
    assert quick(lambda: codes_of(junk)) == ["X001"]


def test_empty_file(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert codes_of(empty) == ["X001"]
    assert codes_of(b"   \n\n", input_format="html") == ["X001"]


def test_docx_zip_bomb(tmp_path):
    bomb = minimal_docx(b"<w:document>" + b" " * (30 * 1024 * 1024) + b"</w:document>")
    assert len(bomb) < 200_000
    path = tmp_path / "bomb.docx"
    path.write_bytes(bomb)
    result = quick(lambda: lint(parse(path)))
    assert result.codes == ["X004"]
    assert "word/document.xml" in result.findings[0].message_zh


def test_docx_entity_expansion_and_external_entities(tmp_path):
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&c;&x;</w:t></w:r></w:p></w:body></w:document>'
    )
    path = tmp_path / "laughs.docx"
    path.write_bytes(minimal_docx(laughs))
    result = quick(lambda: lint(parse(path)))
    assert result.codes == ["X004"]
    assert "DTD" in result.findings[0].message_zh


def test_broken_docx_is_an_input_error(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(InputError):
        parse(path)
    assert main(["check", str(path)]) == 2


def test_scanned_pdf_needs_ocr(tmp_path):
    # one page, no text layer (what a scan without OCR looks like to a text extractor)
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
        b"<< /Length 0 >>\nstream\n\nendstream",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + o + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path = tmp_path / "scan.pdf"
    path.write_bytes(out)
    result = lint(parse(path))
    assert result.codes == ["X003"]
    assert "OCR" in result.findings[0].message_zh


def test_broken_pdf_and_legacy_doc_exit_2(tmp_path, capsys):
    pdf = tmp_path / "broken.pdf"
    pdf.write_bytes(b"%PDF-1.7\n" + os.urandom(5000))
    doc = tmp_path / "old.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    for p in (pdf, doc):
        assert main(["check", str(p)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("opengov-lint: error:") and "Traceback" not in err


def test_input_format_override(tmp_path, capsys):
    page = (PAGES / "017.html").read_bytes()
    path = tmp_path / "page.txt"
    path.write_bytes(page)
    # named .txt: read as text (markup and all) unless told otherwise
    assert main(["check", str(path), "--input-format", "html", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    # read as HTML, the page gives its tables cleanly; only its prose slip 一是…三是…三是 remains
    assert [f["code"] for f in out["reports"][0]["findings"]] == ["P005"]
    assert main(["check", str(path), "--input-format", "nonsense"]) == 2


def test_missing_file_exit_2(capsys):
    assert main(["check", "/nonexistent/report.html"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


@pytest.mark.parametrize("fmt", [None, "text", "html", "docx", "pdf"])
def test_random_bytes_never_raise_anything_but_input_error(fmt):
    import random

    rng = random.Random(20260)
    heads = [
        b"%PDF-1.4\n",
        b"PK\x03\x04",
        b"<html><meta charset='bogus'><body>",
        b"<table><tr><td rowspan='x' colspan='-5'>",
        b"\xef\xbb\xbf",
        b"",
    ]
    for _ in range(40):
        data = rng.choice(heads) + bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 2000)))
        try:
            result = lint(parse(data, input_format=fmt))
        except InputError as exc:
            assert "\n" not in str(exc)
        else:
            assert result.findings  # never a silent pass on junk


def test_text_over_the_limit_given_as_str_or_bytes():
    big = "一" * (21 * 1024 * 1024)
    assert quick(lambda: codes_of(big)) == ["X004"]
    assert codes_of(b"x" * (21 * 1024 * 1024)) == ["X004"]
