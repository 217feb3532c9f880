"""``opengov-lint serve``: the clerk's view as a local web application (docs/clerk.md).

Built on the standard library's ``http.server`` (one thread per connection, a bounded number of
checks at once): no framework to install, no network access at run time, every asset inside the
package. It listens on 127.0.0.1 unless told ``host``; uploads are read into memory, checked and
dropped with the response — nothing is written to disk.

    >>> from opengov_lint.serve import make_server
    >>> server = make_server("127.0.0.1", 0)       # a free port
    >>> server.server_address[1]                  # the port chosen
"""

from __future__ import annotations

import socket
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from ..config import Config
from ..packs import Packs
from .app import MAX_BODY_BYTES, App, Response, is_loopback

__all__ = ["App", "Response", "make_server", "serve", "is_loopback", "DEFAULT_PORT", "READ_TIMEOUT"]

DEFAULT_PORT = 8765
READ_TIMEOUT = 60.0  # seconds a connection may stay silent while a request is read
_DISCARD_LIMIT = 4 * MAX_BODY_BYTES  # an oversized body is read and dropped up to this, so the page can say why


class _Handler(BaseHTTPRequestHandler):
    server_version = "opengov-lint"
    sys_version = ""
    timeout = READ_TIMEOUT
    protocol_version = "HTTP/1.1"
    app: App  # set on the subclass make_server builds
    quiet = False

    def _send(self, r: Response, *, head_only: bool = False) -> None:
        self.send_response(r.status)
        self.send_header("Content-Type", r.content_type)
        self.send_header("Content-Length", str(len(r.body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("X-Frame-Options", "DENY")
        for k, v in r.headers:
            self.send_header(k, v)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if not head_only:
            self.wfile.write(r.body)

    def _host(self) -> str:
        return self.headers.get("Host", "")

    def do_GET(self) -> None:
        self._send(self.app.handle("GET", self.path, self._host(), "", b""))

    def do_HEAD(self) -> None:
        self._send(self.app.handle("HEAD", self.path, self._host(), "", b""), head_only=True)

    def do_POST(self) -> None:
        length_text = self.headers.get("Content-Length")
        if length_text is None or not length_text.isdigit():
            self.close_connection = True
            self._send(self.app.message(411, "请求缺少长度", "the request has no Content-Length"))
            return
        length = int(length_text)
        if length > MAX_BODY_BYTES:
            self.close_connection = True
            self._drain(length)
            mb = MAX_BODY_BYTES / 1048576
            self._send(
                self.app.message(413, f"上传内容过大（上限约 {mb:.0f} MB）", f"the upload is over the limit of about {mb:.0f} MB")
            )
            return
        body = self.rfile.read(length)
        if len(body) < length:
            self.close_connection = True
            return  # the client went away
        self._send(self.app.handle("POST", self.path, self._host(), self.headers.get("Content-Type", ""), body))

    def _drain(self, length: int) -> None:
        left = min(length, _DISCARD_LIMIT)
        try:
            while left > 0:
                chunk = self.rfile.read(min(left, 1 << 20))
                if not chunk:
                    break
                left -= len(chunk)
        except OSError:
            pass

    def do_PUT(self) -> None:
        self._other("PUT")

    def do_DELETE(self) -> None:
        self._other("DELETE")

    def _other(self, method: str) -> None:
        self.close_connection = True
        self._send(self.app.handle(method, self.path, self._host(), "", b""))

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base class's name)
        if not self.quiet:
            sys.stderr.write(f"opengov-lint serve: {self.address_string()} {format % args}\n")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, handler)


def make_server(
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    *,
    config: Config | None = None,
    packs: Packs | None = None,
    quiet: bool = False,
    app: App | None = None,
) -> ThreadingHTTPServer:
    """A server bound to ``host``:``port`` (0: a free port), not yet serving."""
    the_app = app or App(config, packs, bound_host=host)
    handler = type("Handler", (_Handler,), {"app": the_app, "quiet": quiet})
    return _Server((host, port), handler)


def serve(host: str = "127.0.0.1", port: int = DEFAULT_PORT, *, config: Config | None = None, quiet: bool = False) -> None:
    """Serve until interrupted (Ctrl+C)."""
    server = make_server(host, port, config=config, quiet=quiet)
    bound_host, bound_port = str(server.server_address[0]), int(server.server_address[1])
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    if not is_loopback(host):
        print(
            f"opengov-lint serve: 注意：正在监听 {host}，能访问本机的任何人都可以使用 / "
            f"warning: listening on {host}: anyone who can reach this machine can use it",
            file=sys.stderr,
        )
    print(f"opengov-lint serve: http://{shown}:{bound_port}/  （Ctrl+C 停止 / to stop）", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
