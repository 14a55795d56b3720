"""The preview's HTTP side: a handful of routes, each looked up by its exact shape. Nothing of
a URL reaches the file system: an edition is a key of the builder's dict of editions, a page a
number, and the files served are the ones the builder wrote."""

from __future__ import annotations

import contextlib
import ipaddress
import json
import re
import socket
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

from diglot.serve.builder import Builder
from diglot.serve.page import CONTENT_SECURITY_POLICY, HTML

_PAGE = re.compile(r"^([0-9]{1,6})\.png$")
_DOWNLOAD = re.compile(r"^(.+)\.(pdf|docx)$")
MIME = {"pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class PreviewHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True  # a restarted preview gets its port back at once

    def __init__(self, host: str, port: int, builder: Builder) -> None:
        if ":" in host:
            self.address_family = socket.AF_INET6
        self.builder = builder
        super().__init__((host, port), PreviewHandler)
        self.port = self.server_address[1]
        # Behind a loopback address, only requests naming it are answered: a web page that
        # points a name of its own at 127.0.0.1 (DNS rebinding) cannot read the preview.
        self.hosts: set[str] | None = None
        if is_loopback(host):
            names = {"localhost", "127.0.0.1", "[::1]", f"[{host}]" if ":" in host else host}
            self.hosts = {f"{name}:{self.port}" for name in names}


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewHTTPServer
    server_version = "diglot-preview"
    sys_version = ""
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass  # a request every 300 ms is no news

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def do_GET(self) -> None:
        self._answer(head=False)

    def _refuse(self) -> None:
        self._send(HTTPStatus.METHOD_NOT_ALLOWED, b"only GET and HEAD\n", "text/plain",
                   extra={"Allow": "GET, HEAD"})

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _refuse

    def _answer(self, head: bool) -> None:
        self.head = head
        hosts = self.server.hosts
        if hosts is not None and (self.headers.get("Host") or "").lower() not in hosts:
            self._send(HTTPStatus.FORBIDDEN, b"unknown host\n", "text/plain")
            return
        parts = urlsplit(self.path)
        segments = [unquote(s) for s in parts.path.split("/")[1:]]
        query = parse_qs(parts.query)
        builder = self.server.builder
        if segments == [""]:
            self._send(HTTPStatus.OK, HTML, "text/html; charset=utf-8")
        elif segments == ["state"]:
            self._state(builder, (query.get("edition") or [None])[0])
        elif len(segments) == 3 and segments[0] == "pages" and _PAGE.match(segments[2]):
            self._page(builder, segments[1], int(_PAGE.match(segments[2])[1]))  # type: ignore[index]
        elif len(segments) == 2 and segments[0] == "download" and _DOWNLOAD.match(segments[1]):
            name, kind = _DOWNLOAD.match(segments[1]).groups()  # type: ignore[union-attr]
            self._download(builder, name, kind)
        else:
            self._not_found()

    def _state(self, builder: Builder, asked: str | None) -> None:
        with builder.lock:
            names = list(builder.editions)
            name = asked if asked in builder.editions else (names[0] if names else None)
            view = builder.editions.get(name) if name else None
            pages = view.pages if view else ()
            state = {
                "build": builder.build,
                "building": builder.building,
                "edition": name,
                "editions": names,
                "pages_build": view.build if view else 0,
                "page_count": len(pages),
                "pages": [{"n": n, "v": p.version, "w": p.width, "h": p.height}
                          for n, p in enumerate(pages, 1)],
                "error": [p.as_json() for p in builder.error] or None,
                "warnings": len(view.warnings) if view else 0,
                "warning_list": view.warnings[:200] if view else [],
                "fallbacks": view.fallbacks if view else 0,
                "downloads": {kind: f"/download/{_quote(name)}.{kind}" for kind in MIME}
                if view and view.pdf else {},
            }
        if name:
            builder.want(name)
        self._send(HTTPStatus.OK, json.dumps(state).encode(), "application/json")

    def _page(self, builder: Builder, edition: str, number: int) -> None:
        with builder.lock:
            view = builder.editions.get(edition)
            image = view.pages[number - 1] if view and 1 <= number <= len(view.pages) else None
        if image is None:
            self._not_found()
        else:
            self._send(HTTPStatus.OK, image.png, "image/png")

    def _download(self, builder: Builder, edition: str, kind: str) -> None:
        with builder.lock:
            view = builder.editions.get(edition)
            report = builder.report_id
            pdf = view.pdf if view else None
        if view is None or pdf is None:
            self._not_found()
            return
        path = builder.download(edition, kind)
        if path is None:
            self._send(HTTPStatus.SERVICE_UNAVAILABLE, f"the {kind.upper()} could not be "
                       "written; the terminal running diglot serve says why\n".encode(),
                       "text/plain")
            return
        try:
            body = path.read_bytes()
        except OSError:
            self._not_found()
            return
        filename = f"{report}-{edition}.{kind}"
        self._send(HTTPStatus.OK, body, MIME[kind], extra={
            "Content-Disposition": f"attachment; filename=\"{_ascii(filename)}\""})

    def _not_found(self) -> None:
        self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain")

    def _send(self, status: HTTPStatus, body: bytes, mime: str,
              extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", mime)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        self.send_header("X-Frame-Options", "DENY")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cross-Origin-Resource-Policy", "same-origin")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if not getattr(self, "head", False):
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")


def _ascii(name: str) -> str:
    return "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_"
                   for c in name)
