"""Make the screenshots of docs/clerk.md: start ``opengov-lint serve`` on a free loopback port,
drive a headless Chromium (Debian's /usr/bin/chromium, over the DevTools protocol: tests/browser.py)
through what a clerk does, and write the PNG files under docs/clerk/.

    python scripts/clerk_screenshots.py            # all of them
"""

from __future__ import annotations

import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests"), str(ROOT / "tests" / "app")]

from _reports import BASE, next_year  # noqa: E402
from browser import Browser  # noqa: E402

from opengov_lint.serve import make_server  # noqa: E402

OUT = ROOT / "docs" / "clerk"
EXAMPLE = ROOT / "examples" / "jinjiang-minzheng-2022.txt"
ALTERED = ROOT / "tests" / "data" / "integration" / "shanghai-2019-altered.txt"
WIDTH, HEIGHT = 1280, 820


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    server = make_server("127.0.0.1", 0, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with Browser.launch(width=WIDTH, height=HEIGHT, timeout=60) as b, tempfile.TemporaryDirectory() as tmp:
            b.goto(base + "/")
            b.screenshot(OUT / "1-upload.png")

            b.set_files("input[name=file]", [EXAMPLE])
            b.click("#upload button[type=submit]", wait_load=True)
            b.screenshot(OUT / "2-report.png")

            b.click('li.finding[data-code="C001"] a.goto')
            time.sleep(0.3)
            b.screenshot(OUT / "3-finding.png")

            b.goto(base + "/")
            b.set_files("input[name=file]", [ALTERED])
            b.click("#upload button[type=submit]", wait_load=True)
            n = b.eval("document.querySelector('li.finding[data-code=\"T103\"]').id.slice(2)")
            b.click(f"li#f-{n} a.goto")
            time.sleep(0.3)
            b.screenshot(OUT / "4-sums.png")

            this_year, last_year = Path(tmp) / "2024.txt", Path(tmp) / "2023.txt"
            this_year.write_text(next_year(carried=5), encoding="utf-8")
            last_year.write_text(BASE, encoding="utf-8")
            b.goto(base + "/")
            b.set_files("input[name=file]", [this_year])
            b.set_files("input[name=previous]", [last_year])
            b.click("#upload button[type=submit]", wait_load=True)
            b.eval("window.scrollTo(0, document.getElementById('crossyear').getBoundingClientRect().top + window.scrollY - 120)")
            time.sleep(0.2)
            b.screenshot(OUT / "5-last-year.png")
    finally:
        server.shutdown()
        server.server_close()
    for p in sorted(OUT.glob("*.png")):
        print(p.relative_to(ROOT), p.stat().st_size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
