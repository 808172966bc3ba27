"""Starting scans: ``POST …/projects/{project_id}/scans/create/``.

Modelled on TCA.md §4/§5 and the capture: the answer is ``{"job": {"id"}, "scan":
{"id"}}`` (wrapped in the envelope, unlike the documentation shows); the scan always
runs asynchronously (the documented ``async_flag`` is ignored by the server), so
poll the job with :meth:`Jobs.wait`. Failures to start are a 400 with code 120.
"""

from __future__ import annotations

from .._transport import TimeoutArg
from ._filters import render_bool, render_str
from ._paths import main_path
from ._resource import Resource, body, project_segments
from .models import ScanCreated

__all__ = ["Scans"]


class Scans(Resource):
    """Scans of a project. Reached as ``tca.scans``."""

    async def create(
        self,
        org_sid: str,
        team_name: str,
        repo_id: int,
        project_id: int,
        *,
        incr_scan: bool = True,
        force_create: bool | None = None,
        created_from: str | None = None,
        timeout: TimeoutArg = None,
    ) -> ScanCreated:
        """Start a scan; returns the job and scan ids. Never retried (one call, one scan).

        Args:
            incr_scan: an incremental scan (the server's default) or a full one.
            force_create: start even if another job of this project is not closed
                (without it the server refuses such a start: a 400 with code 300).
            created_from: the caller's label (server default ``tca_web``).
        """
        path = main_path(
            *project_segments(org_sid, team_name, repo_id, project_id), "scans", "create"
        )
        payload = body(
            incr_scan=render_bool("incr_scan", incr_scan),
            force_create=render_bool("force_create", force_create),
            created_from=render_str("created_from", created_from),
        )
        return await self._write("POST", path, payload, ScanCreated, timeout=timeout)
