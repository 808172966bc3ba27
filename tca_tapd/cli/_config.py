"""Settings from flags and environment variables, and the clients made from them.

A flag wins over its environment variable. Credentials follow one more rule: when any
credential flag of an API is given, that API's auth method is chosen among the
methods those flags belong to; the environment may complete that method (``--tapd-user``
with ``TAPD_API_PASSWORD``) but never substitutes another one. A credential holding a
control character (a line break read from a file) is refused, naming its variable or
flag, never its value. Secrets are kept out of every ``repr`` and are handed to the
error printer so that it can mask them.
"""

from __future__ import annotations

import logging
import math
import os
import sys
import unicodedata
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

from attrs import define, field
from rich.console import Console

from .. import _http
from .._ratelimit import RateLimit
from ..auth import (
    TAPDBasicAuth,
    TAPDBearerAuth,
    TAPDClientCredentialsAuth,
    TCATicketAuth,
    TCATokenAuth,
)
from ..tapd import TAPDClient
from ..tapd._client import BASE_URL_ENV as TAPD_URL_ENV
from ..tca import TCAClient
from ..tca._client import BASE_URL_ENV as TCA_URL_ENV
from ._errors import InvalidCredentialsError, MissingCredentialsError, UsageError, run

__all__ = ["ENV", "CliState", "Settings", "client_options", "parse_rate_limit"]

T = TypeVar("T")

ENV: Mapping[str, str] = {
    "tca_url": TCA_URL_ENV,  # the variables the clients themselves read
    "tca_user_id": "TCA_USER_ID",
    "tca_token": "TCA_TOKEN",
    "tca_api_token": "TCA_API_TOKEN",
    "tapd_url": TAPD_URL_ENV,
    "tapd_user": "TAPD_API_USER",
    "tapd_password": "TAPD_API_PASSWORD",
    "tapd_token": "TAPD_ACCESS_TOKEN",
    "tapd_client_id": "TAPD_CLIENT_ID",
    "tapd_client_secret": "TAPD_CLIENT_SECRET",
    "tapd_rate_limit": "TAPD_RATE_LIMIT",
}
"""Each setting's environment variable."""

_SECRET_SETTINGS = (
    "tca_token",
    "tca_api_token",
    "tapd_password",
    "tapd_token",
    "tapd_client_secret",
)

client_options: dict[str, Any] = {}
"""Extra keyword arguments for every client the CLI makes (tests put a fake clock here)."""


def parse_rate_limit(text: str) -> RateLimit | None:
    """``N/SECONDS``, ``N/min`` or ``none``: the TAPD client's rate limit.

    Raises:
        UsageError: any other spelling, or a count or window that is not a positive
            finite number.
    """
    cleaned = text.strip().lower()
    if cleaned in ("none", "off", "0"):
        return None
    count, _, window = cleaned.partition("/")
    try:
        seconds = 60.0 if window in ("min", "m") else float(window)
        if not (math.isfinite(seconds) and seconds > 0):
            raise ValueError(window)
        limit = RateLimit(int(count), seconds)
    except (TypeError, ValueError):
        raise UsageError(
            "--tapd-rate-limit must be like 60/60 (requests/seconds, both positive and "
            f"finite), 60/min or none; got {text!r}"
        ) from None
    return limit


def _flag(name: str) -> str:
    """A setting's flag (``tapd_user``: ``--tapd-user``)."""
    return "--" + name.replace("_", "-")


def _has_control_characters(value: str) -> bool:
    return any(unicodedata.category(char) == "Cc" for char in value)


@define(frozen=True)
class Settings:
    """Connection settings; each is a flag's value, else its environment variable's."""

    tca_url: str | None = None
    tca_user_id: str | None = None
    tca_token: str | None = field(default=None, repr=False)
    tca_api_token: str | None = field(default=None, repr=False)
    tapd_url: str | None = None
    tapd_user: str | None = None
    tapd_password: str | None = field(default=None, repr=False)
    tapd_token: str | None = field(default=None, repr=False)
    tapd_client_id: str | None = None
    tapd_client_secret: str | None = field(default=None, repr=False)
    tapd_rate_limit: str | None = None
    flags: frozenset[str] = frozenset()
    """The settings given as flags (they take precedence when choosing credentials)."""

    @classmethod
    def resolve(
        cls, flags: Mapping[str, str | None], env: Mapping[str, str] | None = None
    ) -> Settings:
        """Flags first, then the environment (``os.environ`` by default)."""
        env = os.environ if env is None else env
        values: dict[str, str | None] = {}
        given: set[str] = set()
        for name, variable in ENV.items():
            flag = flags.get(name)
            if flag:
                given.add(name)
                values[name] = flag
            else:
                values[name] = env.get(variable) or None
        return cls(**values, flags=frozenset(given))

    def secrets(self) -> tuple[str, ...]:
        """Every secret set, for masking."""
        found = (getattr(self, name) for name in _SECRET_SETTINGS)
        return tuple(value for value in found if value)

    def _source(self, name: str) -> str:
        """Where a setting came from: its flag, or its environment variable."""
        return _flag(name) if name in self.flags else ENV[name]

    def _choose(self, kinds: tuple[tuple[str, ...], ...]) -> tuple[str, ...] | None:
        """The first complete auth method of ``kinds`` (each: the settings it needs).

        With a credential flag of this API given, only the methods such flags belong
        to are candidates (the environment may complete them); else every method, in
        order.

        Raises:
            MissingCredentialsError: flags were given, but no method they belong to is
                complete.
            InvalidCredentialsError: a setting of the chosen method holds a control
                character.
        """
        flagged = [names for names in kinds if any(name in self.flags for name in names)]
        for names in flagged or kinds:
            if all(getattr(self, name) for name in names):
                self._check(names)
                return names
        if flagged:
            names = flagged[0]
            given = ", ".join(_flag(name) for name in names if name in self.flags)
            missing = " and ".join(
                f"{ENV[name]} (or {_flag(name)})" for name in names if not getattr(self, name)
            )
            raise MissingCredentialsError(
                f"{given} needs {missing}; a credential flag chooses the auth method, so "
                "other credentials in the environment are not used"
            )
        return None

    def _check(self, names: tuple[str, ...]) -> None:
        for name in names:
            if _has_control_characters(str(getattr(self, name))):
                raise InvalidCredentialsError(
                    f"{self._source(name)} contains a control character (a line break "
                    "read from a file?); its value is not shown"
                )

    def tca_auth(self) -> _http.Auth:
        """Ticket auth (user id + token), else Token auth (API token).

        Raises:
            MissingCredentialsError: neither is set (or flags chose one not complete).
            InvalidCredentialsError: a control character in a credential.
        """
        chosen = self._choose((("tca_user_id", "tca_token"), ("tca_api_token",)))
        if chosen == ("tca_user_id", "tca_token"):
            return TCATicketAuth(str(self.tca_user_id), str(self.tca_token))
        if chosen == ("tca_api_token",):
            return TCATokenAuth(str(self.tca_api_token))
        raise MissingCredentialsError(
            "no TCA credentials: set TCA_USER_ID and TCA_TOKEN (hosted TCA) or TCA_API_TOKEN "
            "(self-hosted), or pass --tca-user-id/--tca-token or --tca-api-token"
        )

    def tapd_auth(self) -> _http.Auth:
        """A personal access token, else an API account, else app credentials.

        Raises:
            MissingCredentialsError: none is set (or flags chose one not complete).
            InvalidCredentialsError: a control character in a credential.
        """
        chosen = self._choose(
            (
                ("tapd_token",),
                ("tapd_user", "tapd_password"),
                ("tapd_client_id", "tapd_client_secret"),
            )
        )
        if chosen == ("tapd_token",):
            return TAPDBearerAuth(str(self.tapd_token))
        if chosen == ("tapd_user", "tapd_password"):
            return TAPDBasicAuth(str(self.tapd_user), str(self.tapd_password))
        if chosen == ("tapd_client_id", "tapd_client_secret"):
            return TAPDClientCredentialsAuth(str(self.tapd_client_id), str(self.tapd_client_secret))
        raise MissingCredentialsError(
            "no TAPD credentials: set TAPD_ACCESS_TOKEN, or TAPD_API_USER and TAPD_API_PASSWORD, "
            "or TAPD_CLIENT_ID and TAPD_CLIENT_SECRET (or the matching --tapd-* flags)"
        )

    def tca_client(self) -> TCAClient:
        """A TCA client for these settings.

        Raises:
            UsageError: no server URL.
            MissingCredentialsError: no credentials.
            InvalidCredentialsError: a control character in a credential.
        """
        if not self.tca_url:
            raise UsageError("no TCA server: set TCA_BASE_URL or pass --tca-url")
        return TCAClient(self.tca_url, self.tca_auth(), **client_options)

    def tapd_client(self) -> TAPDClient:
        """A TAPD client for these settings (TAPD's public API unless a URL is set).

        Raises:
            UsageError: a malformed rate limit.
            MissingCredentialsError: no credentials.
            InvalidCredentialsError: a control character in a credential.
        """
        options = dict(client_options)
        if self.tapd_rate_limit is not None:
            options["rate_limit"] = parse_rate_limit(self.tapd_rate_limit)
        return TAPDClient(self.tapd_auth(), base_url=self.tapd_url, **options)


@define
class CliState:
    """What the root options decide for every command."""

    settings: Settings = field(factory=Settings)
    quiet: bool = False
    progress: bool | None = None
    """Force the progress display on or off; ``None``: only when stderr is a terminal."""
    debug: bool = False
    backend: str = "asyncio"
    csv_escape_formulas: bool = False
    """``--csv-escape-formulas``: CSV cells that a spreadsheet would run as a formula
    start with ``'``."""

    def stderr(self) -> Console:
        """A console on the current stderr (progress bars, chatter)."""
        return Console(file=sys.stderr, stderr=True, highlight=False)

    def show_progress(self, streaming_to_terminal: bool = False) -> bool:
        """Whether to draw progress bars: never with ``--quiet``, always with
        ``--progress``; by default when stderr is a terminal, unless the data itself
        streams to the terminal (``streaming_to_terminal``: the bar would garble it)."""
        if self.quiet:
            return False
        if self.progress is not None:
            return self.progress
        return sys.stderr.isatty() and not streaming_to_terminal

    def say(self, message: str) -> None:
        """A line of chatter on stderr, unless ``--quiet``."""
        if not self.quiet:
            sys.stderr.write(message + "\n")
            sys.stderr.flush()

    def run(self, func: Callable[[], Awaitable[T]]) -> T:
        """Run a command's async body (see :func:`._errors.run`); the SDK's warnings
        (a listing that ended short of its total) are lines on stderr meanwhile, as
        ``warning: …`` (none with ``--quiet``)."""
        sdk_logger = logging.getLogger("tca_tapd")
        warnings = _WarningLines(self)
        sdk_logger.addHandler(warnings)
        try:
            return run(
                func, backend=self.backend, debug=self.debug, secrets=self.settings.secrets()
            )
        finally:
            sdk_logger.removeHandler(warnings)


class _WarningLines(logging.Handler):
    """Writes each warning the SDK logs as a line of chatter (:meth:`CliState.say`)."""

    def __init__(self, state: CliState) -> None:
        super().__init__(logging.WARNING)
        self._state = state

    def emit(self, record: logging.LogRecord) -> None:
        """Say the record's message."""
        self._state.say(f"warning: {record.getMessage()}")
