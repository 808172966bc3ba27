"""``transport="aiohttp"``: the same results as the default transport, asyncio only."""

from __future__ import annotations

import socket

import pytest

from tca_tapd import (
    ConnectError,
    RetryPolicy,
    ServerError,
    TAPDBasicAuth,
    TAPDClient,
    TCAClient,
    TCATokenAuth,
)
from tca_tapd.testing import (
    TAPD_API_PASSWORD,
    TAPD_API_USER,
    TCA_API_TOKEN,
    FakeControl,
    Fault,
    ServerProcess,
)

asyncio_only = pytest.mark.parametrize("anyio_backend", ["asyncio"], indirect=True)
trio_only = pytest.mark.parametrize("anyio_backend", ["trio"], indirect=True)
AUTH = TAPDBasicAuth(TAPD_API_USER, TAPD_API_PASSWORD)


@asyncio_only
async def test_the_aiohttp_transport_crawls_exactly_what_the_default_one_does(
    tapd_process: ServerProcess,
) -> None:
    async with FakeControl(tapd_process.url) as control:
        await control.reset()
    url = tapd_process.url
    async with TAPDClient(AUTH, base_url=url, rate_limit=None) as default:
        expected = await default.stories.list(10104801, page_size=25, prefetch=3).collect()
    async with TAPDClient(AUTH, base_url=url, rate_limit=None, transport="aiohttp") as fast:
        got = await fast.stories.list(10104801, page_size=25, prefetch=3).collect()
        assert type(fast.transport.http_client._transport).__name__ == "AiohttpTransport"
    assert got == expected
    assert len(got) == 120


@asyncio_only
async def test_the_aiohttp_transport_keeps_retries_and_typed_errors(
    tapd_process: ServerProcess,
) -> None:
    async with FakeControl(tapd_process.url) as control:
        await control.reset()
        await control.add_faults(Fault.http(503, times=2), Fault.reset())
        async with TAPDClient(
            AUTH,
            base_url=tapd_process.url,
            rate_limit=None,
            transport="aiohttp",
            retry=RetryPolicy(backoff_base=0.001),
        ) as tapd:
            assert await tapd.stories.count(10104801) == 120
            await control.add_faults(Fault.http(502, times=10))
            with pytest.raises(ServerError):
                await tapd.stories.count(10104801)
        assert len(await control.requests()) == 4 + 4  # 3 failed + 1 ok, then 4 refused


@asyncio_only
async def test_connection_refused_is_a_connect_error_over_aiohttp() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    async with TCAClient(
        f"http://127.0.0.1:{port}",
        TCATokenAuth(TCA_API_TOKEN),
        transport="aiohttp",
        retry=RetryPolicy(max_attempts=2, backoff_base=0.001),
    ) as tca:
        with pytest.raises(ConnectError):
            await tca.repos.get("hellotca", "demo", 1)


@trio_only
async def test_the_aiohttp_transport_refuses_trio_with_a_clear_error(
    tapd_process: ServerProcess,
) -> None:
    async with TAPDClient(
        AUTH, base_url=tapd_process.url, rate_limit=None, transport="aiohttp"
    ) as tapd:
        with pytest.raises(RuntimeError, match="asyncio only"):
            await tapd.stories.count(10104801)


def test_an_unknown_transport_name_is_refused() -> None:
    with pytest.raises(ValueError, match="'aiohttp'"):
        TAPDClient(AUTH, transport="curl")
