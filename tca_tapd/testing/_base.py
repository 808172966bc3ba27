"""What both fake servers share: the ASGI entry point, the request log, latency,
fault injection, a server-side rate limit and the control API under ``/__fake__/``."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

import anyio
import anyio.lowlevel
from attrs import define

from .. import _http
from .._clock import Clock, SystemClock
from ._asgi import Receive, Request, Response, Router, Scope, Send, json_response
from ._faults import Fault, FaultPlan

__all__ = ["FakeServer", "RecordedRequest"]

CONTROL_PREFIX = "/__fake__/"


@define(frozen=True)
class RecordedRequest:
    """A request the fake received; credentials are reduced to their scheme."""

    method: str
    path: str
    query: tuple[tuple[str, str], ...]
    auth_scheme: str | None
    body_size: int

    def to_json(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "method": self.method,
            "path": self.path,
            "query": [list(q) for q in self.query],
            "auth_scheme": self.auth_scheme,
            "body_size": self.body_size,
        }


ANONYMOUS = "anonymous"
"""The window requests without a valid credential are counted in."""


class FakeServer:
    """Base of :class:`~tca_tapd.testing.FakeTCA` and :class:`~tca_tapd.testing.FakeTAPD`.

    An ASGI application. Subclasses register their API routes on ``self.router``
    and implement :meth:`authenticate`, :meth:`error_response`,
    :meth:`not_found_response` and :meth:`rate_limit_response`.

    Args:
        clock: the server's notion of time (ticket windows, rate-limit windows, job
            progress); a :class:`~tca_tapd.testing.FakeClock` makes it controllable.
        latency: seconds from a request's arrival to its answer (really slept,
            server-side, after the work, so the work is part of it). Requests that
            arrive together are each timed from their own arrival, not from their
            turn at the CPU.
        rate_limit: ``(requests, window_seconds)`` per credential; beyond it the
            server answers 429.

    The control API (no auth, never faulted, never logged):

    - ``GET /__fake__/requests``: the API requests received so far;
    - ``GET /__fake__/stats``: counts, including the most requests ever in flight;
    - ``POST /__fake__/faults``: a JSON list of faults to queue (see :class:`Fault`);
    - ``POST /__fake__/config``: ``{"latency": s, "rate_limit": [n, window] | null}``;
    - ``POST /__fake__/reset``: forget faults, logs, counters, settings made through
      ``config`` and changes to the data.
    """

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        latency: float = 0.0,
        rate_limit: tuple[int, float] | None = None,
    ) -> None:
        self.clock = clock or SystemClock()
        self.latency = latency
        self.rate_limit = rate_limit
        self._initial_settings: dict[str, Any] = {"latency": latency, "rate_limit": rate_limit}
        self.router = Router()
        self.faults = FaultPlan()
        self.requests: list[RecordedRequest] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._generation = 0  # bumped by reset(): a request from before it is stale
        self._windows: dict[str, tuple[int, float]] = {}  # credential -> (count, window start)
        self._ids = itertools.count(1)

    # -- hooks for the API-specific subclasses ---------------------------------------

    def authenticate(self, request: Request) -> tuple[str | None, Response | None]:
        """The caller's identity, or the error answer for bad credentials."""
        raise NotImplementedError

    def error_response(self, status: int, message: str | None = None) -> Response:
        """The API's own error body for ``status``."""
        raise NotImplementedError

    def not_found_response(self, request: Request) -> Response:
        """The answer for a path with no route."""
        raise NotImplementedError

    def rate_limit_response(self, identity: str, limit: tuple[int, float], wait: float) -> Response:
        """The API's 429 answer."""
        raise NotImplementedError

    def rate_limit_headers(self, limit: tuple[int, float], remaining: int) -> dict[str, str]:
        """Headers describing the rate limit, sent on every answer (none by default)."""
        return {}

    advertised_rate_limit: tuple[int, float] | None = None
    """``(requests, window_seconds)`` the API's headers describe when no ``rate_limit``
    is set: counted and sent (:meth:`rate_limit_headers`), never enforced."""

    def reset_data(self) -> None:
        """Rebuild the data set (called by reset)."""

    # -- the ASGI application ---------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        request = await Request.from_asgi(scope, receive)
        if request.path.startswith(CONTROL_PREFIX):
            response = self._control(request)
        else:
            response = await self._serve(request)
        await response.send_to(send)

    def asgi_transport(self) -> _http.ASGITransport:
        """An httpx transport that sends requests straight into this app, in-process."""
        return _http.ASGITransport(app=self)

    def next_request_id(self) -> str:
        """A fresh request id for error bodies and headers."""
        return f"fake-{next(self._ids):08d}"

    async def _serve(self, request: Request) -> Response:
        generation = self._generation
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            auth = request.headers.get("authorization", "")
            self.requests.append(
                RecordedRequest(
                    method=request.method,
                    path=request.path,
                    query=tuple(request.query),
                    auth_scheme=auth.split(" ", 1)[0] if auth else None,
                    body_size=len(request.body),
                )
            )
            arrived = anyio.current_time()
            if self.latency:
                # Requests that came in together are all stamped before any is worked
                # on: a real server works on them side by side, so none of them should
                # answer later for the others' work (one process here does it in turn).
                await anyio.lowlevel.checkpoint()
            fault = self.faults.take(request.method, request.path)
            if fault is not None and fault.delay:
                await anyio.sleep(fault.delay)
            if fault is not None and fault.status is not None:
                response = self._fault_response(fault)
            elif generation != self._generation:
                # Reset while this request slept (its client has usually given up):
                # it must not write into the fresh data set.
                response = self.error_response(503)
            else:
                response = await self._dispatch(request)
                if fault is not None and fault.truncate:
                    response.body = response.body[: len(response.body) // 2]
                if fault is not None and fault.drop:
                    response.drop_after = len(response.body) // 2
            # Latency is the time from arrival to answer, as a remote server's would
            # be: the work above is part of it, so concurrent requests answer after
            # ``latency``, not after ``latency`` plus the others' turns at the CPU.
            remaining = self.latency - (anyio.current_time() - arrived)
            if remaining > 0:
                await anyio.sleep(remaining)
            return response
        finally:
            self.in_flight -= 1

    def _fault_response(self, fault: Fault) -> Response:
        if fault.body is None:
            response = self.error_response(fault.status or 500)
        else:
            response = Response(
                status=fault.status or 500,
                body=fault.body.encode(),
                headers={"content-type": fault.content_type},
            )
        response.headers.update(fault.headers)
        return response

    async def _dispatch(self, request: Request) -> Response:
        handler, params, path_exists = self.router.match(request.method, request.path)
        if handler is None and not path_exists:
            return self._counted(self.not_found_response(request))
        identity, failure = self.authenticate(request)
        if failure is not None:
            return self._counted(failure)
        limited = self._check_rate_limit(identity or ANONYMOUS)
        if isinstance(limited, Response):
            return limited
        if handler is None:
            response = self.error_response(405)
        else:
            request.params = params
            response = await handler(request)
        response.headers.update(limited)
        return response

    def _counted(self, response: Response) -> Response:
        """``response`` to a request without a valid credential (a refusal, an unknown
        path): counted in the ``ANONYMOUS`` window, with its rate-limit headers, but
        never refused for the rate (what the real servers do then is not known)."""
        limited = self._check_rate_limit(ANONYMOUS, enforce=False)
        assert not isinstance(limited, Response)
        response.headers.update(limited)
        return response

    def _check_rate_limit(self, identity: str, enforce: bool = True) -> Response | dict[str, str]:
        """Count the request in its window; a 429 answer, or the headers to add.

        Without a ``rate_limit``, the :attr:`advertised_rate_limit` is counted and its
        headers sent, but nothing is refused.
        """
        setting = self.rate_limit or self.advertised_rate_limit
        if setting is None:
            return {}
        limit, window = setting
        now = self.clock.monotonic()
        count, started = self._windows.get(identity, (0, now))
        if now - started >= window:
            count, started = 0, now
        if count >= limit:
            if enforce and self.rate_limit is not None:
                response = self.rate_limit_response(identity, setting, started + window - now)
                response.headers.update(self.rate_limit_headers(setting, 0))
                return response
            self._windows[identity] = (count, started)
            return self.rate_limit_headers(setting, 0)
        self._windows[identity] = (count + 1, started)
        return self.rate_limit_headers(setting, limit - count - 1)

    # -- the control API ---------------------------------------------------------------

    def reset(self) -> None:
        """Forget faults, the request log, counters, settings changes and data changes."""
        self.configure(self._initial_settings)
        self._generation += 1
        self.faults.clear()
        self.requests.clear()
        # in_flight is a live gauge, not a counter: requests still being served (a
        # client gave up on them, a latency is being slept) decrement it when they end,
        # so zeroing it here would drive it negative. The peak restarts from it.
        self.max_in_flight = self.in_flight
        self._windows.clear()
        self.reset_data()

    def configure(self, config: Mapping[str, Any]) -> None:
        """Apply ``latency`` and ``rate_limit`` settings."""
        for key, value in config.items():
            if key == "latency":
                self.latency = float(value)
            elif key == "rate_limit":
                self.rate_limit = (int(value[0]), float(value[1])) if value else None
                self._windows.clear()
            else:
                self.configure_extra(key, value)

    def configure_extra(self, key: str, value: Any) -> None:
        """API-specific settings; unknown keys are refused."""
        raise ValueError(f"unknown setting {key!r}")

    def _control(self, request: Request) -> Response:
        action = request.path[len(CONTROL_PREFIX) :].strip("/")
        try:
            if request.method == "GET" and action == "requests":
                return json_response(
                    {"count": len(self.requests), "requests": [r.to_json() for r in self.requests]}
                )
            if request.method == "GET" and action == "stats":
                return json_response(
                    {
                        "requests": len(self.requests),
                        "in_flight": self.in_flight,
                        "max_in_flight": self.max_in_flight,
                        "pending_faults": self.faults.pending,
                    }
                )
            if request.method == "POST" and action == "faults":
                self.faults.add(*(Fault.from_json(f) for f in request.json() or []))
                return json_response({"pending_faults": self.faults.pending})
            if request.method == "POST" and action == "config":
                self.configure(request.json() or {})
                return json_response({"ok": True})
            if request.method == "POST" and action == "reset":
                self.reset()
                return json_response({"ok": True})
        except (ValueError, TypeError, KeyError) as exc:
            return json_response({"error": str(exc)}, status=400)
        return json_response({"error": f"unknown control call {request.method} {action}"}, 404)
