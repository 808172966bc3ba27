"""Auth strategies: TCA tickets and tokens, TAPD Basic/Bearer, and TAPD app tokens.

Tickets are checked against the documented formula recomputed here with hashlib; the
app-token flow runs against the fake TAPD (single flight, expiry, replay on refusal).
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
from collections.abc import Callable
from typing import Any

import anyio
import httpx
import pytest

from tca_tapd import (
    TAPDBasicAuth,
    TAPDBearerAuth,
    TAPDClient,
    TAPDClientCredentialsAuth,
    TCAClient,
    TCATicketAuth,
    TCATokenAuth,
)
from tca_tapd._retry import RetryPolicy
from tca_tapd.auth import tca_ticket, token_rejected
from tca_tapd.errors import AuthenticationError, DecodeError
from tca_tapd.testing import (
    TAPD_ACCESS_TOKEN,
    TAPD_CLIENT_ID,
    TAPD_CLIENT_SECRET,
    TCA_TOKEN,
    TCA_USER_ID,
    FakeClock,
    FakeTAPD,
    FakeTCA,
    Fault,
)

from .conftest import Target

WORKSPACE = 10104801
TOKEN_PATH = "/tokens/request_token"


def expected_ticket(ts: int, user_id: str, token: str) -> str:
    """The documented formula, written out independently of the SDK."""
    text = f"{ts}{user_id}#{token}#{user_id}{ts}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest().upper()


def sign(auth: httpx.Auth, request: httpx.Request | None = None) -> httpx.Request:
    """Run a synchronous auth flow for one attempt and return the request it sends."""
    request = request or httpx.Request("GET", "https://tca.example/server/main/api/orgs/")
    flow = auth.auth_flow(request)
    signed = next(flow)
    with pytest.raises(StopIteration):
        flow.send(httpx.Response(200, request=signed))
    return signed


class RecordingTransport(httpx.AsyncBaseTransport):
    """Forwards to another transport, keeping every request's URL and headers."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.headers: list[dict[str, str]] = []
        self.urls: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.urls.append(str(request.url))
        self.headers.append({k.lower(): v for k, v in request.headers.items()})
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


# == tca_ticket ==============================================================================


def test_tca_ticket_literal_known_answer() -> None:
    # sha256("1700000000alice#s3cret#alice1700000000"), upper-case hex
    assert (
        tca_ticket(1_700_000_000, "alice", "s3cret")
        == "24E1CD18D44CD22F0A2356B34C036E68C085F5B7794AA7C49F6EE81608135A2E"
    )


@pytest.mark.parametrize(
    ("ts", "user_id", "token"),
    [
        (1_700_000_000, "alice", "s3cret"),
        (0, "u", "t"),
        (1_732_352_000, "8a3f2c1d", "0123456789abcdef0123456789abcdef01234567"),
        (1_600_000_000, "张三", "令牌#with#hashes"),
        (2_000_000_000, "user with spaces", " "),
    ],
)
def test_tca_ticket_matches_documented_formula(ts: int, user_id: str, token: str) -> None:
    ticket = tca_ticket(ts, user_id, token)
    assert ticket == expected_ticket(ts, user_id, token)
    assert len(ticket) == 64
    assert ticket == ticket.upper()
    assert all(c in "0123456789ABCDEF" for c in ticket)


def test_tca_ticket_depends_on_every_input() -> None:
    base = tca_ticket(1_700_000_000, "alice", "s3cret")
    assert tca_ticket(1_700_000_001, "alice", "s3cret") != base
    assert tca_ticket(1_700_000_000, "alicf", "s3cret") != base
    assert tca_ticket(1_700_000_000, "alice", "s3cres") != base


# == TCATicketAuth ===========================================================================


def test_ticket_auth_sets_exactly_the_three_headers() -> None:
    auth = TCATicketAuth("alice", "s3cret", clock=lambda: 1_700_000_000.0)
    before = set(httpx.Request("GET", "https://tca.example/").headers.keys())
    signed = sign(auth)
    added = set(signed.headers.keys()) - before
    assert added == {"tca-userid", "tca-timestamp", "tca-ticket"}
    assert "authorization" not in signed.headers
    assert signed.headers["TCA-USERID"] == "alice"
    assert signed.headers["TCA-TIMESTAMP"] == "1700000000"
    assert signed.headers["TCA-TICKET"] == expected_ticket(1_700_000_000, "alice", "s3cret")


def test_ticket_auth_timestamp_is_whole_seconds() -> None:
    auth = TCATicketAuth("alice", "s3cret", clock=lambda: 1_700_000_123.987)
    headers = auth.headers()
    assert headers["TCA-TIMESTAMP"] == "1700000123"
    assert headers["TCA-TICKET"] == expected_ticket(1_700_000_123, "alice", "s3cret")


def test_ticket_auth_signs_each_attempt_with_a_fresh_timestamp() -> None:
    clock = FakeClock(start=1_700_000_000.0)
    auth = TCATicketAuth(TCA_USER_ID, TCA_TOKEN, clock=clock.time)
    request = httpx.Request("GET", "https://tca.example/server/main/api/orgs/")
    first = dict(sign(auth, request).headers)
    clock.advance(7.5)
    second = dict(sign(auth, request).headers)
    assert first["tca-timestamp"] == "1700000000"
    assert second["tca-timestamp"] == "1700000007"
    assert second["tca-ticket"] == expected_ticket(1_700_000_007, TCA_USER_ID, TCA_TOKEN)
    assert first["tca-ticket"] != second["tca-ticket"]


@pytest.mark.parametrize(("offset", "stamp"), [(30, 1_700_000_030), (-45.5, 1_699_999_954)])
def test_ticket_auth_clock_offset_is_added(offset: float, stamp: int) -> None:
    auth = TCATicketAuth("alice", "s3cret", clock=lambda: 1_700_000_000.0, clock_offset=offset)
    assert auth.clock_offset == float(offset)
    headers = auth.headers()
    assert headers["TCA-TIMESTAMP"] == str(stamp)
    assert headers["TCA-TICKET"] == expected_ticket(stamp, "alice", "s3cret")


def test_ticket_auth_defaults_to_the_system_clock() -> None:
    low = int(time.time())
    stamp = int(TCATicketAuth("alice", "s3cret").headers()["TCA-TIMESTAMP"])
    assert low <= stamp <= int(time.time())


async def test_ticket_auth_retried_request_is_signed_again() -> None:
    clock = FakeClock(start=1_700_000_000.0)
    fake = FakeTCA(clock=clock)
    fake.faults.add(Fault.http(503, retry_after=5))
    recorder = RecordingTransport(fake.asgi_transport())
    auth = TCATicketAuth(TCA_USER_ID, TCA_TOKEN, clock=clock.time)
    async with TCAClient("http://tca.test", auth, transport=recorder, clock=clock) as tca:
        repo = await tca.repos.get("hellotca", "demo", 4)
    assert repo.id == 4
    assert clock.sleeps == [5.0]
    stamps = [int(h["tca-timestamp"]) for h in recorder.headers]
    assert stamps == [1_700_000_000, 1_700_000_005]
    for headers, stamp in zip(recorder.headers, stamps, strict=True):
        assert headers["tca-userid"] == TCA_USER_ID
        assert headers["tca-ticket"] == expected_ticket(stamp, TCA_USER_ID, TCA_TOKEN)


async def test_ticket_auth_clock_offset_corrects_skew_against_the_server() -> None:
    server_clock = FakeClock(start=1_700_003_000.0)  # 3000 s ahead of ours
    fake = FakeTCA(clock=server_clock, ticket_window=60.0)

    def our_clock() -> float:
        return server_clock.time() - 3000.0

    skewed = TCATicketAuth(TCA_USER_ID, TCA_TOKEN, clock=our_clock)
    options: dict[str, Any] = {"transport": fake.asgi_transport(), "retry": RetryPolicy.never()}
    async with TCAClient("http://tca.test", skewed, **options) as tca:
        with pytest.raises(AuthenticationError) as info:
            await tca.repos.get("hellotca", "demo", 4)
    assert info.value.api_code == -3
    corrected = TCATicketAuth(TCA_USER_ID, TCA_TOKEN, clock=our_clock, clock_offset=3000)
    async with TCAClient("http://tca.test", corrected, **options) as tca:
        assert (await tca.repos.get("hellotca", "demo", 4)).id == 4


# == static header strategies ================================================================


def test_token_auth_header() -> None:
    signed = sign(TCATokenAuth("0123456789abcdef0123456789abcdef01234567"))
    assert signed.headers["Authorization"] == "Token 0123456789abcdef0123456789abcdef01234567"
    assert "tca-ticket" not in signed.headers


def test_token_auth_replaces_an_existing_authorization_header() -> None:
    request = httpx.Request("GET", "https://tca.example/", headers={"Authorization": "Bearer x"})
    assert sign(TCATokenAuth("abc"), request).headers.get_list("Authorization") == ["Token abc"]


def test_tapd_basic_auth_header() -> None:
    signed = sign(TAPDBasicAuth("demo_api_user", "p@ss:wörd"))
    scheme, encoded = signed.headers["Authorization"].split(" ")
    assert scheme == "Basic"
    assert base64.b64decode(encoded).decode("utf-8") == "demo_api_user:p@ss:wörd"
    assert TAPDBasicAuth("demo_api_user", "x").api_user == "demo_api_user"


def test_tapd_basic_auth_known_answer() -> None:
    # RFC 7617's example credentials
    signed = sign(TAPDBasicAuth("Aladdin", "open sesame"))
    assert signed.headers["Authorization"] == "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="


def test_tapd_bearer_auth_header() -> None:
    signed = sign(TAPDBearerAuth("demo-personal-access-token"))
    assert signed.headers["Authorization"] == "Bearer demo-personal-access-token"


def test_static_auth_sends_the_same_header_every_attempt() -> None:
    auth = TAPDBearerAuth("tok-1")
    assert [sign(auth).headers["Authorization"] for _ in range(3)] == ["Bearer tok-1"] * 3


# == construction errors and secrecy =========================================================

SECRET = "sup3r-s3cret-value-XYZ"

Factory = Callable[[Any], object]


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("user_id", lambda v: TCATicketAuth(v, SECRET)),
        ("token", lambda v: TCATicketAuth("alice", v)),
        ("token", lambda v: TCATokenAuth(v)),
        ("api_user", lambda v: TAPDBasicAuth(v, SECRET)),
        ("api_password", lambda v: TAPDBasicAuth("demo_api_user", v)),
        ("access_token", lambda v: TAPDBearerAuth(v)),
        ("client_id", lambda v: TAPDClientCredentialsAuth(v, SECRET)),
        ("client_secret", lambda v: TAPDClientCredentialsAuth("demo-app", v)),
    ],
)
class TestConstructionErrors:
    @pytest.mark.parametrize("empty", ["", "   ", "\t\n"])
    def test_empty_value_is_value_error_naming_the_argument(
        self, name: str, make: Factory, empty: str
    ) -> None:
        with pytest.raises(ValueError, match=rf"\b{name}\b") as info:
            make(empty)
        assert SECRET not in str(info.value)

    @pytest.mark.parametrize("suffix", ["\r", "\n", "\r\n", "\x00", "\x7f"])
    def test_a_control_character_is_refused_without_showing_the_value(
        self, name: str, make: Factory, suffix: str
    ) -> None:
        # A token read from a file often ends in a line break; sent on, httpx would
        # refuse the header with an error quoting it.
        with pytest.raises(ValueError, match=rf"\b{name}\b.*control character") as info:
            make(SECRET + suffix)
        assert SECRET not in f"{info.value} {info.value!r}"

    @pytest.mark.parametrize("wrong", [None, 12345, SECRET.encode(), [SECRET]])
    def test_non_str_value_is_type_error_naming_the_argument(
        self, name: str, make: Factory, wrong: object
    ) -> None:
        with pytest.raises(TypeError, match=rf"\b{name}\b") as info:
            make(wrong)
        text = f"{info.value} {info.value!r}"
        assert SECRET not in text
        assert "12345" not in text


def test_ticket_auth_refuses_a_clock_that_is_not_callable() -> None:
    with pytest.raises(TypeError, match="clock"):
        TCATicketAuth("alice", SECRET, clock=1_700_000_000.0)  # type: ignore[arg-type]


@pytest.mark.parametrize("offset", ["30", True, None])
def test_ticket_auth_refuses_a_non_numeric_clock_offset(offset: object) -> None:
    with pytest.raises(TypeError, match="clock_offset") as info:
        TCATicketAuth("alice", SECRET, clock_offset=offset)  # type: ignore[arg-type]
    assert SECRET not in str(info.value)


@pytest.mark.parametrize(
    ("auth", "shown"),
    [
        (TCATicketAuth("alice", SECRET), "alice"),
        (TCATokenAuth(SECRET), "TCATokenAuth"),
        (TAPDBasicAuth("demo_api_user", SECRET), "demo_api_user"),
        (TAPDBearerAuth(SECRET), "TAPDBearerAuth"),
        (TAPDClientCredentialsAuth("demo-app", SECRET), "demo-app"),
    ],
)
def test_reprs_never_contain_the_secret(auth: httpx.Auth, shown: str) -> None:
    text = f"{auth!r} {auth!s}"
    assert SECRET not in text
    assert "<hidden>" in repr(auth)
    assert shown in repr(auth)


def test_client_credentials_auth_is_async_only() -> None:
    auth = TAPDClientCredentialsAuth(TAPD_CLIENT_ID, TAPD_CLIENT_SECRET)
    with pytest.raises(RuntimeError, match="AsyncClient"):
        auth.sync_auth_flow(httpx.Request("GET", "http://tapd.test/stories"))


# == token_rejected ==========================================================================


@pytest.mark.parametrize(
    ("status", "content", "rejected"),
    [
        (401, b'{"status":401,"data":"","info":"401 Unauthorized"}', True),
        (401, b"<html>nope</html>", True),
        (422, b'{"status":422,"data":"","info":"The access token provided is invalid"}', True),
        (422, b'{"status":422,"data":"","info":"workspace_id is required"}', False),
        (422, b"not json", False),
        (422, b"[1, 2]", False),
        (403, b'{"status":403,"info":"access token lacks scope"}', False),
        (200, b'{"status":1,"data":[],"info":"success"}', False),
    ],
)
def test_token_rejected(status: int, content: bytes, rejected: bool) -> None:
    assert token_rejected(httpx.Response(status, content=content)) is rejected


# == TAPDClientCredentialsAuth against the fake ==============================================


def app_client(fake: FakeTAPD, auth: httpx.Auth, clock: FakeClock | None = None) -> TAPDClient:
    options: dict[str, Any] = {"transport": fake.asgi_transport(), "rate_limit": None}
    if clock is not None:
        options["clock"] = clock
    return TAPDClient(auth, base_url="http://tapd.test", **options)


def token_fetches(fake: FakeTAPD) -> int:
    return sum(1 for r in fake.requests if r.method == "POST" and r.path == TOKEN_PATH)


async def test_app_token_is_fetched_once_and_cached() -> None:
    fake = FakeTAPD()
    auth = TAPDClientCredentialsAuth(TAPD_CLIENT_ID, TAPD_CLIENT_SECRET)
    async with app_client(fake, auth) as tapd:
        counts = [await tapd.stories.count(WORKSPACE) for _ in range(3)]
    assert counts == [120, 120, 120]
    assert auth.fetch_count == 1
    assert [(r.method, r.path, r.auth_scheme) for r in fake.requests] == [
        ("POST", TOKEN_PATH, "Basic"),
        ("GET", "/stories/count", "Bearer"),
        ("GET", "/stories/count", "Bearer"),
        ("GET", "/stories/count", "Bearer"),
    ]
    assert fake.requests[0].body_size == len(b"grant_type=client_credentials")
    assert len(fake.issued_tokens) == 1


async def test_concurrent_requests_share_one_token_fetch(tapd_target: Target) -> None:
    auth = TAPDClientCredentialsAuth(TAPD_CLIENT_ID, TAPD_CLIENT_SECRET)
    results: list[int] = []
    async with TAPDClient(
        auth, base_url=tapd_target.base_url, rate_limit=None, **tapd_target.options()
    ) as tapd:

        async def one() -> None:
            results.append(await tapd.stories.count(WORKSPACE))

        async with anyio.create_task_group() as tg:
            for _ in range(20):
                tg.start_soon(one)
    assert results == [120] * 20
    assert auth.fetch_count == 1
    log = await tapd_target.control.requests()
    posts = [r for r in log if r["method"] == "POST"]
    assert [(r["path"], r["auth_scheme"]) for r in posts] == [(TOKEN_PATH, "Basic")]
    gets = [r for r in log if r["method"] == "GET"]
    assert len(gets) == 20
    assert {r["auth_scheme"] for r in gets} == {"Bearer"}


@pytest.mark.parametrize(("lifetime", "margin"), [(7200, 60.0), (300, 10.0), (120, 0.0)])
async def test_app_token_is_refreshed_before_it_expires(lifetime: int, margin: float) -> None:
    clock = FakeClock()
    fake = FakeTAPD(clock=clock, token_lifetime=lifetime)
    auth = TAPDClientCredentialsAuth(
        TAPD_CLIENT_ID, TAPD_CLIENT_SECRET, clock=clock, refresh_margin=margin
    )
    async with app_client(fake, auth, clock) as tapd:
        await tapd.stories.count(WORKSPACE)
        assert auth.fetch_count == 1
        clock.advance(lifetime - margin - 1)
        await tapd.stories.count(WORKSPACE)
        assert auth.fetch_count == 1  # still inside the margin: cached
        clock.advance(1.5)
        await tapd.stories.count(WORKSPACE)
        assert auth.fetch_count == 2
        await tapd.stories.count(WORKSPACE)
    assert auth.fetch_count == 2
    assert token_fetches(fake) == 2
    assert len(fake.issued_tokens) == 2
    # no request was refused: the new token came before the server's expiry
    assert [r.path for r in fake.requests].count("/stories/count") == 4


async def test_token_the_server_no_longer_accepts_is_refetched_and_replayed() -> None:
    clock = FakeClock()
    fake = FakeTAPD(clock=clock)
    auth = TAPDClientCredentialsAuth(TAPD_CLIENT_ID, TAPD_CLIENT_SECRET, clock=clock)
    async with app_client(fake, auth, clock) as tapd:
        assert await tapd.stories.count(WORKSPACE) == 120
        fake.issued_tokens.clear()  # the server forgets the token (revoked, restarted…)
        assert await tapd.stories.count(WORKSPACE) == 120
    assert auth.fetch_count == 2
    assert [(r.method, r.path) for r in fake.requests] == [
        ("POST", TOKEN_PATH),
        ("GET", "/stories/count"),
        ("GET", "/stories/count"),  # refused: 422 "The access token provided is invalid"
        ("POST", TOKEN_PATH),
        ("GET", "/stories/count"),  # replayed with the new token
    ]
    assert len(fake.issued_tokens) == 1


async def test_refused_token_is_refetched_once_for_many_concurrent_requests(
    tapd_target: Target,
) -> None:
    auth = TAPDClientCredentialsAuth(TAPD_CLIENT_ID, TAPD_CLIENT_SECRET)
    results: list[int] = []
    async with TAPDClient(
        auth, base_url=tapd_target.base_url, rate_limit=None, **tapd_target.options()
    ) as tapd:
        await tapd.stories.count(WORKSPACE)
        await tapd_target.control.reset()  # the fake forgets every token it issued

        async def one() -> None:
            results.append(await tapd.stories.count(WORKSPACE))

        async with anyio.create_task_group() as tg:
            for _ in range(10):
                tg.start_soon(one)
    assert results == [120] * 10
    assert auth.fetch_count == 2
    log = await tapd_target.control.requests()
    assert [r["path"] for r in log if r["method"] == "POST"] == [TOKEN_PATH]


async def test_token_refused_twice_is_not_refetched_again() -> None:
    fake = FakeTAPD()
    auth = TAPDClientCredentialsAuth(TAPD_CLIENT_ID, TAPD_CLIENT_SECRET)
    # Every answer to the data request says the token is invalid.
    fake.faults.add(
        Fault(
            status=422,
            body='{"status":422,"data":"","info":"The access token provided is invalid"}',
            path="/stories/count",
            times=5,
        )
    )
    async with app_client(fake, auth) as tapd:
        with pytest.raises(AuthenticationError) as info:
            await tapd.stories.count(WORKSPACE)
    assert info.value.status_code == 422
    assert auth.fetch_count == 2
    assert [(r.method, r.path) for r in fake.requests] == [
        ("POST", TOKEN_PATH),
        ("GET", "/stories/count"),
        ("POST", TOKEN_PATH),
        ("GET", "/stories/count"),
    ]


async def test_wrong_client_secret_is_authentication_error_without_the_secret() -> None:
    fake = FakeTAPD()
    auth = TAPDClientCredentialsAuth(TAPD_CLIENT_ID, SECRET)
    async with app_client(fake, auth) as tapd:
        with pytest.raises(AuthenticationError) as info:
            await tapd.stories.count(WORKSPACE)
    err = info.value
    assert err.status_code == 401
    assert err.method == "POST"
    assert TAPD_CLIENT_ID in str(err)
    for text in (str(err), repr(err), err.message, err.url):
        assert SECRET not in text
    assert err.body == b""
    assert auth.fetch_count == 0
    # only the token request was made; no data request went out unauthenticated
    assert [(r.method, r.path) for r in fake.requests] == [("POST", TOKEN_PATH)]


async def test_token_endpoint_answering_html_is_decode_error() -> None:
    fake = FakeTAPD()
    fake.faults.add(
        Fault(status=200, body="<html>maintenance</html>", content_type="text/html", path="token")
    )
    auth = TAPDClientCredentialsAuth(TAPD_CLIENT_ID, TAPD_CLIENT_SECRET)
    async with app_client(fake, auth) as tapd:
        with pytest.raises(DecodeError) as info:
            await tapd.stories.count(WORKSPACE)
    assert info.value.body == b"<html>maintenance</html>"
    assert info.value.content_type == "text/html"
    assert auth.fetch_count == 0


async def test_default_token_url_is_on_the_origin_of_the_request() -> None:
    fake = FakeTAPD()
    recorder = RecordingTransport(fake.asgi_transport())
    auth = TAPDClientCredentialsAuth(TAPD_CLIENT_ID, TAPD_CLIENT_SECRET)
    async with TAPDClient(
        auth, base_url="http://tapd.test/some/prefix", transport=recorder, rate_limit=None
    ) as tapd:
        # the prefixed path is unknown to TAPD: 200 with the greeting string
        with pytest.raises(DecodeError):
            await tapd.stories.count(WORKSPACE)
    assert recorder.urls[0] == "http://tapd.test/tokens/request_token"
    assert recorder.urls[1].startswith("http://tapd.test/some/prefix/stories/count?")


async def test_explicit_token_url_is_used() -> None:
    fake = FakeTAPD()
    recorder = RecordingTransport(fake.asgi_transport())
    auth = TAPDClientCredentialsAuth(
        TAPD_CLIENT_ID, TAPD_CLIENT_SECRET, token_url="http://auth.tapd.test/tokens/request_token"
    )
    async with TAPDClient(
        auth, base_url="http://tapd.test", transport=recorder, rate_limit=None
    ) as tapd:
        assert await tapd.stories.count(WORKSPACE) == 120
    assert auth.fetch_count == 1
    assert recorder.urls[0] == "http://auth.tapd.test/tokens/request_token"
    token_headers = recorder.headers[0]
    assert token_headers["content-type"] == "application/x-www-form-urlencoded"
    expected = base64.b64encode(f"{TAPD_CLIENT_ID}:{TAPD_CLIENT_SECRET}".encode()).decode()
    assert token_headers["authorization"] == f"Basic {expected}"
    assert recorder.headers[1]["authorization"].startswith("Bearer app-token-")


async def test_an_app_token_unusable_in_a_header_is_refused_without_quoting_it() -> None:
    fake = FakeTAPD()
    token = "abc\r\nleaked-token"  # a line break inside: unusable in a header
    body = json.dumps({"status": 1, "data": {"access_token": token}, "info": "success"})
    fake.faults.add(Fault(status=200, body=body, method="POST", path=TOKEN_PATH))
    auth = TAPDClientCredentialsAuth(TAPD_CLIENT_ID, TAPD_CLIENT_SECRET)
    async with app_client(fake, auth) as tapd:
        with pytest.raises(AuthenticationError) as info:
            await tapd.stories.count(WORKSPACE)
    assert "leaked-token" not in f"{info.value} {info.value!r}"
    assert [r.path for r in fake.requests] == [TOKEN_PATH]  # nothing sent with it


async def test_an_odd_token_lifetime_falls_back_to_two_hours() -> None:
    fake = FakeTAPD()
    body = '{"status":1,"data":{"access_token":"%s","expires_in":"soon"},"info":"success"}'
    fake.faults.add(
        Fault(status=200, body=body % TAPD_ACCESS_TOKEN, method="POST", path=TOKEN_PATH)
    )
    clock = FakeClock()
    auth = TAPDClientCredentialsAuth(TAPD_CLIENT_ID, TAPD_CLIENT_SECRET, clock=clock)
    async with app_client(fake, auth, clock) as tapd:
        assert await tapd.stories.count(WORKSPACE) == 120
        clock.advance(7200 - 61)
        assert await tapd.stories.count(WORKSPACE) == 120
    assert auth.fetch_count == 1


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("user_id", lambda v: TCATicketAuth(v, SECRET)),
        ("token", lambda v: TCATokenAuth(v)),
        ("access_token", lambda v: TAPDBearerAuth(v)),
    ],
)
def test_a_credential_sent_as_is_in_a_header_must_be_ascii(name: str, make: Factory) -> None:
    # httpx would fail on it with a UnicodeEncodeError whose repr holds the value.
    with pytest.raises(ValueError, match=rf"\b{name}\b must be ASCII") as info:
        make(SECRET + "é")
    assert SECRET not in f"{info.value} {info.value!r}"


def test_credentials_that_are_hashed_or_encoded_may_be_any_text() -> None:
    TCATicketAuth("alice", "jeton-é")  # hashed into the ticket
    TAPDBasicAuth("émile", "mot-de-passe-é")  # base64 of UTF-8
