"""Chinese is drawn as glyphs in CI's browser, not as boxes: without a CJK font (.ci/run installs
Debian's fonts-noto-cjk with chromium) every character of a report page is the same empty box,
and a screenshot test of the page would pass on a page nobody can read.

Two checks, in the font stack of the HTML report: a Chinese heading is as wide as its characters
(a CJK glyph is one em wide), and different characters give different pixels (boxes are alike)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from opengov_lint.outputs.html import render_html_page

SIZE = 48  # px
CHARS = "政府信息公开"
# The font stack the report page asks for (its first family), read from the page itself.
_FAMILY = re.compile(r"body\{font-family:([^;}]+)")


def _chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run installs it")
        pytest.skip("chromium is not installed (apt-get install chromium fonts-noto-cjk)")
    return exe


def _run(exe: str, *args: str) -> subprocess.CompletedProcess[str]:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--force-device-scale-factor=1"]
    return subprocess.run(
        [exe, *flags, "--window-size=800,400", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "HOME": os.environ.get("HOME", "/tmp")},
    )


def _font_stack() -> str:
    from opengov_lint.checker import check_text

    page = render_html_page(check_text("2023年政府信息公开工作年度报告\n一、总体情况\n无。\n"))
    m = _FAMILY.search(page)
    return m.group(1) if m else "sans-serif"


def _page(font: str) -> str:
    cells = "".join(f'<span id="c{i}" class=g>{ch}</span>' for i, ch in enumerate(CHARS))
    return (
        f"<!DOCTYPE html><html><head><meta charset=utf-8><style>body{{margin:0;background:#fff;font-family:{font}}}"
        f".g{{display:inline-block;font-size:{SIZE}px;line-height:{SIZE + 16}px;color:#000}}"
        f"h1{{font-size:{SIZE}px;font-weight:normal;margin:0;display:inline-block}}</style></head>"
        f"<body><h1 id=h>{CHARS}</h1><br>{cells}</body></html>"
    )


MEASURE = """<script>
const out = {h: document.getElementById('h').getBoundingClientRect().width, c: []};
for (const s of document.querySelectorAll('.g')) { const r = s.getBoundingClientRect(); out.c.push([r.left, r.top, r.width, r.height]); }
document.title = 'M' + JSON.stringify(out);
</script>"""


def test_chinese_renders_as_glyphs_in_the_browser(tmp_path: Path) -> None:
    from PIL import Image, ImageChops

    exe = _chromium()
    page = _page(_font_stack())
    probe = tmp_path / "probe.html"
    probe.write_text(page.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    dom = _run(exe, "--dump-dom", probe.as_uri())
    m = re.search(r"<title>M(.*?)</title>", dom.stdout, re.S)
    assert m, dom.stderr[-2000:]
    geometry = json.loads(m.group(1).replace("&quot;", '"'))
    # 1. a CJK glyph is about one em wide: six characters at 48px are about 288px
    assert 0.9 * SIZE * len(CHARS) <= geometry["h"] <= 1.1 * SIZE * len(CHARS), geometry["h"]
    # 2. each character is drawn (ink in its box) and no two are the same picture
    shot = tmp_path / "shot.png"
    shown = tmp_path / "page.html"
    shown.write_text(page, encoding="utf-8")
    _run(exe, f"--screenshot={shot}", shown.as_uri())
    img = Image.open(shot).convert("L")
    crops = []
    for left, top, w, h in geometry["c"]:
        crop = img.crop((int(left), int(top), int(left + w), int(top + h)))
        dark = sum(1 for px in crop.tobytes() if px < 128)
        assert dark > 0.02 * crop.width * crop.height, "a character left no ink"
        crops.append(crop)
    for i in range(len(crops)):
        for j in range(i + 1, len(crops)):
            diff = ImageChops.difference(crops[i], crops[j].resize(crops[i].size))
            assert diff.getbbox() is not None, f"“{CHARS[i]}” and “{CHARS[j]}” are drawn alike: boxes, not glyphs"
