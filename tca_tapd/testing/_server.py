"""Serving a fake on a real loopback socket: in a thread, or as a separate process.

Both need uvicorn (``pip install 'tca-tapd[testing]'``). In-process use needs
nothing: pass ``fake.asgi_transport()`` to a client.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

__all__ = ["ServerProcess", "serve_in_thread"]

READY_PREFIX = "tca-tapd fake listening on "


def _uvicorn() -> Any:
    try:
        import uvicorn
    except ImportError:  # pragma: no cover - depends on the install
        raise RuntimeError(
            "serving a fake on a socket needs uvicorn: pip install 'tca-tapd[testing]'"
        ) from None
    return uvicorn


def bind_loopback(host: str = "127.0.0.1", port: int = 0) -> socket.socket:
    """A listening socket on ``host:port`` (0 picks a free port)."""
    # proto=IPPROTO_TCP: asyncio sets TCP_NODELAY only on sockets that say so; without
    # it every response waits ~40 ms for a delayed ACK (Nagle) on loopback.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(1024)
    return sock


def make_server(app: Any, sock: socket.socket) -> Any:
    """A uvicorn server for ``app`` on an already listening socket."""
    uvicorn = _uvicorn()
    config = uvicorn.Config(
        app, log_level="warning", access_log=False, lifespan="off", timeout_keep_alive=30
    )
    return uvicorn.Server(config)


@contextmanager
def serve_in_thread(app: Any, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve ``app`` with uvicorn in a background thread; yields its base URL.

    The socket listens before the URL is yielded, so the first request cannot be
    refused; the app object is shared, so a test can still reach its state.
    """
    sock = bind_loopback(host, port)
    server = make_server(app, sock)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


class ServerProcess:
    """A fake running as its own process (``python -m tca_tapd.testing serve``).

    Use as a context manager; :attr:`url` is its base URL. Script it through its
    control API (:class:`~tca_tapd.testing.FakeControl`).

    Args:
        api: ``"tca"`` or ``"tapd"``.
        options: keyword arguments for :class:`FakeTCA` / :class:`FakeTAPD`
            (JSON-serialisable ones: sizes, seed, credentials, latency, rate_limit).
        host: the loopback address to listen on.
    """

    def __init__(
        self, api: str, options: Mapping[str, Any] | None = None, host: str = "127.0.0.1"
    ) -> None:
        if api not in ("tca", "tapd"):
            raise ValueError(f"api must be 'tca' or 'tapd', got {api!r}")
        self.api = api
        self.options = dict(options or {})
        self.host = host
        self.url = ""
        self._process: subprocess.Popen[str] | None = None

    def start(self) -> str:
        """Start the process and wait until it listens; returns the base URL."""
        command = [
            sys.executable, "-m", "tca_tapd.testing", "serve", self.api,
            "--host", self.host, "--port", "0", "--options", json.dumps(self.options),
        ]  # fmt: skip
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self._process = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
        )
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line.startswith(READY_PREFIX):
            self.stop()
            error = self._process.stderr.read() if self._process.stderr else ""
            raise RuntimeError(f"fake {self.api} server did not start: {line!r} {error[-2000:]}")
        self.url = line[len(READY_PREFIX) :].strip()
        return self.url

    def stop(self) -> None:
        """Stop the process."""
        if self._process is None:
            return
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        for stream in (self._process.stdout, self._process.stderr):
            if stream is not None:
                stream.close()

    def __enter__(self) -> ServerProcess:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def run_forever(app: Any, host: str, port: int) -> None:
    """Serve ``app`` in this process until interrupted, announcing the URL on stdout."""
    sock = bind_loopback(host, port)
    server = make_server(app, sock)
    sys.stdout.write(f"{READY_PREFIX}http://{host}:{sock.getsockname()[1]}\n")
    sys.stdout.flush()
    server.run(sockets=[sock])
