"""Rule sets (check packages) of a scheme: ``v3/…/schemes/{id}/checkprofile/…``.

Modelled on TCA.md §4 (v3 routes of the open-source server): ``checkpackages/``
lists the rule sets added to the scheme (paginated) and takes ``POST
{"checkpackages": [ids]}``; ``allcheckpackages/`` lists every rule set that can be
added (unpaginated; filters ``name``, ``label``, ``language``). Item fields from the
lintconf capture. The answer to the ``POST`` is not documented and is not used.
"""

from __future__ import annotations

from collections.abc import Iterable

from .._transport import TimeoutArg
from .._validate import check_id, clean_params
from ..pagination import AsyncPager
from ._filters import render_str
from ._paths import main_v3_path
from ._resource import Resource, scheme_segments
from .models import CheckPackage

__all__ = ["CheckPackages"]


def _profile_path(org_sid: str, team_name: str, repo_id: int, scheme_id: int, leaf: str) -> str:
    segments = scheme_segments(org_sid, team_name, repo_id, scheme_id)
    return main_v3_path(*segments, "checkprofile", leaf)


class CheckPackages(Resource):
    """Rule sets of a scheme's lint profile. Reached as ``tca.check_packages``."""

    def list(
        self,
        org_sid: str,
        team_name: str,
        repo_id: int,
        scheme_id: int,
        *,
        page_size: int = 100,
        prefetch: int = 1,
        timeout: TimeoutArg = None,
    ) -> AsyncPager[CheckPackage]:
        """The rule sets added to the scheme."""
        return self._list(
            _profile_path(org_sid, team_name, repo_id, scheme_id, "checkpackages"),
            {},
            CheckPackage,
            page_size=page_size,
            prefetch=prefetch,
            timeout=timeout,
        )

    def list_available(
        self,
        org_sid: str,
        team_name: str,
        repo_id: int,
        scheme_id: int,
        *,
        name: str | None = None,
        label: str | None = None,
        language: str | None = None,
        timeout: TimeoutArg = None,
    ) -> AsyncPager[CheckPackage]:
        """Every rule set that can be added (``allcheckpackages/``, one unpaginated answer)."""
        path = _profile_path(org_sid, team_name, repo_id, scheme_id, "allcheckpackages")
        params = clean_params(
            {
                "name": render_str("name", name),
                "label": render_str("label", label),
                "language": render_str("language", language),
            }
        )
        return self._list(path, params, CheckPackage, page_size=100, prefetch=1, timeout=timeout)

    async def add(
        self,
        org_sid: str,
        team_name: str,
        repo_id: int,
        scheme_id: int,
        package_ids: Iterable[int],
        *,
        timeout: TimeoutArg = None,
    ) -> None:
        """Add rule sets to the scheme by id."""
        path = _profile_path(org_sid, team_name, repo_id, scheme_id, "checkpackages")
        if isinstance(package_ids, str | bytes) or not isinstance(package_ids, Iterable):
            raise TypeError(f"package_ids must be an iterable of ids, got {package_ids!r}")
        ids = [check_id("package_ids[]", p) for p in package_ids]
        if not ids:
            raise ValueError("package_ids must not be empty")
        await self._send("POST", path, {"checkpackages": ids}, timeout=timeout)
