"""TCAClient: the Tencent Cloud Code Analysis API."""

from __future__ import annotations

import os
from typing import Any

from .. import _http
from .._base_client import BaseClient
from .._convert import make_converter
from ._envelope import decode_tca
from .check_packages import CheckPackages
from .issues import Issues
from .jobs import Jobs
from .metrics import Cloc, Complexity, Duplicates
from .orgs import Orgs
from .overview import Overviews
from .projects import Projects
from .repos import Repos
from .scan_dirs import ScanDirs
from .scans import Scans
from .schemes import Schemes
from .teams import Teams

__all__ = ["TCAClient"]

BASE_URL_ENV = "TCA_BASE_URL"


class TCAClient(BaseClient):
    """An async client for TCA's main and analysis APIs.

    Args:
        base_url: the site origin, e.g. ``https://tca.tencent.com`` or a self-hosted
            server; the client adds ``/server/main/api/`` and ``/server/analysis/api/``.
            Default: the ``TCA_BASE_URL`` environment variable.
        auth: :class:`~tca_tapd.TCATicketAuth` (hosted) or
            :class:`~tca_tapd.TCATokenAuth` (self-hosted).
        **options: ``timeout``, ``retry``, ``rate_limit``, ``max_concurrency``,
            ``limits``, ``http_client``, ``transport``, ``clock``, ``headers``; see
            :class:`~tca_tapd._transport.Transport`.

    Resource groups: on the main server :attr:`orgs`, :attr:`teams`, :attr:`repos`,
    :attr:`projects`, :attr:`schemes`, :attr:`scan_dirs`, :attr:`check_packages`,
    :attr:`scans`, :attr:`jobs`; on the analysis server :attr:`issues`,
    :attr:`complexity`, :attr:`duplicates`, :attr:`cloc`, :attr:`overview`. Path
    identifiers are positional, in URL order (``org_sid, team_name, repo_id,
    project_id, …``); filters are keywords.
    """

    def __init__(
        self, base_url: str | None = None, auth: _http.Auth | None = None, **options: Any
    ) -> None:
        base_url = base_url or os.environ.get(BASE_URL_ENV)
        if not base_url:
            raise ValueError(f"base_url is required (or set {BASE_URL_ENV})")
        super().__init__(
            base_url=base_url, auth=auth, decode=decode_tca, converter=make_converter, **options
        )
        self.orgs = Orgs(self)
        """Organisations: list, get."""
        self.teams = Teams(self)
        """Teams of an organisation: list, get, create."""
        self.repos = Repos(self)
        """Code repositories: list, get, create, update, delete, branches."""
        self.projects = Projects(self)
        """Analysis projects of a repository: list, get, create."""
        self.schemes = Schemes(self)
        """Scan schemes: list, copy, init, basic/lint/metric conf, org templates."""
        self.scan_dirs = ScanDirs(self)
        """Directories a scheme includes or excludes: list, get, create, update, delete."""
        self.check_packages = CheckPackages(self)
        """Rule sets of a scheme: list, list_available, add."""
        self.scans = Scans(self)
        """Start a scan: create."""
        self.jobs = Jobs(self)
        """Scan jobs: list, get, cancel, wait."""
        self.issues = Issues(self)
        """Lint issues: list, get."""
        self.complexity = Complexity(self)
        """Cyclomatic complexity: files, issues."""
        self.duplicates = Duplicates(self)
        """Duplicate code: files, get, blocks."""
        self.cloc = Cloc(self)
        """Line counts: files, languages, summary."""
        self.overview = Overviews(self)
        """Overviews: get, latest_scan, lint/cc/dup/cloc scan histories."""
