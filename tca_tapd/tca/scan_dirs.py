"""Directories a scheme includes or excludes: ``…/schemes/{scheme_id}/scandirs/``.

Modelled on TCA.md §4 and the scandirs list/create captures (create answers 201; a
bad ``path_type`` or a missing ``dir_path`` is a 400 with ``invalid_fields``). The
detail ``GET``/``PATCH``/``DELETE`` routes are documented (the server's schema, captured,
has ``PATCH`` for a partial update and ``PUT`` for a whole one), not captured in use;
the server's ``ScanDirConfSerializer.update`` needs ``dir_path`` in a partial update too.
``scan_type`` 0 is the server's default (a rule created without one).
"""

from __future__ import annotations

from .._transport import TimeoutArg
from .._validate import check_id
from ..pagination import AsyncPager
from ._filters import render_enum, render_str, require_str
from ._paths import main_path
from ._resource import Resource, body, scheme_segments
from .enums import PathType, ScanType
from .models import ScanDir

__all__ = ["ScanDirs"]


def _dirs_path(org_sid: str, team_name: str, repo_id: int, scheme_id: int, *rest: int) -> str:
    return main_path(
        *scheme_segments(org_sid, team_name, repo_id, scheme_id),
        "scandirs",
        *(check_id("dir_id", r) for r in rest),
    )


class ScanDirs(Resource):
    """A scheme's scan directories. Reached as ``tca.scan_dirs``."""

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
    ) -> AsyncPager[ScanDir]:
        """Every scan directory rule of the scheme."""
        return self._list(
            _dirs_path(org_sid, team_name, repo_id, scheme_id),
            {},
            ScanDir,
            page_size=page_size,
            prefetch=prefetch,
            timeout=timeout,
        )

    async def get(
        self,
        org_sid: str,
        team_name: str,
        repo_id: int,
        scheme_id: int,
        dir_id: int,
        *,
        timeout: TimeoutArg = None,
    ) -> ScanDir:
        """One scan directory rule."""
        path = _dirs_path(org_sid, team_name, repo_id, scheme_id, dir_id)
        return await self._get(path, ScanDir, timeout=timeout)

    async def create(
        self,
        org_sid: str,
        team_name: str,
        repo_id: int,
        scheme_id: int,
        dir_path: str,
        *,
        path_type: PathType | int = PathType.GLOB,
        scan_type: ScanType | int = ScanType.INCLUDE,
        timeout: TimeoutArg = None,
    ) -> ScanDir:
        """Add a rule: ``dir_path`` as a glob or a regex, to include or exclude."""
        path = _dirs_path(org_sid, team_name, repo_id, scheme_id)
        payload = {
            "dir_path": require_str("dir_path", dir_path),
            "path_type": render_enum("path_type", path_type, PathType),
            "scan_type": render_enum("scan_type", scan_type, ScanType),
        }
        return await self._write("POST", path, payload, ScanDir, timeout=timeout)

    async def update(
        self,
        org_sid: str,
        team_name: str,
        repo_id: int,
        scheme_id: int,
        dir_id: int,
        *,
        dir_path: str | None = None,
        path_type: PathType | int | None = None,
        scan_type: ScanType | int | None = None,
        timeout: TimeoutArg = None,
    ) -> ScanDir:
        """Change a rule (the fields given, and always ``dir_path``).

        The server's update reads ``dir_path`` even in a partial update (without it the
        answer is a 500), so when it is not given the rule's current path is fetched
        first and sent back unchanged.
        """
        path = _dirs_path(org_sid, team_name, repo_id, scheme_id, dir_id)
        payload = body(
            dir_path=render_str("dir_path", dir_path),
            path_type=render_enum("path_type", path_type, PathType),
            scan_type=render_enum("scan_type", scan_type, ScanType),
        )
        if not payload:
            raise ValueError("nothing to update: give dir_path, path_type or scan_type")
        if "dir_path" not in payload:
            current = await self._get(path, ScanDir, timeout=timeout)
            payload = {"dir_path": current.dir_path, **payload}
        # PATCH: a partial update (a PUT is a whole one).
        return await self._write("PATCH", path, payload, ScanDir, timeout=timeout)

    async def delete(
        self,
        org_sid: str,
        team_name: str,
        repo_id: int,
        scheme_id: int,
        dir_id: int,
        *,
        timeout: TimeoutArg = None,
    ) -> None:
        """Remove a rule (204)."""
        path = _dirs_path(org_sid, team_name, repo_id, scheme_id, dir_id)
        await self._send("DELETE", path, timeout=timeout)
