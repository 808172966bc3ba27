"""TCA scan schemes: a repository's schemes, their configuration, org templates.

Modelled on TCA.md §4 and the captures of ``schemes/``, ``basicconf/``,
``lintconf/``, ``metricconf/`` and ``v3/…/initscheme/`` (201 ``{"scan_scheme": id}``).
``copyscheme/`` (201 ``{"scan_scheme": id}``) is documented, not captured. The conf
updates are ``PATCH``\\ es of the given fields only: the server's schema (captured,
``main_swagger_openapi``) offers ``PUT`` (a whole update; ``basicconf`` needs its
``name`` then) and ``PATCH`` (partial) on each; no update is captured.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, TypeVar

from .._transport import TimeoutArg
from .._validate import check_id, check_int, check_name, clean_params
from ..errors import StructureError
from ..pagination import AsyncPager
from ._filters import render_bool, render_csv, render_enum, render_str, require_str
from ._paths import main_path, main_v3_path
from ._resource import Resource, body, repo_segments, scheme_segments
from .enums import SchemeStatus
from .models import LintConf, MetricConf, Scheme, SchemeTemplate

__all__ = ["Schemes", "TemplateScope"]

T = TypeVar("T")
TemplateScope = Literal["all", "system", "not_system", "editable"]
"""Which templates ``schemes.list_templates`` lists: all, system, not_system, or editable ones."""
_TEMPLATE_SCOPES = ("all", "system", "not_system", "editable")


def _scheme_path(org_sid: str, team_name: str, repo_id: int, scheme_id: int, leaf: str) -> str:
    return main_path(*scheme_segments(org_sid, team_name, repo_id, scheme_id), leaf)


def _languages(value: Sequence[str] | None) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str) or not all(isinstance(x, str) and x for x in value):
        raise TypeError(f"languages must be a sequence of language names, got {value!r}")
    return list(value)


def _scheme_id(data: Any) -> int:
    """``{"scan_scheme": id}`` → id."""
    value = data.get("scan_scheme") if isinstance(data, dict) else None
    if isinstance(value, bool) or not isinstance(value, int):
        raise StructureError(
            model="{scan_scheme: int}", path="$.scan_scheme", value=data, reason="expected an id"
        )
    return value


class Schemes(Resource):
    """Scan schemes. Reached as ``tca.schemes``."""

    def list(
        self,
        org_sid: str,
        team_name: str,
        repo_id: int,
        *,
        name: str | None = None,
        status: SchemeStatus | int | None = None,
        default_flag: bool | None = None,
        include_branch: str | Sequence[str] | None = None,
        exclude_branch: str | Sequence[str] | None = None,
        refer_template_ids: int | Sequence[int] | None = None,
        page_size: int = 100,
        prefetch: int = 1,
        timeout: TimeoutArg = None,
    ) -> AsyncPager[Scheme]:
        """The repository's schemes, filtered (the server's ``ScanSchemeFilter``).

        Args:
            name: schemes whose name contains this text.
            status: active or deprecated (:class:`SchemeStatus`).
            default_flag: only the repository's default scheme (``True``), or the others.
            include_branch: schemes with a project on one of these branches.
            exclude_branch: schemes with no project on any of these branches.
            refer_template_ids: schemes made from exactly these templates (sent sorted,
                as the server asks; it ignores a value it cannot read instead of
                refusing it).
        """
        templates = render_csv("refer_template_ids", refer_template_ids, number=check_id)
        params = clean_params(
            {
                "name": render_str("name", name),
                "status": render_enum("status", status, SchemeStatus),
                "default_flag": render_bool("default_flag", default_flag),
                "include_branch": render_csv("include_branch", include_branch),
                "exclude_branch": render_csv("exclude_branch", exclude_branch),
                "refer_template_ids": None
                if templates is None
                else ",".join(sorted(templates.split(","), key=int)),
            }
        )
        return self._list(
            main_path(*repo_segments(org_sid, team_name, repo_id), "schemes"),
            params,
            Scheme,
            page_size=page_size,
            prefetch=prefetch,
            timeout=timeout,
        )

    async def copy(
        self,
        org_sid: str,
        team_name: str,
        repo_id: int,
        ref_scheme: int,
        name: str,
        *,
        timeout: TimeoutArg = None,
    ) -> int:
        """Create a scheme as a copy of template ``ref_scheme``; returns the new scheme id."""
        path = main_path(*repo_segments(org_sid, team_name, repo_id), "copyscheme")
        payload = {
            "ref_scheme": check_id("ref_scheme", ref_scheme),
            "name": require_str("name", name),
        }
        return _scheme_id(await self._send("POST", path, payload, timeout=timeout))

    async def init(
        self,
        org_sid: str,
        team_name: str,
        repo_id: int,
        name: str,
        languages: Sequence[str],
        *,
        lint_enabled: bool = True,
        cc_scan_enabled: bool = True,
        dup_scan_enabled: bool = True,
        cloc_scan_enabled: bool = True,
        timeout: TimeoutArg = None,
    ) -> int:
        """Create a scheme from scratch (captured ``v3/…/initscheme/``); returns its id."""
        path = main_v3_path(*repo_segments(org_sid, team_name, repo_id), "initscheme")
        payload = {
            "name": require_str("name", name),
            "languages": _languages(languages),
            "lint_enabled": render_bool("lint_enabled", lint_enabled),
            "cc_scan_enabled": render_bool("cc_scan_enabled", cc_scan_enabled),
            "dup_scan_enabled": render_bool("dup_scan_enabled", dup_scan_enabled),
            "cloc_scan_enabled": render_bool("cloc_scan_enabled", cloc_scan_enabled),
        }
        return _scheme_id(await self._send("POST", path, payload, timeout=timeout))

    async def get_basic_conf(
        self,
        org_sid: str,
        team_name: str,
        repo_id: int,
        scheme_id: int,
        *,
        timeout: TimeoutArg = None,
    ) -> Scheme:
        """A scheme's basic settings (the scheme itself)."""
        return await self._get(
            _scheme_path(org_sid, team_name, repo_id, scheme_id, "basicconf"),
            Scheme,
            timeout=timeout,
        )

    async def update_basic_conf(
        self,
        org_sid: str,
        team_name: str,
        repo_id: int,
        scheme_id: int,
        *,
        name: str | None = None,
        description: str | None = None,
        languages: Sequence[str] | None = None,
        tag: str | None = None,
        status: SchemeStatus | int | None = None,
        default_flag: bool | None = None,
        job_runtime_limit: int | None = None,
        ignore_merged_issue: bool | None = None,
        ignore_branch_issue: str | None = None,
        ignore_submodule_clone: bool | None = None,
        ignore_submodule_issue: bool | None = None,
        issue_global_ignore: bool | None = None,
        daily_save: bool | None = None,
        lfs_flag: bool | None = None,
        timeout: TimeoutArg = None,
    ) -> Scheme:
        """Change a scheme's basic settings (the fields given, and always ``default_flag``).

        ``ignore_branch_issue``: a branch whose issues are left out (a branch name, as
        the server's schema has it: text, not a flag). ``default_flag=True`` makes this
        the repository's default scheme (the server unmarks the others).

        The server's update takes a missing ``default_flag`` as false, so an update that
        left it out would unmark the repository's default scheme: when it is not given
        the scheme's current mark is fetched first and sent back unchanged.
        """
        path = _scheme_path(org_sid, team_name, repo_id, scheme_id, "basicconf")
        flags = {
            "ignore_merged_issue": ignore_merged_issue,
            "ignore_submodule_clone": ignore_submodule_clone,
            "ignore_submodule_issue": ignore_submodule_issue,
            "issue_global_ignore": issue_global_ignore,
            "daily_save": daily_save,
            "lfs_flag": lfs_flag,
        }
        payload = body(
            name=render_str("name", name),
            description=render_str("description", description),
            languages=_languages(languages),
            tag=render_str("tag", tag),
            ignore_branch_issue=render_str("ignore_branch_issue", ignore_branch_issue),
            status=render_enum("status", status, SchemeStatus),
            job_runtime_limit=None
            if job_runtime_limit is None
            else check_int("job_runtime_limit", job_runtime_limit, minimum=1),
            **{key: render_bool(key, value) for key, value in flags.items()},
        )
        if not payload and default_flag is None:
            raise ValueError("nothing to update: give at least one field")
        if default_flag is None:
            current = await self._get(path, Scheme, timeout=timeout)
            default_flag = bool(current.default_flag)
        payload["default_flag"] = render_bool("default_flag", default_flag)
        return await self._update(path, payload, Scheme, timeout)

    async def get_lint_conf(
        self,
        org_sid: str,
        team_name: str,
        repo_id: int,
        scheme_id: int,
        *,
        timeout: TimeoutArg = None,
    ) -> LintConf:
        """A scheme's lint settings and rule sets."""
        return await self._get(
            _scheme_path(org_sid, team_name, repo_id, scheme_id, "lintconf"),
            LintConf,
            timeout=timeout,
        )

    async def update_lint_conf(
        self,
        org_sid: str,
        team_name: str,
        repo_id: int,
        scheme_id: int,
        *,
        enabled: bool | None = None,
        build_cmd: str | None = None,
        pre_cmd: str | None = None,
        envs: str | None = None,
        timeout: TimeoutArg = None,
    ) -> LintConf:
        """Turn lint on or off, or set its build commands."""
        path = _scheme_path(org_sid, team_name, repo_id, scheme_id, "lintconf")
        payload = body(
            enabled=render_bool("enabled", enabled),
            build_cmd=render_str("build_cmd", build_cmd),
            pre_cmd=render_str("pre_cmd", pre_cmd),
            envs=render_str("envs", envs),
        )
        return await self._update(path, payload, LintConf, timeout)

    async def get_metric_conf(
        self,
        org_sid: str,
        team_name: str,
        repo_id: int,
        scheme_id: int,
        *,
        timeout: TimeoutArg = None,
    ) -> MetricConf:
        """A scheme's complexity, duplicate-code and line-count settings."""
        return await self._get(
            _scheme_path(org_sid, team_name, repo_id, scheme_id, "metricconf"),
            MetricConf,
            timeout=timeout,
        )

    async def update_metric_conf(
        self,
        org_sid: str,
        team_name: str,
        repo_id: int,
        scheme_id: int,
        *,
        cc_scan_enabled: bool | None = None,
        min_ccn: int | None = None,
        dup_scan_enabled: bool | None = None,
        dup_block_length_min: int | None = None,
        dup_block_length_max: int | None = None,
        dup_min_dup_times: int | None = None,
        dup_max_dup_times: int | None = None,
        dup_min_midd_rate: int | None = None,
        dup_min_high_rate: int | None = None,
        dup_min_exhi_rate: int | None = None,
        dup_issue_limit: int | None = None,
        cloc_scan_enabled: bool | None = None,
        timeout: TimeoutArg = None,
    ) -> MetricConf:
        """Change metric settings (only the fields given are sent)."""
        path = _scheme_path(org_sid, team_name, repo_id, scheme_id, "metricconf")
        numbers = {
            "min_ccn": min_ccn,
            "dup_block_length_min": dup_block_length_min,
            "dup_block_length_max": dup_block_length_max,
            "dup_min_dup_times": dup_min_dup_times,
            "dup_max_dup_times": dup_max_dup_times,
            "dup_min_midd_rate": dup_min_midd_rate,
            "dup_min_high_rate": dup_min_high_rate,
            "dup_min_exhi_rate": dup_min_exhi_rate,
            "dup_issue_limit": dup_issue_limit,
        }
        flags = {
            "cc_scan_enabled": cc_scan_enabled,
            "dup_scan_enabled": dup_scan_enabled,
            "cloc_scan_enabled": cloc_scan_enabled,
        }
        payload = body(
            **{k: None if v is None else check_int(k, v, minimum=0) for k, v in numbers.items()},
            **{k: render_bool(k, v) for k, v in flags.items()},
        )
        return await self._update(path, payload, MetricConf, timeout)

    def list_templates(
        self,
        org_sid: str,
        *,
        name: str | None = None,
        scope: TemplateScope | None = None,
        page_size: int = 100,
        prefetch: int = 1,
        timeout: TimeoutArg = None,
    ) -> AsyncPager[SchemeTemplate]:
        """The organisation's scheme templates (``scope``: all, system, not_system, editable)."""
        check_name("org_sid", org_sid)
        if scope is not None and scope not in _TEMPLATE_SCOPES:
            raise ValueError(f"scope must be one of {', '.join(_TEMPLATE_SCOPES)}; got {scope!r}")
        params = clean_params({"name": render_str("name", name), "scope": scope})
        return self._list(
            main_path("orgs", org_sid, "schemes"),
            params,
            SchemeTemplate,
            page_size=page_size,
            prefetch=prefetch,
            timeout=timeout,
        )

    async def get_template(
        self, org_sid: str, template_id: int, *, timeout: TimeoutArg = None
    ) -> SchemeTemplate:
        """One scheme template of the organisation."""
        path = main_path(
            "orgs", check_name("org_sid", org_sid), "schemes", check_id("template_id", template_id)
        )
        return await self._get(path, SchemeTemplate, timeout=timeout)

    async def _update(
        self, path: str, payload: dict[str, Any], model: type[T], timeout: TimeoutArg
    ) -> T:
        if not payload:
            raise ValueError("nothing to update: give at least one field")
        # PATCH: only the fields given (the server's schema has both; a PUT is a whole
        # update, which refuses a basicconf without its name).
        return await self._write("PATCH", path, payload, model, timeout=timeout)
