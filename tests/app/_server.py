"""Support (no tests): ``opengov-lint serve`` on a free loopback port in a thread, and a small
HTTP client that posts forms the way a browser does."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from attrs import frozen

from opengov_lint.serve import make_server


@frozen
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


@contextmanager
def running_server(**kwargs: object) -> Iterator[str]:
    """The base URL of a server on 127.0.0.1 and a free port, stopped afterwards."""
    server = make_server("127.0.0.1", 0, quiet=True, **kwargs)  # type: ignore[arg-type]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def multipart(fields: dict[str, str] | None = None, files: dict[str, tuple[str, bytes]] | None = None) -> tuple[bytes, str]:
    boundary = "----opengovlint" + uuid.uuid4().hex
    out = b""
    for name, value in (fields or {}).items():
        out += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + value.encode("utf-8") + b"\r\n"
    for name, (filename, data) in (files or {}).items():
        out += (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            ).encode()
            + data
            + b"\r\n"
        )
    out += f"--{boundary}--\r\n".encode()
    return out, f"multipart/form-data; boundary={boundary}"


def request(
    url: str, *, data: bytes | None = None, content_type: str | None = None, host: str | None = None, method: str | None = None
) -> Reply:
    req = urllib.request.Request(url, data=data, method=method)
    if content_type:
        req.add_header("Content-Type", content_type)
    if host:
        req.add_header("Host", host)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:  # noqa: S310 (a loopback test server)
            return Reply(r.status, {k.lower(): v for k, v in r.headers.items()}, r.read())
    except urllib.error.HTTPError as e:
        return Reply(e.code, {k.lower(): v for k, v in e.headers.items()}, e.read())


def post_files(
    base: str, path: str = "/check", *, fields: dict[str, str] | None = None, **files: Path | tuple[str, bytes]
) -> Reply:
    payload = {k: (v.name, v.read_bytes()) if isinstance(v, Path) else v for k, v in files.items()}
    body, ctype = multipart(fields, payload)
    return request(base + path, data=body, content_type=ctype)
