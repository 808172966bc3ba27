"""FakeControl: script a fake through its control API, wherever it runs."""

from __future__ import annotations

from typing import Any

from .. import _http, _json
from .._aclose import AsyncCloseable
from ._faults import Fault

__all__ = ["FakeControl"]


class FakeControl(AsyncCloseable):
    """Talks to a fake's ``/__fake__/`` control API, in-process or over a socket.

    Args:
        base_url: the fake's base URL.
        transport: for an in-process fake, ``fake.asgi_transport()``.
    """

    def __init__(self, base_url: str, *, transport: _http.AsyncBaseTransport | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._client = _http.AsyncClient(transport=transport, timeout=30.0)

    async def _call(self, method: str, action: str, payload: Any = None) -> Any:
        response = await self._client.request(
            method,
            f"{self.base_url}/__fake__/{action}",
            content=_json.dumps(payload) if payload is not None else None,
            headers={"content-type": "application/json"},
        )
        data = _json.loads(response.content)
        if response.status_code != 200:
            raise RuntimeError(f"fake control call {action} failed: {data}")
        return data

    async def add_faults(self, *faults: Fault) -> int:
        """Queue faults; returns how many fault hits are pending."""
        data = await self._call("POST", "faults", [f.to_json() for f in faults])
        return int(data["pending_faults"])

    async def requests(self) -> list[dict[str, Any]]:
        """The API requests the fake received since the last reset."""
        data = await self._call("GET", "requests")
        return list(data["requests"])

    async def stats(self) -> dict[str, int]:
        """``requests``, ``in_flight``, ``max_in_flight``, ``pending_faults``."""
        return dict(await self._call("GET", "stats"))

    async def configure(self, **settings: Any) -> None:
        """Change settings: ``latency``, ``rate_limit=(n, window)`` or ``None``, and
        API-specific ones (``ticket_window`` for TCA)."""
        await self._call("POST", "config", settings)

    async def reset(self) -> None:
        """Forget faults, logs, counters and data changes."""
        await self._call("POST", "reset", {})

    async def aclose(self) -> None:
        """Close the connection."""
        await self._client.aclose()
