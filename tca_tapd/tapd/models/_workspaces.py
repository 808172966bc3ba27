"""Workspaces (projects), their members, the current user, and linked third-party projects.

Sources: TAPD's ``get_workspace_info`` and ``get_workspace_users`` pages as mirrored
by go-tapd/tapd (fixtures), ``users/info``'s reference page, and TAPD's own
document for ``workspaces/relate_third_projects`` (the seed).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum

from attrs import define, field

from ..._convert import Model
from .._types import LinkId, ObjectMap

__all__ = [
    "Member",
    "TGitGroup",
    "TGitProject",
    "TSvnItem",
    "ThirdProject",
    "ThirdType",
    "UserInfo",
    "Workspace",
]


@define(frozen=True)
class Workspace(Model):
    """A workspace (项目). ``status`` is ``normal``, ``closed`` or ``suspend``.

    ``member_count`` comes only in ``workspaces/projects``; ``WorkspaceExtends`` only
    with ``with_extends=1`` (``[]`` when empty, like every empty PHP map, is ``{}``).
    """

    id: int
    name: str | None = None
    pretty_name: str | None = None
    category: str | None = None
    status: str | None = None
    description: str | None = None
    creator: str | None = None
    creator_id: str | None = None
    created: datetime | None = None
    begin_date: date | None = None
    end_date: date | None = None
    company_id: int | None = None
    parent_id: LinkId | None = None
    secrecy: bool | None = None
    external_on: bool | None = None
    new_task: bool | None = None
    member_count: int | None = None
    product_type: str | None = None
    platform_type: str | None = None
    is_self_development: str | None = None
    objective: str | None = None
    schedule: str | None = None
    milestone: str | None = None
    risk: str | None = None
    closed: datetime | None = None
    WorkspaceExtends: ObjectMap = field(factory=lambda: ObjectMap({}))


@define(frozen=True)
class Member(Model):
    """A workspace member (``UserWorkspace``); ``role_id`` is a tuple of role ids."""

    user: str
    user_id: str | None = None
    role_id: tuple[str, ...] = ()
    name: str | None = None
    email: str | None = None
    status: str | None = None
    allocation: int | None = None
    join_project_time: date | None = None
    real_join_time: date | None = None
    leave_project_time: date | None = None


@define(frozen=True)
class UserInfo(Model):
    """The user behind a user token (``users/info``). ``status_id``: 1 active, 2 left, 3 frozen."""

    id: str
    nick: str
    name: str | None = None
    avatar: str | None = None
    enabled: bool | None = None
    status_id: str | None = None
    status_name: str | None = None


class ThirdType(str, Enum):
    """The ``third_type`` values of ``workspaces/relate_third_projects``."""

    ZHIYAN = "zhiyan"
    """智研 (Zhiyan): items carry ``third_project_id`` and ``mode``."""
    BK = "bk"
    """蓝鲸 (BlueKing): items carry ``third_project_id`` and ``mode``."""
    TGIT = "tgit"
    """工蜂 Git (Tencent Git): git projects and git groups (``is_group``)."""
    TSVN = "tsvn"
    """Tencent SVN: items carry ``is_group`` like tgit's; the rest is not documented."""


@define(frozen=True)
class ThirdProject(Model):
    """A Zhiyan or BlueKing project linked to a workspace (seed example 1)."""

    third_project_id: int
    mode: str | None = None


@define(frozen=True)
class TGitProject(Model):
    """A Tencent Git project linked to a workspace (seed example 2, first item).

    ``url_token`` is kept out of ``repr`` as it looks like a credential.
    """

    id: str
    workspace_id: int
    git_project_id: int
    name: str
    git_app_id: int | None = None
    path_with_namespace: str | None = None
    creator: str | None = None
    created: datetime | None = None
    modified: datetime | None = None
    modifier: str | None = None
    status: int | None = None
    url_token: str | None = field(default=None, repr=False)
    instance_name: str | None = None
    is_group: bool = False


@define(frozen=True)
class TGitGroup(Model):
    """A Tencent Git group linked to a workspace (seed example 2, ``is_group: true``)."""

    id: str
    workspace_id: int
    group_id: int
    name: str
    git_app_id: int | None = None
    path: str | None = None
    full_path: str | None = None
    full_name: str | None = None
    is_deleted: bool | None = None
    creator: str | None = None
    created: datetime | None = None
    modified: datetime | None = None
    modifier: str | None = None
    instance_name: str | None = None
    is_group: bool = True


@define(frozen=True)
class TSvnItem(Model):
    """A Tencent SVN project or group linked to a workspace.

    Inferred: the seed only says tsvn items carry ``is_group`` like tgit's; the other
    fields here are the ones tgit items share, all optional, and ``raw`` has the rest.
    """

    id: str | None = None
    workspace_id: int | None = None
    name: str | None = None
    is_group: bool = False
    creator: str | None = None
    created: datetime | None = None
    modified: datetime | None = None
