"""Matching a TAPD workspace's linked git projects to TCA repositories (pure, no I/O).

The rules are described in :mod:`tca_tapd.report`; this module implements them on
plain values so they can be tested without a server.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal
from urllib.parse import urlsplit

from attrs import define, evolve

from ._redact import redact_repo_url
from .tapd.models import TGitGroup, TGitProject
from .tca.models import Repo

__all__ = [
    "LinkedGit",
    "Match",
    "MatchRule",
    "TCARepoRef",
    "UnmatchedLink",
    "linked_git",
    "match_linked",
    "normalize_git_url",
]

MatchRule = Literal["url", "path", "group"]
"""How a TCA repo was matched: ``url`` (same normalised URL), ``path`` (TCA URL path
equals ``path_with_namespace``), ``group`` (TCA URL path under a group's
``full_path``)."""

# Keys a tgit item might carry a clone URL under. Inferred: TAPD's document for
# relate_third_projects shows none; these are the names TGit (GitLab-based) uses in
# its own API, honoured if TAPD ever forwards them.
URL_KEYS = ("http_url_to_repo", "ssh_url_to_repo", "web_url", "git_url", "url")

_SCP_LIKE = re.compile(r"^(?:[^@/\s]+@)?(?P<host>[^:/\s]+):(?!//)(?P<path>.+)$")


def normalize_git_url(url: str | None) -> tuple[str, str] | None:
    """``(host, path)`` of a git URL, for comparison; ``None`` when it is not one.

    ``https://Host/grp/repo.git/``, ``http://host/grp/repo``, ``ssh://git@host:22/grp/repo``
    and ``git@host:grp/repo.git`` all give ``("host", "grp/repo")``: the scheme, user
    info, port, a trailing ``.git`` and slashes are dropped, and host and path are
    case-folded (TGit, like GitLab, resolves paths case-insensitively; inferred).
    """
    if not isinstance(url, str):
        return None
    text = url.strip()
    if not text:
        return None
    if "://" in text:
        try:
            parts = urlsplit(text)
            host, path = parts.hostname or "", parts.path
        except ValueError:  # e.g. an unclosed IPv6 bracket: not a URL to compare
            return None
    else:
        scp = _SCP_LIKE.match(text)
        if scp is None:
            return None
        host, path = scp.group("host"), scp.group("path")
    path = normalize_path(path)
    if not host or not path:
        return None
    return host.casefold(), path


def normalize_path(path: str) -> str:
    """A repo or group path as compared: no surrounding or doubled slashes, no
    trailing ``.git``, case-folded."""
    segments = [s for s in path.strip().split("/") if s]
    if segments and segments[-1].casefold().endswith(".git"):
        segments[-1] = segments[-1][:-4]
        if not segments[-1]:
            segments.pop()
    return "/".join(segments).casefold()


@define(frozen=True)
class LinkedGit:
    """A git project or group linked to the TAPD workspace (one ``tgit`` item).

    Attributes:
        kind: ``project`` (a :class:`~tca_tapd.tapd.TGitProject`) or ``group`` (a
            :class:`~tca_tapd.tapd.TGitGroup`, ``is_group`` true).
        path: ``path_with_namespace`` of a project, ``full_path`` of a group (or its
            ``path`` when ``full_path`` is missing).
        git_id: ``git_project_id`` or ``group_id``.
        name: the item's ``name``.
        urls: clone URLs the item carried (inferred keys, see :data:`URL_KEYS`;
            TAPD's document shows none), redacted.
    """

    kind: Literal["project", "group"]
    path: str | None
    git_id: int
    name: str
    urls: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The linked item as JSON-ready data."""
        return {
            "kind": self.kind,
            "path": self.path,
            "git_id": self.git_id,
            "name": self.name,
            "urls": list(self.urls),
        }


@define(frozen=True)
class TCARepoRef:
    """A TCA repository as the report shows it (``scm_url`` with any credentials masked)."""

    team_name: str
    id: int
    name: str | None
    scm_url: str

    @classmethod
    def of(cls, team_name: str, repo: Repo) -> TCARepoRef:
        """The reference of a listed :class:`~tca_tapd.tca.Repo` (TCA may send no name)."""
        return cls(team_name, repo.id, repo.name, redact_repo_url(repo.scm_url))

    def to_json(self) -> dict[str, Any]:
        """The reference as JSON-ready data."""
        return {"team": self.team_name, "id": self.id, "name": self.name, "scm_url": self.scm_url}


@define(frozen=True)
class UnmatchedLink:
    """A linked git project or group for which no TCA repo was reported, and why."""

    linked: LinkedGit
    reason: str

    def to_json(self) -> dict[str, Any]:
        """The item and the reason as JSON-ready data."""
        return {**self.linked.to_json(), "reason": self.reason}


@define(frozen=True)
class Match:
    """One TCA repo chosen for a linked item, by ``rule``; ``also_matched`` are the
    other TCA repos the same rule found (an ambiguous match), not reported."""

    linked: LinkedGit
    team_name: str
    repo: Repo
    rule: MatchRule
    also_matched: tuple[TCARepoRef, ...] = ()


def linked_git(item: TGitProject | TGitGroup) -> LinkedGit:
    """The :class:`LinkedGit` of one ``relate_third_projects(…, "tgit")`` item."""
    raw: Mapping[str, Any] = item.raw or {}
    urls = tuple(
        redact_repo_url(raw[k]) for k in URL_KEYS if isinstance(raw.get(k), str) and raw[k].strip()
    )
    if isinstance(item, TGitGroup):
        return LinkedGit("group", item.full_path or item.path, item.group_id, item.name, urls)
    return LinkedGit("project", item.path_with_namespace, item.git_project_id, item.name, urls)


@define(frozen=True)
class _Candidate:
    order: int  # team position, then repo id: the deterministic preference
    team_name: str
    repo: Repo
    locations: frozenset[tuple[str, str]]

    @property
    def paths(self) -> frozenset[str]:
        return frozenset(path for _, path in self.locations)

    def ref(self) -> TCARepoRef:
        return TCARepoRef.of(self.team_name, self.repo)


def _candidates(repos: Iterable[tuple[str, Repo]]) -> list[_Candidate]:
    """TCA git repos with their normalised URL locations, in preference order."""
    teams: dict[str, int] = {}
    out = []
    for team_name, repo in repos:
        if (repo.scm_type or "").casefold() != "git":
            continue  # a tgit project is never an svn repository
        locations = {normalize_git_url(u) for u in (repo.scm_url, repo.ssh_url)}
        found = frozenset(loc for loc in locations if loc is not None)
        if found:
            position = teams.setdefault(team_name, len(teams))
            out.append(_Candidate(position, team_name, repo, found))
    out.sort(key=lambda c: (c.order, c.repo.id))
    return out


def match_linked(
    linked: Sequence[LinkedGit], repos: Iterable[tuple[str, Repo]]
) -> tuple[list[Match], list[UnmatchedLink]]:
    """Match linked git items to TCA repos (``(team_name, repo)`` pairs, teams in
    preference order); see :mod:`tca_tapd.report` for the rules.

    Returns the matches in the order of ``linked`` (a group's repos in its place,
    by team then repo id) and the items left unmatched, with their reasons.
    """
    candidates = _candidates(repos)
    taken: dict[tuple[str, int], str] = {}  # (team, repo id) -> the linked path that took it
    claimed: dict[tuple[str, int], str] = {}  # every candidate of a matched project
    chosen: dict[int, list[Match]] = {}
    unmatched: dict[int, UnmatchedLink] = {}

    for index, item in enumerate(linked):
        if item.kind != "project":
            continue
        found, rule = _project_candidates(item, candidates)
        if not found:
            unmatched[index] = UnmatchedLink(item, _no_repo_reason(item))
            continue
        free = [c for c in found if (c.team_name, c.repo.id) not in taken]
        if not free:
            first = found[0]
            unmatched[index] = UnmatchedLink(
                item,
                f"its TCA repo {first.team_name}/{first.repo.name} (id {first.repo.id}) is "
                f"already reported for {taken[(first.team_name, first.repo.id)]}",
            )
            continue
        pick = free[0]
        taken[(pick.team_name, pick.repo.id)] = item.path or item.name
        for cand in found:  # the picked one and those listed in also_matched
            claimed.setdefault((cand.team_name, cand.repo.id), item.path or item.name)
        others = tuple(c.ref() for c in found if c is not pick)
        chosen[index] = [Match(item, pick.team_name, pick.repo, rule, others)]

    # Each TCA repo appears once: a repo another row reports leaves the also_matched
    # of the rows before it (whatever the order of the rows).
    for index, (match,) in list(chosen.items()):
        kept = tuple(r for r in match.also_matched if (r.team_name, r.id) not in taken)
        if kept != match.also_matched:
            chosen[index] = [evolve(match, also_matched=kept)]

    # Groups after projects: a repo a linked project matched (reported for it, or listed
    # in its also_matched) is not reported again for a group.
    for key, owner in claimed.items():
        taken.setdefault(key, owner)
    groups = [
        (i, item, normalize_path(item.path or ""))
        for i, item in enumerate(linked)
        if item.kind == "group"
    ]
    under: dict[int, list[_Candidate]] = {i: [] for i, _, _ in groups}
    shadowed: dict[int, int] = dict.fromkeys(under, 0)
    for cand in candidates:
        owners = [
            (len(path), -i)
            for i, _, path in groups
            if path and any(p.startswith(path + "/") for p in cand.paths)
        ]
        if not owners:
            continue
        _, minus_index = max(owners)  # the deepest group, then the first listed
        if (cand.team_name, cand.repo.id) in taken:
            shadowed[-minus_index] += 1
            continue
        under[-minus_index].append(cand)
        taken[(cand.team_name, cand.repo.id)] = "group " + (linked[-minus_index].path or "")
    for index, item, path in groups:
        if under[index]:
            chosen[index] = [Match(item, c.team_name, c.repo, "group") for c in under[index]]
        elif not path:
            unmatched[index] = UnmatchedLink(item, "the group has no full_path or path")
        elif shadowed[index]:
            unmatched[index] = UnmatchedLink(
                item,
                f"its {shadowed[index]} TCA repo(s) under {item.path}/ are matched "
                "by linked projects",
            )
        else:
            unmatched[index] = UnmatchedLink(item, f"no TCA git repo under {item.path}/")

    matches = [m for i in sorted(chosen) for m in chosen[i]]
    return matches, [unmatched[i] for i in sorted(unmatched)]


def _project_candidates(
    item: LinkedGit, candidates: list[_Candidate]
) -> tuple[list[_Candidate], MatchRule]:
    """The TCA repos a linked project matches: by URL if it carries one, else by path."""
    urls = {loc for loc in map(normalize_git_url, item.urls) if loc is not None}
    if urls:
        by_url = [c for c in candidates if c.locations & urls]
        if by_url:
            return by_url, "url"
    path = normalize_path(item.path or "")
    if not path:
        return [], "path"
    return [c for c in candidates if path in c.paths], "path"


def _no_repo_reason(item: LinkedGit) -> str:
    if not item.path and not item.urls:
        return "the linked project has no path_with_namespace"
    shown = item.path or ", ".join(item.urls)
    return f"no TCA git repo with the path or URL of {shown}"
