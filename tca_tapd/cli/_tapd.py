"""``tca-tapd tapd``: list and count stories, bugs, tasks and iterations."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any

import typer
from attrs import define

from ..tapd import TAPDClient
from ..tapd._collection import ListResource
from ..tapd.filters import any_of, between, ids
from ._common import (
    ColumnsOption,
    FormatOption,
    LimitOption,
    OutputOption,
    QuietOption,
    parse_when,
    state_of,
    write_listing,
)
from ._errors import UsageError
from ._output import ListFormat

__all__ = ["ENTITIES", "Entity", "build_filters", "tapd_app"]

tapd_app = typer.Typer(
    help="TAPD: list and count stories, bugs, tasks and iterations of a workspace.",
    no_args_is_help=True,
)
"""``tca-tapd tapd``: a command group per work-item type."""


@define(frozen=True)
class Entity:
    """A TAPD work-item type as the CLI offers it.

    Attributes:
        name: the command group (``stories``).
        owner_field: the TAPD field ``--owner`` filters on.
        has_iteration: whether ``--iteration-id`` applies.
        columns: the default table/CSV columns.
        resource: the client's resource group.
    """

    name: str
    owner_field: str
    has_iteration: bool
    columns: tuple[str, ...]
    resource: Callable[[TAPDClient], ListResource[Any]]


ENTITIES = (
    Entity(
        "stories", "owner", True,
        ("id", "name", "status", "owner", "iteration_id", "priority_label", "created"),
        lambda tapd: tapd.stories,
    ),
    Entity(
        "bugs", "current_owner", True,
        ("id", "title", "status", "severity", "current_owner", "iteration_id", "created"),
        lambda tapd: tapd.bugs,
    ),
    Entity(
        "tasks", "owner", True,
        ("id", "name", "status", "owner", "story_id", "iteration_id", "progress", "created"),
        lambda tapd: tapd.tasks,
    ),
    Entity(
        "iterations", "creator", False,
        ("id", "name", "status", "startdate", "enddate", "creator"),
        lambda tapd: tapd.iterations,
    ),
)  # fmt: skip
"""The work-item types with ``list`` and ``count`` commands."""

_FIELD_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _one_or_any(values: list[str] | None) -> Any:
    """One value as typed (TAPD's own ``a|b`` works), several as any of them."""
    if not values:
        return None
    return values[0] if len(values) == 1 else any_of(*values)


def build_filters(
    entity: Entity,
    *,
    status: list[str] | None = None,
    owner: list[str] | None = None,
    iteration_id: str | None = None,
    created: str | None = None,
    modified: str | None = None,
    extra: list[str] | None = None,
) -> dict[str, Any]:
    """The keyword filters for ``list``/``count``, checked before anything is sent.

    Raises:
        UsageError: a malformed value, or a field given twice.
    """
    filters: dict[str, Any] = {}
    named: dict[str, Any] = {"status": _one_or_any(status), entity.owner_field: _one_or_any(owner)}
    if iteration_id is not None:
        if not entity.has_iteration:
            raise UsageError(f"{entity.name} have no iteration_id; use --filter id=…")
        parts = [p.strip() for p in iteration_id.split(",")]
        if not all(p.isdigit() for p in parts):
            raise UsageError(f"--iteration-id must be ids (digits), got {iteration_id!r}")
        named["iteration_id"] = parts[0] if len(parts) == 1 else ids(*parts)
    for option, value in (("created", created), ("modified", modified)):
        span = parse_when(f"--{option}", value)
        if span is not None:
            named[option] = between(*span)
    filters.update({k: v for k, v in named.items() if v is not None})
    for text in extra or ():
        key, sep, value = text.partition("=")
        key = key.strip()
        if not sep or not _FIELD_NAME.match(key):
            raise UsageError(f"--filter must be FIELD=VALUE, got {text!r}")
        if key in filters:
            raise UsageError(f"filter {key!r} is given twice")
        filters[key] = value
    return filters


WorkspaceOption = Annotated[
    int,
    typer.Option(
        "--workspace", "-w", min=1, envvar="TAPD_WORKSPACE_ID",
        help="The workspace (project) id.", show_default=False,
    ),
]  # fmt: skip
"""``-w/--workspace ID`` (env ``TAPD_WORKSPACE_ID``), on every ``tapd`` command."""
StatusOption = Annotated[
    list[str] | None,
    typer.Option(
        "--status", help="Status (repeat for any of several; TAPD's a|b works too).",
        show_default=False, rich_help_panel="Filters",
    ),
]  # fmt: skip
"""``--status S`` (repeatable): any of several statuses."""
OwnerOption = Annotated[
    list[str] | None,
    typer.Option(
        "--owner", show_default=False, rich_help_panel="Filters",
        help="Owner nickname (repeat for any of several). Filters owner (stories, tasks), "
        "current_owner (bugs) or creator (iterations).",
    ),
]  # fmt: skip
"""``--owner NAME`` (repeatable): the entity's owner field (:attr:`Entity.owner_field`)."""
IterationOption = Annotated[
    str | None,
    typer.Option(
        "--iteration-id", help="Iteration id (comma-separated for several).",
        show_default=False, rich_help_panel="Filters",
    ),
]  # fmt: skip
"""``--iteration-id ID[,ID…]`` (not for iterations)."""
CreatedOption = Annotated[
    str | None,
    typer.Option(
        "--created", metavar="FROM..TO", show_default=False, rich_help_panel="Filters",
        help="Created in this range: 2025-06-01..2025-06-30, 2025-06-01.., ..2025-06-30 "
        "or one day.",
    ),
]  # fmt: skip
"""``--created FROM..TO`` (either end may be left out) or ``--created DAY``."""
ModifiedOption = Annotated[
    str | None,
    typer.Option(
        "--modified", metavar="FROM..TO", help="Modified in this range (as --created).",
        show_default=False, rich_help_panel="Filters",
    ),
]  # fmt: skip
"""``--modified FROM..TO`` or ``--modified DAY``."""
FilterOption = Annotated[
    list[str] | None,
    typer.Option(
        "--filter", metavar="FIELD=VALUE", show_default=False, rich_help_panel="Filters",
        help="Any TAPD field, passed on as is (repeatable): --filter priority_label=High, "
        "--filter 'label=CONTAINS<urgent>'.",
    ),
]  # fmt: skip
"""``--filter FIELD=VALUE`` (repeatable): any TAPD field, passed on as is."""
FieldsOption = Annotated[
    str | None,
    typer.Option(
        "--fields", show_default=False, rich_help_panel="Output",
        help="Ask TAPD for these fields only (comma-separated; id is always included). "
        "Also the default columns.",
    ),
]  # fmt: skip
"""``--fields a,b``: TAPD's ``fields`` parameter (``list`` only)."""
OrderOption = Annotated[
    str | None,
    typer.Option(
        "--order", help="Sort order, like 'created desc' (TAPD's default: id desc).",
        show_default=False, rich_help_panel="Output",
    ),
]  # fmt: skip
"""``--order 'FIELD asc|desc'`` (``list`` only)."""


def _field_columns(fields: str | None, default: tuple[str, ...]) -> tuple[str, ...]:
    if not fields:
        return default
    names = [name.strip() for name in fields.split(",") if name.strip()]
    return tuple(dict.fromkeys(["id", *names]))


def _register(entity: Entity) -> None:
    group = typer.Typer(help=f"TAPD {entity.name} of a workspace.", no_args_is_help=True)
    tapd_app.add_typer(group, name=entity.name)

    @group.command(
        "list",
        help=f"List the workspace's {entity.name}, filtered, as a table, JSON lines or CSV.",
    )
    def list_items(
        ctx: typer.Context,
        workspace: WorkspaceOption,
        status: StatusOption = None,
        owner: OwnerOption = None,
        iteration_id: IterationOption = None,
        created: CreatedOption = None,
        modified: ModifiedOption = None,
        filter_: FilterOption = None,
        fields: FieldsOption = None,
        order: OrderOption = None,
        fmt: FormatOption = ListFormat.TABLE,
        output: OutputOption = None,
        columns: ColumnsOption = None,
        limit: LimitOption = None,
        quiet: QuietOption = False,
    ) -> None:
        state = state_of(ctx, quiet)
        page_size = min(limit, 200) if limit is not None else None

        async def body() -> None:
            filters = build_filters(
                entity,
                status=status,
                owner=owner,
                iteration_id=iteration_id,
                created=created,
                modified=modified,
                extra=filter_,
            )
            async with state.settings.tapd_client() as tapd:
                resource = entity.resource(tapd)
                pager = resource.list(
                    workspace, fields=fields, order=order, page_size=page_size, **filters
                )

                async def count() -> int:
                    return await resource.count(workspace, **filters)

                await write_listing(
                    state,
                    pager,
                    fmt=fmt,
                    output=output,
                    columns=columns,
                    default_columns=_field_columns(fields, entity.columns),
                    limit=limit,
                    title=entity.name,
                    count=count,
                )

        state.run(body)

    @group.command("count", help=f"Print how many {entity.name} match the filters.")
    def count_items(
        ctx: typer.Context,
        workspace: WorkspaceOption,
        status: StatusOption = None,
        owner: OwnerOption = None,
        iteration_id: IterationOption = None,
        created: CreatedOption = None,
        modified: ModifiedOption = None,
        filter_: FilterOption = None,
        quiet: QuietOption = False,
    ) -> None:
        state = state_of(ctx, quiet)

        async def body() -> None:
            filters = build_filters(
                entity,
                status=status,
                owner=owner,
                iteration_id=iteration_id,
                created=created,
                modified=modified,
                extra=filter_,
            )
            async with state.settings.tapd_client() as tapd:
                total = await entity.resource(tapd).count(workspace, **filters)
            typer.echo(str(total))

        state.run(body)


for _entity in ENTITIES:
    _register(_entity)
