"""`diglot serve`: a live preview of the real pages. A builder thread renders the report when
its sources change, a watcher tells it when, and a small HTTP server shows the pages."""

from __future__ import annotations

import errno
import shutil
import threading
from collections.abc import Callable

from diglot.config import Config
from diglot.errors import DiglotError, Location
from diglot.serve.builder import Builder, private_folder
from diglot.serve.watcher import Watcher, watched

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


class ServeError(DiglotError):
    category = "serve"


class Preview:
    """Everything `diglot serve` runs, started and stopped together."""

    def __init__(self, load_config: Callable[[], Config], config: Config,
                 host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
                 log: Callable[[str], None] = lambda _message: None) -> None:
        from diglot.serve.app import PreviewHTTPServer

        self.workdir = private_folder(config.output)
        self.watcher = Watcher(lambda paths: self.builder.changed(paths))
        self.builder = Builder(load_config, self.workdir, log,
                               on_config=lambda c, dirs: self.watcher.update(watched(c, dirs)))
        try:
            self.http = PreviewHTTPServer(host, port, self.builder)
        except OSError as exc:
            shutil.rmtree(self.workdir, ignore_errors=True)
            hint = (" (choose another with --port, or --port 0 for any free one)"
                    if exc.errno == errno.EADDRINUSE else "")
            raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}{hint}",
                             Location()) from None
        self.host = host
        self.port = self.http.port
        self._serving = threading.Thread(target=self.http.serve_forever, kwargs={
            "poll_interval": 0.2}, name="diglot-http", daemon=True)
        self.watcher.update(watched(config))  # at once, before the first build reads anything

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    def start(self) -> Preview:
        self.builder.start()
        self._serving.start()
        return self

    def stop(self) -> None:
        """Stop serving, watching and building (a PDF being laid out is finished first), and
        remove the private folder."""
        if self._serving.is_alive():
            self.http.shutdown()
        self.http.server_close()
        self.watcher.stop()
        self.builder.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> Preview:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()
