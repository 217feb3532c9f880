"""A headless Chromium driven over the DevTools protocol (CDP) on a pipe: no driver, no download,
no network port. Debian's ``/usr/bin/chromium`` (``apt-get install chromium``) is enough.

    with Browser.launch(width=1400, height=1000) as b:
        b.goto("http://127.0.0.1:8080/")
        b.set_files("input[name=file]", ["report.txt"])
        b.click("button[type=submit]", wait_load=True)
        b.screenshot(Path("shot.png"))

Every call is bounded in time (:class:`BrowserError` after ``timeout`` seconds). Used by the
browser tests and by ``scripts/clerk_screenshots.py``.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-extensions",
    "--disable-sync",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
    "--remote-debugging-pipe",
)


class BrowserError(RuntimeError):
    pass


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        exe = shutil.which(name)
        if exe:
            return exe
    return "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None


class Browser:
    def __init__(self, proc: subprocess.Popen[bytes], to_browser: int, from_browser: int, profile: str, timeout: float) -> None:
        self.proc = proc
        self._out = to_browser
        self._in = from_browser
        self._profile = profile
        self.timeout = timeout
        self._id = 0
        self._buf = b""
        self.events: list[dict[str, Any]] = []
        self.session: str | None = None

    @classmethod
    def launch(cls, exe: str | None = None, *, width: int = 1400, height: int = 1000, timeout: float = 30.0) -> Browser:
        exe = exe or find_chromium()
        if exe is None:
            raise BrowserError("chromium is not installed")
        profile = tempfile.mkdtemp(prefix="opengov-lint-chromium-")
        # fd 3: the browser reads commands; fd 4: it writes answers and events. The pipe ends are
        # put on 3 and 4 for the child only: ours are saved and put back right after.
        cmd_r, cmd_w = os.pipe()
        ans_r, ans_w = os.pipe()
        high = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in (cmd_r, ans_w)]
        os.close(cmd_r)
        os.close(ans_w)
        saved: dict[int, int | None] = {}
        for target in (3, 4):
            try:
                saved[target] = fcntl.fcntl(target, fcntl.F_DUPFD_CLOEXEC, 10)
            except OSError:
                saved[target] = None
        try:
            for target, fd in zip((3, 4), high):
                os.dup2(fd, target, inheritable=True)
            proc = subprocess.Popen(
                [exe, *FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}", "about:blank"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                pass_fds=(3, 4),
                env={**os.environ, "HOME": profile},
            )
        finally:
            for target, keep in saved.items():
                if keep is None:
                    os.close(target)
                else:
                    os.dup2(keep, target, inheritable=False)
                    os.close(keep)
            for fd in high:
                os.close(fd)
        b = cls(proc, cmd_w, ans_r, profile, timeout)
        try:
            target = b.send("Target.createTarget", url="about:blank")["targetId"]
            b.session = b.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
            b.send("Page.enable")
            b.send("Runtime.enable")
            b.viewport(width, height)
        except Exception:
            b.close()
            raise
        return b

    # -- the protocol

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError("no answer from chromium in time")
            ready, _, _ = select.select([self._in], [], [], left)
            if not ready:
                continue
            chunk = os.read(self._in, 1 << 20)
            if not chunk:
                raise BrowserError("chromium closed the pipe")
            self._buf += chunk
        msg, self._buf = self._buf.split(b"\0", 1)
        out: dict[str, Any] = json.loads(msg)
        return out

    def send(self, method: str, *, session: bool = True, **params: Any) -> dict[str, Any]:
        self._id += 1
        msg: dict[str, Any] = {"id": self._id, "method": method, "params": params}
        if session and self.session and not method.startswith(("Target.", "Browser.")):
            msg["sessionId"] = self.session
        os.write(self._out, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            m = self._read(deadline)
            if m.get("id") == self._id:
                if "error" in m:
                    raise BrowserError(f"{method}: {m['error'].get('message')}")
                result: dict[str, Any] = m.get("result", {})
                return result
            if "method" in m:
                self.events.append(m)

    def wait_event(self, method: str, since: int = 0) -> dict[str, Any]:
        deadline = time.monotonic() + self.timeout
        while True:
            for e in self.events[since:]:
                if e.get("method") == method:
                    self.events.remove(e)
                    return e
            since = len(self.events)
            m = self._read(deadline)
            if "method" in m:
                self.events.append(m)

    # -- what a person does

    def viewport(self, width: int, height: int) -> None:
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False)

    def goto(self, url: str) -> None:
        self.events.clear()
        self.send("Page.navigate", url=url)
        self.wait_event("Page.loadEventFired")

    def eval(self, expression: str) -> Any:
        r = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            raise BrowserError(
                f"script failed: {r['exceptionDetails'].get('exception', {}).get('description') or r['exceptionDetails']}"
            )
        return r.get("result", {}).get("value")

    def box(self, selector: str) -> dict[str, float]:
        """The element's box in the viewport (left, top, width, height)."""
        b = self.eval(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)}); if (!e) return null;"
            " const r = e.getBoundingClientRect(); return {left: r.left, top: r.top, width: r.width, height: r.height}; })()"
        )
        if b is None:
            raise BrowserError(f"no element {selector}")
        out: dict[str, float] = b
        return out

    def click(self, selector: str, *, wait_load: bool = False) -> None:
        """A real mouse click in the middle of the element (scrolled into view first)."""
        self.eval(f"document.querySelector({json.dumps(selector)}).scrollIntoView({{block: 'center'}})")
        b = self.box(selector)
        x, y = b["left"] + min(b["width"] / 2, 20), b["top"] + b["height"] / 2
        self.events.clear()
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)
        if wait_load:
            self.wait_event("Page.loadEventFired")

    def set_files(self, selector: str, files: list[Path]) -> None:
        r = self.send("Runtime.evaluate", expression=f"document.querySelector({json.dumps(selector)})")
        obj = r.get("result", {}).get("objectId")
        if not obj:
            raise BrowserError(f"no element {selector}")
        self.send("DOM.setFileInputFiles", files=[str(Path(f).resolve()) for f in files], objectId=obj)

    def screenshot(self, path: Path, *, full_page: bool = False) -> Path:
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            params["captureBeyondViewport"] = True
            size = self.eval("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
            params["clip"] = {"x": 0, "y": 0, "width": size[0], "height": min(size[1], 16000), "scale": 1}
        data = self.send("Page.captureScreenshot", **params)["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path

    def print_pdf(self) -> bytes:
        data = self.send("Page.printToPDF", preferCSSPageSize=True, printBackground=True)["data"]
        return base64.b64decode(data)

    # -- the end

    def close(self) -> None:
        try:
            if self.proc.poll() is None:
                try:
                    os.write(self._out, json.dumps({"id": self._id + 1, "method": "Browser.close"}).encode() + b"\0")
                    self.proc.wait(timeout=5)
                except (OSError, subprocess.TimeoutExpired):
                    self.proc.kill()
                    self.proc.wait(timeout=5)
        finally:
            for fd in (self._out, self._in):
                try:
                    os.close(fd)
                except OSError:
                    pass
            shutil.rmtree(self._profile, ignore_errors=True)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
