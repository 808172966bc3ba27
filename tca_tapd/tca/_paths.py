"""TCA URL paths (pure). Every path ends in a slash: the server answers a GET without
it with a 301 and a POST without it with a 500."""

from __future__ import annotations

from urllib.parse import quote

__all__ = [
    "ANALYSIS_PREFIX",
    "MAIN_PREFIX",
    "analysis_path",
    "main_path",
    "main_v3_path",
]

MAIN_PREFIX = "/server/main/api"
ANALYSIS_PREFIX = "/server/analysis/api"


def _join(prefix: str, segments: tuple[str | int, ...]) -> str:
    return prefix + "/" + "/".join(quote(str(s), safe="") for s in segments) + "/"


def main_path(*segments: str | int) -> str:
    """``/server/main/api/<segments>/``."""
    return _join(MAIN_PREFIX, segments)


def main_v3_path(*segments: str | int) -> str:
    """``/server/main/api/v3/<segments>/``."""
    return _join(MAIN_PREFIX + "/v3", segments)


def analysis_path(*segments: str | int) -> str:
    """``/server/analysis/api/<segments>/``."""
    return _join(ANALYSIS_PREFIX, segments)
