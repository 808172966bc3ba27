"""Secrets never show: not in reprs, error messages (whole exception chains), logs, or
the fakes' request logs.

Every secret here contains the marker ``S3CRET``; derived forms (Basic credentials in
base64, TCA tickets, app tokens the fake issued) are checked explicitly.
"""

from __future__ import annotations

import base64
import json
import logging
import traceback
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import httpx
import pytest

from tca_tapd import (
    AuthenticationError,
    NotFoundError,
    TAPDBasicAuth,
    TAPDBearerAuth,
    TAPDClient,
    TAPDClientCredentialsAuth,
    TCAClient,
    TCATicketAuth,
    TCATokenAuth,
    tca_ticket,
)
from tca_tapd._redact import redact_repo_url
from tca_tapd.tapd.models import Attachment
from tca_tapd.tca.models import JobProject, ProjectRepo, Repo
from tca_tapd.testing import (
    TAPD_API_PASSWORD,
    TAPD_API_USER,
    TCA_API_TOKEN,
    FakeClock,
    FakeTAPD,
    FakeTCA,
)

from .conftest import Target

MARK = "S3CRET"
TCA_USER = "dev-user"
TCA_PERSONAL_TOKEN = "S3CRET-TCA-PERSONAL-7f3a"
TCA_KEY = "S3CRET-TOKEN-xyz-0123456789abcdef"
TAPD_USER = "svc_account"
TAPD_PASSWORD = "S3CRET-TAPD-PASSWORD-q7w8"
TAPD_PAT = "S3CRET-TAPD-PAT-e4r5"
APP_ID = "ci-app"
APP_SECRET = "S3CRET-TAPD-APP-SECRET-t6y7"
WRONG = "S3CRET-WRONG-u8i9"

ORG, TEAM, WS = "hellotca", "demo", 10104801


def b64(user: str, secret: str) -> str:
    return base64.b64encode(f"{user}:{secret}".encode()).decode()


FORBIDDEN = [
    MARK,
    b64(TAPD_USER, TAPD_PASSWORD),
    b64(TAPD_USER, WRONG),
    b64(APP_ID, APP_SECRET),
    b64(APP_ID, WRONG),
    b64(TAPD_API_USER, TAPD_API_PASSWORD),
    TAPD_API_PASSWORD,
]


def assert_clean(text: str, extra: Iterable[str] = ()) -> None:
    for secret in [*FORBIDDEN, *extra]:
        assert secret not in text, f"secret {secret[:6]}… leaked into: {text[:300]!r}"


def tickets(clock: FakeClock, *tokens: str, offsets: Iterable[float] = (0,)) -> list[str]:
    """Every ticket the client could have sent around the clock's time."""
    out = []
    for offset in offsets:
        for drift in range(-2, 3):
            stamp = int(clock.time() + offset) + drift
            out += [tca_ticket(stamp, TCA_USER, token) for token in tokens]
    return out


def exception_text(exc: BaseException) -> tuple[str, int]:
    """Everything the exception and its chain show, and how many exceptions it holds."""
    texts = ["".join(traceback.format_exception(exc))]
    todo: list[BaseException | None] = [exc]
    seen: set[int] = set()
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        texts += [str(current), repr(current), repr(current.args)]
        for name in ("message", "url", "reason", "body", "method"):
            value = getattr(current, name, None)
            if isinstance(value, bytes):
                value = value.decode("utf-8", "replace")
            if value is not None:
                texts.append(str(value))
        texts.extend(getattr(current, "__notes__", []))
        todo += [current.__cause__, current.__context__]
    return "\n".join(texts), len(seen)


def log_text(caplog: pytest.LogCaptureFixture) -> str:
    parts = []
    for record in caplog.records:
        parts.append(record.getMessage())
        parts.append(repr(record.args))
        if record.exc_text:
            parts.append(record.exc_text)
    return "\n".join(parts)


def sdk_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name.startswith("tca_tapd")]


def tca_fake(clock: FakeClock) -> FakeTCA:
    return FakeTCA(
        users={TCA_USER: TCA_PERSONAL_TOKEN}, api_tokens={TCA_KEY: TCA_USER}, clock=clock
    )


def tapd_fake(clock: FakeClock) -> FakeTAPD:
    return FakeTAPD(
        api_users={TAPD_USER: TAPD_PASSWORD},
        access_tokens={TAPD_PAT},
        apps={APP_ID: APP_SECRET},
        clock=clock,
    )


async def fake_log(fake: FakeTCA | FakeTAPD) -> tuple[str, list[dict[str, Any]]]:
    """The fake's request log as served by its control API."""
    async with httpx.AsyncClient(transport=fake.asgi_transport(), base_url="http://f.test") as c:
        response = await c.get("/__fake__/requests")
    return response.text, response.json()["requests"]


# -- reprs ----------------------------------------------------------------------------------


def all_auths(clock: FakeClock) -> list[Any]:
    return [
        TCATicketAuth(TCA_USER, TCA_PERSONAL_TOKEN, clock=clock.time),
        TCATokenAuth(TCA_KEY),
        TAPDBasicAuth(TAPD_USER, TAPD_PASSWORD),
        TAPDBearerAuth(TAPD_PAT),
        TAPDClientCredentialsAuth(APP_ID, APP_SECRET, clock=clock),
    ]


def test_auth_reprs_hide_secrets() -> None:
    clock = FakeClock()
    for auth in all_auths(clock):
        for text in (repr(auth), str(auth), f"{auth!r:>10}", repr([auth]), repr({"a": auth})):
            assert_clean(text)
        assert "<hidden>" in repr(auth)
    # The identifying, non-secret parts are shown.
    assert TCA_USER in repr(TCATicketAuth(TCA_USER, TCA_PERSONAL_TOKEN))
    assert TAPD_USER in repr(TAPDBasicAuth(TAPD_USER, TAPD_PASSWORD))
    assert APP_ID in repr(TAPDClientCredentialsAuth(APP_ID, APP_SECRET))


def test_ticket_headers_do_not_carry_the_token() -> None:
    clock = FakeClock()
    headers = TCATicketAuth(TCA_USER, TCA_PERSONAL_TOKEN, clock=clock.time).headers()
    assert_clean(json.dumps(headers))
    assert headers["TCA-TICKET"] == tickets(clock, TCA_PERSONAL_TOKEN)[2]


@pytest.mark.parametrize(
    "make",
    [
        lambda: TCATicketAuth(TCA_USER, MARK.encode()),  # type: ignore[arg-type]
        lambda: TCATokenAuth(MARK.encode()),  # type: ignore[arg-type]
        lambda: TAPDBasicAuth(TAPD_USER, [MARK]),  # type: ignore[arg-type]
        lambda: TAPDBearerAuth(MARK.encode()),  # type: ignore[arg-type]
        lambda: TAPDClientCredentialsAuth(APP_ID, (MARK,)),  # type: ignore[arg-type]
        lambda: TAPDBasicAuth(MARK.encode(), "x"),  # type: ignore[arg-type]
    ],
)
def test_bad_credential_arguments_are_named_not_shown(make: Callable[[], Any]) -> None:
    with pytest.raises(TypeError) as info:
        make()
    text, _ = exception_text(info.value)
    assert_clean(text)
    assert "must be a str" in str(info.value)
    assert MARK not in str(info.value)
    assert MARK not in repr(info.value)


async def test_client_reprs_hide_secrets() -> None:
    clock = FakeClock()
    transport = tapd_fake(clock).asgi_transport()
    for auth in all_auths(clock):
        async with TCAClient("http://tca.test", auth, transport=transport) as tca:
            assert_clean(repr(tca))
            assert repr(tca) == "TCAClient(base_url='http://tca.test')"
        async with TAPDClient(
            auth, base_url="http://tapd.test", rate_limit=None, transport=transport
        ) as tapd:
            assert_clean(repr(tapd))


def test_credentials_in_the_base_url_are_refused_without_being_echoed() -> None:
    # httpx would turn user info into Basic auth and print the URL in its own INFO log,
    # so the client refuses it up front; the message must not repeat the password.
    base_url = f"http://{TAPD_USER}:{TAPD_PASSWORD}@tapd.test"
    with pytest.raises(ValueError, match="must not carry credentials") as info:
        TAPDClient(None, base_url=base_url, rate_limit=None)
    text, _ = exception_text(info.value)
    assert_clean(text)
    assert "use auth=" in text


# -- errors on auth failures (whole chain), logs of failing calls, the fake's log -------------

Call = Callable[[Any, FakeClock], Awaitable[Any]]


async def tca_ticket_wrong_token(fake: FakeTCA, clock: FakeClock) -> None:
    auth = TCATicketAuth(TCA_USER, WRONG, clock=clock.time)
    async with TCAClient("http://tca.test", auth, transport=fake.asgi_transport()) as tca:
        await tca.repos.list(ORG, TEAM).collect()


async def tca_ticket_expired(fake: FakeTCA, clock: FakeClock) -> None:
    auth = TCATicketAuth(TCA_USER, TCA_PERSONAL_TOKEN, clock=clock.time, clock_offset=-5000)
    async with TCAClient("http://tca.test", auth, transport=fake.asgi_transport()) as tca:
        await tca.repos.get(ORG, TEAM, 3)


async def tca_token_wrong(fake: FakeTCA, clock: FakeClock) -> None:
    async with TCAClient(
        "http://tca.test", TCATokenAuth(WRONG), transport=fake.asgi_transport()
    ) as tca:
        await tca.repos.get(ORG, TEAM, 3)


async def tapd_basic_wrong(fake: FakeTAPD, clock: FakeClock) -> None:
    auth = TAPDBasicAuth(TAPD_USER, WRONG)
    async with TAPDClient(
        auth, base_url="http://tapd.test", rate_limit=None, transport=fake.asgi_transport()
    ) as tapd:
        await tapd.stories.list(WS).collect()


async def tapd_bearer_invalid(fake: FakeTAPD, clock: FakeClock) -> None:
    async with TAPDClient(
        TAPDBearerAuth(WRONG),
        base_url="http://tapd.test",
        rate_limit=None,
        transport=fake.asgi_transport(),
    ) as tapd:
        await tapd.workspaces.relate_third_projects(WS, "tgit")


async def tapd_app_wrong_secret(fake: FakeTAPD, clock: FakeClock) -> None:
    auth = TAPDClientCredentialsAuth(APP_ID, WRONG, clock=clock)
    async with TAPDClient(
        auth, base_url="http://tapd.test", rate_limit=None, transport=fake.asgi_transport()
    ) as tapd:
        await tapd.stories.count(WS)


# name: (which fake, the failing call, HTTP status, API code, schemes the fake logged)
SCENARIOS: dict[str, tuple[str, Call, int, Any, list[str | None]]] = {
    "tca-ticket-wrong-token": ("tca", tca_ticket_wrong_token, 401, -2, [None]),
    "tca-ticket-expired": ("tca", tca_ticket_expired, 401, -3, [None]),
    "tca-token-wrong": ("tca", tca_token_wrong, 401, 1000, ["Token"]),
    "tapd-basic-401": ("tapd", tapd_basic_wrong, 401, 401, ["Basic"]),
    "tapd-bearer-422": ("tapd", tapd_bearer_invalid, 422, 422, ["Bearer"]),
    "tapd-client-credentials-wrong-secret": ("tapd", tapd_app_wrong_secret, 401, 401, ["Basic"]),
}


@pytest.mark.parametrize("name", list(SCENARIOS))
async def test_auth_failures_leak_nothing(name: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    api, call, status, api_code, schemes = SCENARIOS[name]
    clock = FakeClock()
    fake: FakeTCA | FakeTAPD = tca_fake(clock) if api == "tca" else tapd_fake(clock)
    with pytest.raises(AuthenticationError) as info:
        await call(fake, clock)
    error = info.value
    assert error.status_code == status
    assert error.api_code == api_code
    extra = tickets(clock, WRONG, TCA_PERSONAL_TOKEN, offsets=(0, -5000))
    text, depth = exception_text(error)
    assert depth >= 1
    assert_clean(text, extra)
    assert_clean(log_text(caplog), extra)
    if not name.startswith("tapd-client-credentials"):
        # The failing API call was logged by the SDK (and the log is clean).
        assert any(f"-> {status}" in r.getMessage() for r in sdk_records(caplog))
    raw, requests = await fake_log(fake)
    assert_clean(raw, extra)
    assert [r["auth_scheme"] for r in requests] == schemes
    assert "tca-ticket" not in raw.lower()


async def test_app_token_refused_on_refetch_leaks_nothing(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    clock = FakeClock()
    fake = tapd_fake(clock)
    auth = TAPDClientCredentialsAuth(APP_ID, APP_SECRET, clock=clock)
    async with TAPDClient(
        auth, base_url="http://tapd.test", rate_limit=None, transport=fake.asgi_transport()
    ) as tapd:
        assert await tapd.stories.count(WS) == 120
        (issued,) = fake.issued_tokens
        # The server forgets the token and the app's secret is rotated: the client's
        # replay after the 422 asks for a new token and is refused.
        fake.issued_tokens.clear()
        fake.apps[APP_ID] = "rotated"
        with pytest.raises(AuthenticationError) as info:
            await tapd.stories.count(WS)
    assert_clean(repr(auth), [issued])
    text, _ = exception_text(info.value)
    assert_clean(text, [issued])
    assert_clean(log_text(caplog), [issued])
    raw, requests = await fake_log(fake)
    assert_clean(raw, [issued])
    assert [r["auth_scheme"] for r in requests] == ["Basic", "Bearer", "Bearer", "Basic"]


# -- successful calls: logs and the fake's log ------------------------------------------------


async def test_successful_calls_log_nothing_secret(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    clock = FakeClock()
    tca = tca_fake(clock)
    tapd = tapd_fake(clock)
    for auth in (
        TCATicketAuth(TCA_USER, TCA_PERSONAL_TOKEN, clock=clock.time),
        TCATokenAuth(TCA_KEY),
    ):
        async with TCAClient("http://tca.test", auth, transport=tca.asgi_transport()) as client:
            repos = await client.repos.list(ORG, TEAM, page_size=10).collect()
            assert len(repos) == 25
            assert (await client.repos.get(ORG, TEAM, 2)).id == 2
    app = TAPDClientCredentialsAuth(APP_ID, APP_SECRET, clock=clock)
    for tapd_auth in (TAPDBasicAuth(TAPD_USER, TAPD_PASSWORD), TAPDBearerAuth(TAPD_PAT), app):
        async with TAPDClient(
            tapd_auth, base_url="http://tapd.test", rate_limit=None, transport=tapd.asgi_transport()
        ) as client:
            assert await client.stories.count(WS) == 120
            assert len(await client.stories.list(WS, page_size=100).collect()) == 120
            assert len(await client.workspaces.relate_third_projects(WS, "tgit")) == 5
    issued = list(tapd.issued_tokens)
    assert len(issued) == 1
    assert app.fetch_count == 1
    extra = [*tickets(clock, TCA_PERSONAL_TOKEN), *issued]
    assert len(sdk_records(caplog)) == 2 * (3 + 1) + 3 * (1 + 2 + 1)
    assert_clean(log_text(caplog), extra)
    assert_clean(repr(app), extra)

    tca_raw, tca_requests = await fake_log(tca)
    assert_clean(tca_raw, extra)
    assert "TCA-TICKET" not in tca_raw.upper()
    assert [r["auth_scheme"] for r in tca_requests] == [None] * 4 + ["Token"] * 4
    tapd_raw, tapd_requests = await fake_log(tapd)
    assert_clean(tapd_raw, extra)
    schemes = [r["auth_scheme"] for r in tapd_requests]
    assert schemes == ["Basic"] * 4 + ["Bearer"] * 4 + ["Basic"] + ["Bearer"] * 4
    assert set(tapd_requests[0]) == {"method", "path", "query", "auth_scheme", "body_size"}
    # The recorded objects themselves hold no credential either.
    assert_clean(repr(tapd.requests) + repr(tca.requests), extra)


async def test_secret_query_values_are_redacted(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="tca_tapd")
    fake = tapd_fake(FakeClock())
    async with TAPDClient(
        TAPDBasicAuth(TAPD_USER, TAPD_PASSWORD),
        base_url="http://tapd.test",
        rate_limit=None,
        transport=fake.asgi_transport(),
    ) as tapd:
        # Not a story field, so TAPD (and the fake) ignore it as a filter.
        assert await tapd.stories.count(WS, access_token=TAPD_PAT) == len(fake.stories[WS])
        with pytest.raises(NotFoundError) as info:
            await tapd.stories.count(999, api_password=TAPD_PASSWORD)
    text, _ = exception_text(info.value)
    assert_clean(text)
    assert "api_password=%5Bredacted%5D" in info.value.url or "[redacted]" in info.value.url
    messages = [r.getMessage() for r in sdk_records(caplog)]
    assert len(messages) == 2
    assert all("redacted" in m for m in messages)
    assert_clean(log_text(caplog))


async def test_loopback_logs_and_errors(
    tapd_target: Target, caplog: pytest.LogCaptureFixture
) -> None:
    """Over a real socket too (httpcore logs at DEBUG), with the fake's default account."""
    caplog.set_level(logging.DEBUG)
    async with TAPDClient(
        TAPDBasicAuth(TAPD_API_USER, TAPD_API_PASSWORD),
        base_url=tapd_target.base_url,
        rate_limit=None,
        **tapd_target.options(),
    ) as tapd:
        assert await tapd.stories.count(WS) == 120
    async with TAPDClient(
        TAPDBasicAuth(TAPD_API_USER, WRONG),
        base_url=tapd_target.base_url,
        rate_limit=None,
        **tapd_target.options(),
    ) as tapd:
        with pytest.raises(AuthenticationError) as info:
            await tapd.stories.count(WS)
    text, _ = exception_text(info.value)
    assert_clean(text)
    assert len(sdk_records(caplog)) == 2
    assert_clean(log_text(caplog))
    requests = await tapd_target.control.requests()
    assert [r["auth_scheme"] for r in requests] == ["Basic", "Basic"]
    assert_clean(json.dumps(requests))


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://bot:pa55@git.example.com/g/svc.git?x=1", "https://git.example.com/g/svc.git?x=1"),
        (
            "https://git.example.com/g/svc?token=pa55",
            "https://git.example.com/g/svc?token=[redacted]",
        ),
        ("git@bot:pa55@git.example.com:g/svc.git", "[redacted]@git.example.com:g/svc.git"),
        ("bot:pa55@git.example.com:g/svc.git", "[redacted]@git.example.com:g/svc.git"),
        ("git@git.example.com:g/svc.git", "git@git.example.com:g/svc.git"),
        ("http://git.example.com/g/svc", "http://git.example.com/g/svc"),
    ],
)
def test_repository_urls_lose_their_credentials(url: str, shown: str) -> None:
    assert redact_repo_url(url) == shown


async def test_model_reprs_hide_credentials_in_urls() -> None:
    # TCA answers with the URL a repository was registered with (ssh_url keeps its
    # user info); the models keep the value, their reprs do not show the password.
    secret_url = "https://deploy-bot:s3cret-Passw0rd@git.example.com/group1/private-svc.git"
    fake = FakeTCA()
    async with TCAClient(
        "http://tca.test", TCATokenAuth(TCA_API_TOKEN), transport=fake.asgi_transport()
    ) as tca:
        repo = await tca.repos.create("hellotca", "demo", secret_url)
    assert repo.ssh_url is not None
    assert "s3cret-Passw0rd" in repo.ssh_url  # the value is the server's, untouched
    built = [
        repo,
        Repo(id=1, name="r", scm_url=secret_url, scm_type="git"),
        ProjectRepo(id=1, scm_url=secret_url),
        JobProject(id=1, repo_scm_url=secret_url),
        Attachment(id="1", download_url=f"{secret_url}?signature=pa55"),
    ]
    for model in built:
        assert "s3cret-Passw0rd" not in repr(model), model
        assert "pa55" not in repr(model), model
