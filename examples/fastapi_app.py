"""A small FastAPI service on top of tca-tapd: one TCA and one TAPD client per application.

The clients are created when the application starts (its *lifespan*), shared by every
request through the lifespan state, and closed when it stops. Endpoints reach them with
the ``TAPDDep`` / ``TCADep`` dependencies.

Run it from the repository root (``pip install -e '.[dev]'`` brings FastAPI and uvicorn)::

    export TAPD_ACCESS_TOKEN=...          # or TAPD_API_USER and TAPD_API_PASSWORD,
                                          # or TAPD_CLIENT_ID and TAPD_CLIENT_SECRET
    export TCA_BASE_URL=https://tca.tencent.com
    export TCA_USER_ID=... TCA_TOKEN=...  # hosted TCA; self-hosted: TCA_API_TOKEN=...
    uvicorn examples.fastapi_app:app

or against the fake servers of :mod:`tca_tapd.testing`::

    python -m tca_tapd.testing serve tapd --port 8001 &
    python -m tca_tapd.testing serve tca --port 8002 &
    TAPD_API_BASE_URL=http://127.0.0.1:8001 TAPD_ACCESS_TOKEN=demo-personal-access-token \\
    TCA_BASE_URL=http://127.0.0.1:8002 TCA_API_TOKEN=0123456789abcdef0123456789abcdef01234567 \\
    uvicorn examples.fastapi_app:app
    curl 'http://127.0.0.1:8000/workspaces/10104801/stories?status=planning&limit=3'
    curl 'http://127.0.0.1:8000/tca/hellotca/demo/repos?search=service-00'

Environment (read at startup, not at import):

- TAPD: ``TAPD_API_BASE_URL`` (default ``https://api.tapd.cn``); credentials
  ``TAPD_ACCESS_TOKEN`` (Bearer), or ``TAPD_API_USER`` + ``TAPD_API_PASSWORD`` (Basic), or
  ``TAPD_CLIENT_ID`` + ``TAPD_CLIENT_SECRET`` (open-platform app), tried in that order;
  ``TAPD_RATE_LIMIT``: ``<requests>/<seconds>`` (default TAPD's documented ``60/60``),
  ``<requests>/min``, or ``none``.
- TCA: ``TCA_BASE_URL`` (the site origin) with ``TCA_API_TOKEN`` (self-hosted), or
  ``TCA_USER_ID`` + ``TCA_TOKEN`` (hosted ticket signature).

One API may be left unconfigured: its endpoints then answer 503. Starting with neither
fails.

SDK errors become HTTP answers like this (the caller never sees a credential, a
request header or the upstream URL; ``upstream_request_id`` is passed on when the
upstream API sent one):

=====================================  =====  ==========================================
SDK error                              HTTP   why
=====================================  =====  ==========================================
``NotFoundError``                      404    the workspace, story, team or repo is unknown
``ValidationError`` (upstream 400/422)  422    the upstream API refused the query
``ValueError`` (SDK argument check)    400    refused before anything was sent; any
                                              other ``ValueError`` is this service's
                                              own fault: 500, logged by the server
``PermissionDeniedError``              403    this service may not see that object
``AuthenticationError``                502    *this service's* credentials were refused: a
                                              configuration fault, not the caller's, so
                                              not a 401 (which would ask the caller to
                                              log in)
``RateLimitError``                     503    the upstream quota (shared by all callers)
                                              is spent even after the SDK's retries;
                                              ``Retry-After`` when known
``RequestTimeoutError``                504    the upstream API did not answer in time
``ClientClosedError``                  503    the service is shutting down
anything else (``ServerError``,        502    the upstream API failed or sent something
``ConnectError``, ``DecodeError``,            unreadable
``StructureError``, other ``APIError``)
=====================================  =====  ==========================================
"""

import json
import logging
import math
import os
from collections.abc import AsyncIterator, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import date, datetime
from typing import Annotated, Any, Protocol, TypedDict

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel

from tca_tapd import (
    AuthenticationError,
    ClientClosedError,
    NotFoundError,
    PermissionDeniedError,
    RateLimit,
    RateLimitError,
    RequestTimeoutError,
    TAPDBasicAuth,
    TAPDBearerAuth,
    TAPDClient,
    TAPDClientCredentialsAuth,
    TCAClient,
    TcaTapdError,
    TCATicketAuth,
    TCATokenAuth,
    ValidationError,
    redact_repo_url,
)
from tca_tapd.tapd import Story
from tca_tapd.tapd.filters import after, any_of
from tca_tapd.tca import Repo

__all__ = [
    "RepoOut",
    "StoryOut",
    "TAPDDep",
    "TAPDFactory",
    "TCADep",
    "TCAFactory",
    "create_app",
    "error_response",
    "get_tapd",
    "get_tca",
    "tapd_from_env",
    "tca_from_env",
]

logger = logging.getLogger(__name__)

# -- configuration ---------------------------------------------------------------------


def tapd_from_env(environ: Mapping[str, str] = os.environ) -> TAPDClient | None:
    """A TAPDClient configured from the environment, or ``None`` without TAPD credentials."""
    auth: TAPDBearerAuth | TAPDBasicAuth | TAPDClientCredentialsAuth
    if environ.get("TAPD_ACCESS_TOKEN"):
        auth = TAPDBearerAuth(environ["TAPD_ACCESS_TOKEN"])
    elif environ.get("TAPD_API_USER") and environ.get("TAPD_API_PASSWORD"):
        auth = TAPDBasicAuth(environ["TAPD_API_USER"], environ["TAPD_API_PASSWORD"])
    elif environ.get("TAPD_CLIENT_ID") and environ.get("TAPD_CLIENT_SECRET"):
        auth = TAPDClientCredentialsAuth(environ["TAPD_CLIENT_ID"], environ["TAPD_CLIENT_SECRET"])
    else:
        return None
    options: dict[str, Any] = {}
    if environ.get("TAPD_RATE_LIMIT", "").strip():
        options["rate_limit"] = _rate_limit(environ["TAPD_RATE_LIMIT"])
    return TAPDClient(auth, environ.get("TAPD_API_BASE_URL") or None, **options)


def _rate_limit(text: str) -> RateLimit | None:
    """``N/SECONDS``, ``N/min``, or ``none``/``off`` (the spellings of the tca-tapd command)."""
    cleaned = text.strip().lower()
    if cleaned in ("none", "off", "0"):
        return None
    requests, _, window = cleaned.partition("/")
    try:
        return RateLimit(int(requests), 60.0 if window in ("min", "m") else float(window))
    except ValueError:
        raise ValueError(
            f"TAPD_RATE_LIMIT must be like 60/60 (requests/seconds), 60/min or none; got {text!r}"
        ) from None


def tca_from_env(environ: Mapping[str, str] = os.environ) -> TCAClient | None:
    """A TCAClient configured from the environment, or ``None`` without ``TCA_BASE_URL``."""
    base_url = environ.get("TCA_BASE_URL")
    if not base_url:
        return None
    auth: TCATokenAuth | TCATicketAuth
    if environ.get("TCA_API_TOKEN"):
        auth = TCATokenAuth(environ["TCA_API_TOKEN"])
    elif environ.get("TCA_USER_ID") and environ.get("TCA_TOKEN"):
        auth = TCATicketAuth(environ["TCA_USER_ID"], environ["TCA_TOKEN"])
    else:
        raise ValueError("TCA_BASE_URL is set: set TCA_API_TOKEN, or TCA_USER_ID and TCA_TOKEN")
    return TCAClient(base_url, auth)


class TCAFactory(Protocol):
    """Makes the application's TCA client at startup (``None`` leaves TCA out)."""

    def __call__(self) -> TCAClient | None:
        """The client, or ``None`` when TCA is not configured."""


class TAPDFactory(Protocol):
    """Makes the application's TAPD client at startup (``None`` leaves TAPD out)."""

    def __call__(self) -> TAPDClient | None:
        """The client, or ``None`` when TAPD is not configured."""


class State(TypedDict):
    """The lifespan state: the application's clients (``None`` for an API left out)."""

    tca: TCAClient | None
    tapd: TAPDClient | None


# -- dependencies ----------------------------------------------------------------------


def get_tapd(request: Request) -> TAPDClient:
    """The application's TAPD client (503 when TAPD is not configured)."""
    tapd: TAPDClient | None = request.state.tapd
    if tapd is None:
        raise HTTPException(503, "TAPD is not configured on this service")
    return tapd


def get_tca(request: Request) -> TCAClient:
    """The application's TCA client (503 when TCA is not configured)."""
    tca: TCAClient | None = request.state.tca
    if tca is None:
        raise HTTPException(503, "TCA is not configured on this service")
    return tca


TAPDDep = Annotated[TAPDClient, Depends(get_tapd)]
"""An endpoint parameter receiving the application's TAPD client."""
TCADep = Annotated[TCAClient, Depends(get_tca)]
"""An endpoint parameter receiving the application's TCA client."""


def story_filters(
    status: Annotated[list[str] | None, Query(description="any of these statuses")] = None,
    owner: Annotated[str | None, Query(description="a current owner's nickname")] = None,
    iteration_id: Annotated[int | None, Query(ge=0, description="0: in no iteration")] = None,
    modified_since: Annotated[date | None, Query(description="modified on or after")] = None,
) -> dict[str, Any]:
    """TAPD filters from the query string, built with :mod:`tca_tapd.tapd.filters`."""
    filters: dict[str, Any] = {}
    if status:
        filters["status"] = any_of(*status)
    if owner:
        filters["owner"] = owner
    if iteration_id is not None:
        filters["iteration_id"] = iteration_id
    if modified_since is not None:
        filters["modified"] = after(modified_since)
    return filters


StoryFilters = Annotated[dict[str, Any], Depends(story_filters)]
WorkspaceId = Annotated[int, Path(ge=1, description="TAPD workspace (project) id")]
Limit = Annotated[int, Query(ge=1, le=1000, description="at most this many items")]

# -- response models -------------------------------------------------------------------


class StoryOut(BaseModel):
    """A TAPD story, as this service shows it."""

    id: str
    name: str | None
    status: str | None
    owners: list[str]
    iteration_id: str | None
    priority_label: str | None
    created: datetime | None
    modified: datetime | None

    @classmethod
    def of(cls, story: Story) -> "StoryOut":
        """The view of an SDK :class:`~tca_tapd.tapd.Story`."""
        return cls(
            id=story.id,
            name=story.name,
            status=story.status,
            owners=list(story.owners),
            iteration_id=story.iteration_id,
            priority_label=story.priority_label,
            created=story.created,
            modified=story.modified,
        )


class CountOut(BaseModel):
    """How many items match."""

    count: int


class RepoOut(BaseModel):
    """A TCA code repository, as this service shows it: ``scm_url`` without the user
    info a repository may be registered with (``https://user:password@host/…``, or
    scp-like ``user:password@host:path``) and with secret-looking query values masked.
    ``name`` may be null, as in TCA's schema."""

    id: int
    name: str | None
    scm_url: str
    scm_type: str
    branch_count: int | None
    created_time: datetime | None

    @classmethod
    def of(cls, repo: Repo) -> "RepoOut":
        """The view of an SDK :class:`~tca_tapd.tca.Repo`."""
        return cls(
            id=repo.id,
            name=repo.name,
            scm_url=redact_repo_url(repo.scm_url),
            scm_type=repo.scm_type,
            branch_count=repo.branch_count,
            created_time=repo.created_time,
        )


# -- endpoints -------------------------------------------------------------------------

router = APIRouter()


@router.get("/health")
async def health(request: Request) -> dict[str, bool]:
    """Which APIs this service is configured for."""
    return {"tca": request.state.tca is not None, "tapd": request.state.tapd is not None}


@router.get("/workspaces/{workspace_id}/stories")
async def list_stories(
    workspace_id: WorkspaceId, tapd: TAPDDep, filters: StoryFilters, limit: Limit = 50
) -> list[StoryOut]:
    """The workspace's stories matching the filters, newest first (TAPD's default order)."""
    pager = tapd.stories.list(workspace_id, page_size=min(limit, 200), **filters)
    return [StoryOut.of(story) for story in await pager.collect(max_items=limit)]


@router.get("/workspaces/{workspace_id}/stories/count")
async def count_stories(
    workspace_id: WorkspaceId, tapd: TAPDDep, filters: StoryFilters
) -> CountOut:
    """How many of the workspace's stories match the filters."""
    return CountOut(count=await tapd.stories.count(workspace_id, **filters))


@router.get("/workspaces/{workspace_id}/stories/export", response_class=StreamingResponse)
async def export_stories(
    workspace_id: WorkspaceId, tapd: TAPDDep, filters: StoryFilters
) -> StreamingResponse:
    """Every matching story as JSON lines, streamed page by page (memory stays flat).

    The count is asked first, so an unknown workspace is still a plain 404 and the
    total goes out as ``X-Total-Count``. A failure after the first line cannot change
    the status any more: the stream then ends with an ``{"error": …}`` line.
    """
    total = await tapd.stories.count(workspace_id, **filters)
    pager = tapd.stories.list(workspace_id, prefetch=4, **filters)

    async def lines() -> AsyncIterator[str]:
        try:
            async for story in pager:
                yield StoryOut.of(story).model_dump_json() + "\n"
        except TcaTapdError as exc:
            status, body, _ = _describe(exc)
            yield json.dumps({"error": {"status": status, **body}}) + "\n"

    return StreamingResponse(
        lines(), media_type="application/x-ndjson", headers={"X-Total-Count": str(total)}
    )


@router.get("/workspaces/{workspace_id}/stories/{story_id}")
async def get_story(
    workspace_id: WorkspaceId, story_id: Annotated[int, Path(ge=1)], tapd: TAPDDep
) -> StoryOut:
    """One story of the workspace."""
    return StoryOut.of(await tapd.stories.get(workspace_id, story_id))


@router.get("/tca/{org_sid}/{team_name}/repos")
async def list_repos(
    org_sid: str,
    team_name: str,
    tca: TCADep,
    search: Annotated[str | None, Query(min_length=1, description="in URL or name")] = None,
    limit: Limit = 50,
) -> list[RepoOut]:
    """The team's code repositories, optionally those whose URL or name contains ``search``."""
    pager = tca.repos.list(org_sid, team_name, scm_url_or_name=search, page_size=min(limit, 100))
    return [RepoOut.of(repo) for repo in await pager.collect(max_items=limit)]


@router.get("/tca/{org_sid}/{team_name}/repos/{repo_id}")
async def get_repo(
    org_sid: str, team_name: str, repo_id: Annotated[int, Path(ge=1)], tca: TCADep
) -> RepoOut:
    """One code repository of the team."""
    return RepoOut.of(await tca.repos.get(org_sid, team_name, repo_id))


# -- errors ----------------------------------------------------------------------------


def _describe(exc: TcaTapdError) -> tuple[int, dict[str, Any], dict[str, str]]:
    """Status, JSON body and headers for an SDK error (see the module's table)."""
    headers: dict[str, str] = {}
    if isinstance(exc, NotFoundError):
        status, detail = 404, f"not found: {exc.message}"
    elif isinstance(exc, ValidationError):
        status, detail = 422, f"refused by the upstream API: {exc.message}"
    elif isinstance(exc, PermissionDeniedError):
        status, detail = 403, "this service is not allowed to see that"
    elif isinstance(exc, AuthenticationError):
        status, detail = 502, "the upstream API refused this service's credentials"
    elif isinstance(exc, RateLimitError):
        status, detail = 503, "the upstream API's rate limit is reached; retry later"
        if exc.retry_after is not None:
            headers["Retry-After"] = str(math.ceil(exc.retry_after))
    elif isinstance(exc, RequestTimeoutError):
        status, detail = 504, "the upstream API did not answer in time"
    elif isinstance(exc, ClientClosedError):
        status, detail = 503, "the service is shutting down"
    else:
        status, detail = 502, "the upstream API failed"
    if status >= 500:
        # str(exc) is safe to log: the SDK redacts URLs and never keeps request headers.
        logger.warning("upstream error answered with %d: %s", status, exc)
    body: dict[str, Any] = {"detail": detail}
    request_id = getattr(exc, "request_id", None)
    if request_id:
        body["upstream_request_id"] = request_id
    return status, body, headers


def error_response(exc: TcaTapdError) -> JSONResponse:
    """The HTTP answer for an SDK error (see the module's table)."""
    status, body, headers = _describe(exc)
    return JSONResponse(body, status_code=status, headers=headers)


async def _sdk_error(request: Request, exc: TcaTapdError) -> JSONResponse:
    return error_response(exc)


async def _bad_argument(request: Request, exc: ValueError) -> JSONResponse:
    # The SDK checks arguments before sending; its messages name the argument. Any
    # other ValueError (pydantic's ValidationError, json's JSONDecodeError, the
    # service's own) is a fault of this service: raised on, a server answers it with
    # a plain 500 and logs it, instead of a 400 that blames the caller and shows the
    # internals in its body.
    if not _raised_by_sdk(exc):
        raise exc
    return JSONResponse({"detail": str(exc)}, status_code=400)


def _raised_by_sdk(exc: BaseException) -> bool:
    """Whether ``exc`` was raised inside the ``tca_tapd`` package."""
    tb = exc.__traceback__
    if tb is None:
        return False
    while tb.tb_next is not None:
        tb = tb.tb_next
    module = tb.tb_frame.f_globals.get("__name__", "")
    return isinstance(module, str) and (module == "tca_tapd" or module.startswith("tca_tapd."))


# -- the application -------------------------------------------------------------------


def create_app(*, tca: TCAFactory = tca_from_env, tapd: TAPDFactory = tapd_from_env) -> FastAPI:
    """The application; ``tca`` and ``tapd`` make its clients at startup.

    Each factory is called once per application start (inside the lifespan); the
    clients it returns belong to the application, which closes them at shutdown.
    Tests pass factories that point the clients at fake servers.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[State]:
        async with AsyncExitStack() as stack:
            tca_client = tca()
            if tca_client is not None:
                await stack.enter_async_context(tca_client)
            tapd_client = tapd()
            if tapd_client is not None:
                await stack.enter_async_context(tapd_client)
            if tca_client is None and tapd_client is None:
                raise RuntimeError(
                    "neither TCA nor TAPD is configured: see examples/fastapi_app.py"
                )
            yield {"tca": tca_client, "tapd": tapd_client}

    app = FastAPI(title="tca-tapd example", lifespan=lifespan)
    app.include_router(router)
    app.exception_handler(TcaTapdError)(_sdk_error)
    app.exception_handler(ValueError)(_bad_argument)
    return app


app = create_app()
"""The application ``uvicorn examples.fastapi_app:app`` serves, configured from the environment."""
