"""tca-tapd: an async SDK for Tencent Cloud Code Analysis (TCA) and TAPD.

Quick look::

    from tca_tapd import TAPDClient, TAPDBearerAuth

    async with TAPDClient(TAPDBearerAuth(token)) as tapd:
        async for story in tapd.stories.list(workspace_id, status="open"):
            print(story.id, story.name)

Fake servers for tests and demos live in :mod:`tca_tapd.testing`.
"""

from ._clock import Clock, SystemClock
from ._enum import OpenIntEnum, OpenStrEnum
from ._ratelimit import RateLimit
from ._redact import redact_repo_url, redact_url
from ._retry import RetryPolicy
from ._version import __version__
from .auth import (
    TAPDBasicAuth,
    TAPDBearerAuth,
    TAPDClientCredentialsAuth,
    TCATicketAuth,
    TCATokenAuth,
    tca_ticket,
)
from .crawl import Crawl, CrawlError, CrawlProgress, crawl
from .errors import (
    APIError,
    AuthenticationError,
    ClientClosedError,
    ConnectError,
    DecodeError,
    FieldError,
    JobError,
    JobFailedError,
    JobTimeoutError,
    NotFoundError,
    PagingDepthError,
    PermissionDeniedError,
    RateLimitError,
    RequestTimeoutError,
    ServerError,
    StructureError,
    TcaTapdError,
    TransportError,
    ValidationError,
)
from .pagination import AsyncPager, OffsetPagination, Page, PageNumberPagination
from .report import QualityReport, RepoQuality, ReportProgress, build_quality_report
from .tapd import TAPDClient
from .tca import TCAClient

__all__ = [
    "APIError",
    "AsyncPager",
    "AuthenticationError",
    "ClientClosedError",
    "Clock",
    "ConnectError",
    "Crawl",
    "CrawlError",
    "CrawlProgress",
    "DecodeError",
    "FieldError",
    "JobError",
    "JobFailedError",
    "JobTimeoutError",
    "NotFoundError",
    "OffsetPagination",
    "OpenIntEnum",
    "OpenStrEnum",
    "Page",
    "PageNumberPagination",
    "PagingDepthError",
    "PermissionDeniedError",
    "QualityReport",
    "RateLimit",
    "RateLimitError",
    "RepoQuality",
    "ReportProgress",
    "RequestTimeoutError",
    "RetryPolicy",
    "ServerError",
    "StructureError",
    "SystemClock",
    "TAPDBasicAuth",
    "TAPDBearerAuth",
    "TAPDClient",
    "TAPDClientCredentialsAuth",
    "TCAClient",
    "TCATicketAuth",
    "TCATokenAuth",
    "TcaTapdError",
    "TransportError",
    "ValidationError",
    "__version__",
    "build_quality_report",
    "crawl",
    "redact_repo_url",
    "redact_url",
    "tca_ticket",
]
