"""Shared fixtures: both async backends, and the fakes reached in-process or over loopback.

Every async test runs on asyncio and on trio (``anyio_backend``). Tests that take a
``tca_target`` or ``tapd_target`` run twice more: against the fake in-process
(``httpx.ASGITransport``) and against the same fake running as a separate server
process on a loopback socket.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import attrs
import pytest

from tca_tapd import _http
from tca_tapd.testing import (
    FakeControl,
    FakeServer,
    FakeTAPD,
    FakeTCA,
    ServerProcess,
    serve_in_thread,
)


@pytest.fixture(scope="module", params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    """Run every async test on both backends."""
    return str(request.param)


@attrs.define
class Target:
    """How a test reaches a fake: its URL, and the transport for in-process use."""

    mode: str
    base_url: str
    transport: _http.AsyncBaseTransport | None
    fake: FakeServer | None
    control: FakeControl

    def options(self, **extra: Any) -> dict[str, Any]:
        """Client keyword arguments reaching this fake."""
        if self.transport is not None:
            extra["transport"] = self.transport
        return extra


@pytest.fixture(scope="session")
def tca_process() -> Iterator[ServerProcess]:
    """A fake TCA in its own process, shared by the session (reset before each use)."""
    with ServerProcess("tca") as server:
        yield server


@pytest.fixture(scope="session")
def tapd_process() -> Iterator[ServerProcess]:
    """A fake TAPD in its own process, shared by the session (reset before each use)."""
    with ServerProcess("tapd") as server:
        yield server


async def _target(mode: str, process: ServerProcess, fake: FakeServer, url: str) -> Target:
    if mode == "asgi":
        transport = fake.asgi_transport()
        return Target(mode, url, transport, fake, FakeControl(url, transport=transport))
    control = FakeControl(process.url)
    await control.reset()
    return Target(mode, process.url, None, None, control)


@pytest.fixture(params=["asgi", "loopback"])
async def tca_target(
    request: pytest.FixtureRequest, tca_process: ServerProcess
) -> AsyncIterator[Target]:
    """A fresh fake TCA (in-process), or the shared server process after a reset."""
    target = await _target(request.param, tca_process, FakeTCA(), "http://tca.test")
    yield target
    await target.control.aclose()


@pytest.fixture(params=["asgi", "loopback"])
async def tapd_target(
    request: pytest.FixtureRequest, tapd_process: ServerProcess
) -> AsyncIterator[Target]:
    """A fresh fake TAPD (in-process), or the shared server process after a reset."""
    target = await _target(request.param, tapd_process, FakeTAPD(), "http://tapd.test")
    yield target
    await target.control.aclose()


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Any:
    """``cli("tca", "repos", ...)`` runs the CLI in this process and returns a
    :class:`~tests._cli_support.Result`."""
    from ._cli_support import run_cli  # the CLI's own imports, only where it is used

    return lambda *args: run_cli(capsys, *args)


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[FakeTCA, str, FakeTAPD, str]]:
    """A fake TCA and a fake TAPD on loopback sockets (in threads) for the module: the
    CLI's tests reach them through its environment variables."""
    tca, tapd = FakeTCA(), FakeTAPD()
    with serve_in_thread(tca) as tca_url, serve_in_thread(tapd) as tapd_url:
        yield tca, tca_url, tapd, tapd_url
