"""A very small ASGI toolkit for the fake servers: requests, responses, routing.

The fakes depend on nothing outside the standard library and tca-tapd's own runtime
dependencies, so they run in-process (``httpx.ASGITransport``) with a plain install;
only serving them on a socket needs the ``testing`` extra (uvicorn).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from typing import Any
from urllib.parse import parse_qsl

from attrs import define, field

from .. import _http, _json

__all__ = ["Request", "Response", "Route", "Router", "json_response"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


@define
class Request:
    """An HTTP request as the fake sees it."""

    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes = b""
    scheme: str = "http"
    host: str = "testserver"
    params: dict[str, str] = field(factory=dict)
    """Path parameters captured by the route."""

    def arg(self, name: str, default: str | None = None) -> str | None:
        """The first query value of ``name``."""
        for key, value in self.query:
            if key == name:
                return value
        return default

    @property
    def args(self) -> dict[str, str]:
        """Query parameters (first value of each)."""
        out: dict[str, str] = {}
        for key, value in self.query:
            out.setdefault(key, value)
        return out

    def json(self) -> Any:
        """The body as JSON (``None`` when empty)."""
        return _json.loads(self.body) if self.body else None

    def form(self) -> dict[str, str]:
        """The body as a form, or as a JSON object when sent as JSON."""
        if "json" in self.headers.get("content-type", ""):
            data = self.json()
            if not isinstance(data, dict):
                return {}
            return {
                k: v if isinstance(v, str) else _json.dumps(v).decode() for k, v in data.items()
            }
        return dict(parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True))

    def url_for(self, path: str, query: str = "") -> str:
        """An absolute URL on the host the request came to (as Django builds ``next``)."""
        return f"{self.scheme}://{self.host}{path}" + (f"?{query}" if query else "")

    @classmethod
    async def from_asgi(cls, scope: Scope, receive: Receive) -> Request:
        """Read the whole request from ASGI."""
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        return cls(
            method=scope["method"].upper(),
            path=scope["path"],
            query=parse_qsl(scope.get("query_string", b"").decode(), keep_blank_values=True),
            headers=headers,
            body=b"".join(chunks),
            scheme=scope.get("scheme", "http"),
            host=headers.get("host", "testserver"),
        )


@define
class Response:
    """An HTTP response the fake will send.

    ``drop_after`` sends only that many body bytes and then breaks the connection
    (a connection reset mid-body).
    """

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(factory=dict)
    drop_after: int | None = None

    async def send_to(self, send: Send) -> None:
        """Write the response to ASGI."""
        headers = {"content-length": str(len(self.body)), **self.headers}
        await send(
            {
                "type": "http.response.start",
                "status": self.status,
                "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
            }
        )
        if self.drop_after is not None:
            await send(
                {
                    "type": "http.response.body",
                    "body": self.body[: self.drop_after],
                    "more_body": True,
                }
            )
            # Over a socket the server aborts the connection. In-process (httpx's
            # ASGITransport re-raises app errors) the client sees the very error
            # httpx raises for a body cut short on a real connection.
            raise _http.RemoteProtocolError("fake server dropped the connection mid-body")
        await send({"type": "http.response.body", "body": self.body})


def json_response(
    payload: Any, status: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    """A JSON response."""
    return Response(
        status=status,
        body=_json.dumps(payload),
        headers={"content-type": "application/json", **(headers or {})},
    )


Handler = Callable[[Request], Awaitable[Response]]


@define(frozen=True)
class Route:
    """One route: a method and a path pattern with ``{name}`` placeholders."""

    method: str
    pattern: re.Pattern[str]
    handler: Handler


class Router:
    """Routes by method and path; placeholders match one path segment."""

    def __init__(self) -> None:
        self.routes: list[Route] = []

    def add(self, method: str, template: str, handler: Handler) -> None:
        """Register ``handler`` for ``method template`` (``/orgs/{org_sid}/``)."""
        regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template)
        self.routes.append(Route(method.upper(), re.compile(f"^{regex}$"), handler))

    def match(self, method: str, path: str) -> tuple[Handler | None, dict[str, str], bool]:
        """The handler and path parameters; the flag says the path exists for another method."""
        path_exists = False
        for route in self.routes:
            found = route.pattern.match(path)
            if found is None:
                continue
            if route.method == method:
                return route.handler, found.groupdict(), True
            path_exists = True
        return None, {}, path_exists
