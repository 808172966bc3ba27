"""Scan jobs: ``…/projects/{project_id}/jobs/`` and waiting for one to finish.

Modelled on TCA.md §4/§5 and the captures (jobs list, job detail with
``waiting_time`` as a string of seconds, also while the job waits). ``cancel`` is the
v3 route of the open-source server (``remarks`` required), not captured; its answer
(``{"msg": "取消成功"}`` in the server code, or an empty body) is not used.
:meth:`Jobs.wait` polls the
detail, as the server's own ``ScriptsAPI.py`` does, until the job is closed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime

import anyio

from .._transport import TimeoutArg
from .._validate import check_id, clean_params
from ..errors import JobFailedError, JobTimeoutError
from ..pagination import AsyncPager
from ._filters import (
    check_number,
    render_bool,
    render_csv,
    render_int,
    render_str,
    render_time,
    require_str,
)
from ._paths import main_path, main_v3_path
from ._resource import Resource, body, project_segments
from .enums import JobState
from .models import Job, JobDetail

__all__ = ["Jobs"]

_SECONDS = "a number of seconds"


class Jobs(Resource):
    """Jobs of a project. Reached as ``tca.jobs``."""

    def list(
        self,
        org_sid: str,
        team_name: str,
        repo_id: int,
        project_id: int,
        *,
        state: JobState | int | Iterable[JobState | int] | None = None,
        create_time_gte: datetime | date | None = None,
        create_time_lte: datetime | date | None = None,
        result_code_gte: int | None = None,
        result_code_lte: int | None = None,
        result_msg: str | None = None,
        created_from: str | None = None,
        creator: str | None = None,
        page_size: int = 100,
        prefetch: int = 1,
        timeout: TimeoutArg = None,
    ) -> AsyncPager[Job]:
        """The project's jobs, newest first, filtered.

        Args:
            state: one state or several (sent comma-separated).
            create_time_gte, create_time_lte: created within this range.
            result_code_gte, result_code_lte: result code within this range.
            result_msg: result message contains this text.
            created_from: the label the job was started with.
            creator: the user who started it.
        """
        path = main_path(*project_segments(org_sid, team_name, repo_id, project_id), "jobs")
        params = clean_params(
            {
                "state": render_csv("state", state, JobState),
                "create_time_gte": render_time("create_time_gte", create_time_gte),
                "create_time_lte": render_time("create_time_lte", create_time_lte),
                "result_code_gte": render_int("result_code_gte", result_code_gte),
                "result_code_lte": render_int("result_code_lte", result_code_lte),
                "result_msg": render_str("result_msg", result_msg),
                "created_from": render_str("created_from", created_from),
                "creator": render_str("creator", creator),
            }
        )
        return self._list(
            path, params, Job, page_size=page_size, prefetch=prefetch, timeout=timeout
        )

    async def get(
        self,
        org_sid: str,
        team_name: str,
        repo_id: int,
        project_id: int,
        job_id: int,
        *,
        timeout: TimeoutArg = None,
    ) -> JobDetail:
        """A job's detail: state, result, tasks, timings."""
        path = _detail_path(org_sid, team_name, repo_id, project_id, job_id)
        return await self._get(path, JobDetail, timeout=timeout)

    async def cancel(
        self,
        org_sid: str,
        team_name: str,
        repo_id: int,
        project_id: int,
        job_id: int,
        remarks: str,
        *,
        force: bool | None = None,
        timeout: TimeoutArg = None,
    ) -> None:
        """Cancel a job, with a remark saying why.

        In the open-source server (``JobCancelApiView``) ``force`` is accepted but not
        used: a waiting or running job is revoked (result code 301), a closing one is
        closed with 301 whatever ``force`` says, and a job already closed has its scan
        closed again on the analysis server (its results imported again), so cancel
        only a job that is not closed.
        """
        path = main_v3_path(
            *project_segments(org_sid, team_name, repo_id, project_id),
            "jobs",
            check_id("job_id", job_id),
            "cancel",
        )
        payload = body(remarks=require_str("remarks", remarks), force=render_bool("force", force))
        await self._send("POST", path, payload, timeout=timeout)

    async def wait(
        self,
        org_sid: str,
        team_name: str,
        repo_id: int,
        project_id: int,
        job_id: int,
        *,
        poll_interval: float = 5.0,
        timeout: float = 3600.0,
        raise_on_failure: bool = True,
        on_poll: Callable[[JobDetail], object] | None = None,
    ) -> JobDetail:
        """Poll the job's detail until it is closed (state 2) and return it.

        Sleeps ``poll_interval`` seconds between polls on the client's clock. The
        ``timeout`` is an overall deadline, honoured on the client's clock and in real
        time (``anyio.fail_after``), whichever comes first. ``on_poll`` is called with
        every detail fetched, the last one included (for a progress display). Only
        state 2 counts as closed, as in the server's own scripts: a state the SDK does
        not know (``JobState.UNKNOWN_n``, such as one only hosted TCA sends) is waited
        on until ``timeout``. Closing the client ends a wait between two polls at once.

        Raises:
            ClientClosedError: the client was closed (nothing more is sent).
            JobFailedError: the job closed with ``result_code`` >= 100 (unless
                ``raise_on_failure`` is false).
            JobTimeoutError: the job was not closed in time (``.job`` is the last
                detail seen, if any).
        """
        job_id = check_id("job_id", job_id)
        path = _detail_path(org_sid, team_name, repo_id, project_id, job_id)
        poll_interval = check_number("poll_interval", poll_interval, what=_SECONDS, above=0)
        timeout = check_number("timeout", timeout, what=_SECONDS, above=0)
        transport = self._client.transport
        clock = transport.clock
        deadline = clock.monotonic() + timeout
        last: JobDetail | None = None
        try:
            with anyio.fail_after(timeout):
                while True:
                    last = await self.get(org_sid, team_name, repo_id, project_id, job_id)
                    if on_poll is not None:
                        on_poll(last)
                    if last.is_closed:
                        if raise_on_failure and last.failed:
                            raise JobFailedError(last)
                        return last
                    remaining = deadline - clock.monotonic()
                    if remaining <= 0:
                        raise JobTimeoutError(job_id, timeout, job=last)
                    await transport.pause(min(poll_interval, remaining), "GET", path)
        except TimeoutError:
            raise JobTimeoutError(job_id, timeout, job=last) from None


def _detail_path(org_sid: str, team_name: str, repo_id: int, project_id: int, job_id: int) -> str:
    """``…/jobs/<job_id>/detail/``, every part checked."""
    return main_path(
        *project_segments(org_sid, team_name, repo_id, project_id),
        "jobs",
        check_id("job_id", job_id),
        "detail",
    )
