"""The one mechanism behind every TAPD list resource: list, count, get, create, update.

A resource is described by data (:class:`Spec`: its path, the key wrapping each
item, the model, where counts and saves go, what a create needs); the classes here
do the requests. :class:`ListResource` holds the whole mechanism, with ``get`` and
``update`` as protected methods taking the name of the id argument;
:class:`ReadCollection` and :class:`Collection` expose them with an ``item_id``,
while stories, bugs, tasks and iterations expose them with the names other code
depends on (``story_id``, ``bug_id``…) through thin typed methods of their own
(:mod:`.stories`…). TAPD has no get-by-id route: ``get`` lists with ``id=`` and raises
:class:`~tca_tapd.errors.NotFoundError` when nothing comes back. Creates and
updates share one POST route (an ``id`` in the form makes it an update); they are
never retried, as TAPD offers no idempotency key.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from attrs import define

from .._convert import Model
from .._validate import check_id, check_int
from ..errors import NotFoundError
from ..pagination import AsyncPager, PageNumberPagination
from ._common import form, query, render_fields, unwrapper

if TYPE_CHECKING:
    from ._client import TAPDClient

__all__ = ["Collection", "ListResource", "ReadCollection", "Spec"]

M = TypeVar("M", bound=Model)

PAGING_DEPTH = 20000
"""The deepest ``page * limit`` TAPD serves. Past it a listing goes on with
``cursor=<the last id read>`` (no ``page``), one page at a time, in id order only.
From the summary of TAPD's 使用必读 made in 2026-09 (``shared/api/TAPD.md`` §3); the
older copy of that page does not have it, and it is not verified against the live API.
"""

_PAGING_PARAMS = frozenset({"page", "limit", "cursor"})
_ATTRIBUTION = frozenset({"current_user", "change_creator"})
"""Fields saying who makes a change, not what changes."""
_ID_ORDER = re.compile(r"\s*id(\s+(asc|desc))?\s*", re.IGNORECASE)

NEW: Any = object()
"""The ``item_id`` of a save that creates: an update's id can never be mistaken for it
(an update called with ``None`` must not create an item)."""


@define(frozen=True)
class Spec(Generic[M]):
    """What distinguishes one TAPD list resource from another.

    Attributes:
        path: the list route (``/stories``).
        wrapper: the key around each item (``Story``).
        model: the model items become.
        count_path: the count route, if TAPD has one.
        save_path: the create/update route, if any (``/new_releases`` for releases).
        required: form fields a create must have (besides ``workspace_id``).
        max_page_size: TAPD's largest ``limit`` for this route.
        settings_path: the entity's custom-field settings route, if any.
        fields_info_path: the entity's ``get_fields_info`` route, if any.
        needs_one_of: filters of which every query must give one (change records:
            ``story_id`` or ``created``).
    """

    path: str
    wrapper: str
    model: type[M]
    count_path: str | None = None
    save_path: str | None = None
    required: tuple[str, ...] = ()
    max_page_size: int = 200
    settings_path: str | None = None
    fields_info_path: str | None = None
    needs_one_of: tuple[str, ...] = ()


class ListResource(Generic[M]):
    """list and count over one :class:`Spec`, plus the shared get and save behind
    every resource's public ``get``, ``create`` and ``update``."""

    def __init__(self, client: TAPDClient, spec: Spec[M]) -> None:
        self._client = client
        self._spec = spec

    def _params(
        self,
        workspace_id: int,
        filters: Mapping[str, Any],
        fields: str | Iterable[str] | None = None,
        order: str | None = None,
    ) -> dict[str, str | int | float]:
        for name in _PAGING_PARAMS.intersection(filters):
            raise ValueError(
                f"{name}={filters[name]!r}: the pager sets {name} itself "
                "(page_size= sets the items per page)"
            )
        workspace_id = check_id("workspace_id", workspace_id)
        needed = self._spec.needs_one_of
        if needed and all(filters.get(name) is None for name in needed):
            raise ValueError(
                f"{self._spec.path} needs a {' or a '.join(needed)} filter (TAPD refuses "
                "a query without one)"
            )
        params = query(workspace_id, filters)
        if order is not None:
            if not isinstance(order, str) or not order.strip():
                raise ValueError(f"order must be like 'created desc', got {order!r}")
            params["order"] = order
        trimmed = render_fields(fields)
        if trimmed is not None:
            params["fields"] = trimmed
        return params

    def list(
        self,
        workspace_id: int,
        *,
        fields: str | Iterable[str] | None = None,
        order: str | None = None,
        page_size: int | None = None,
        prefetch: int = 1,
        timeout: float | None = None,
        **filters: Any,
    ) -> AsyncPager[M]:
        """The workspace's items matching ``filters``, page by page.

        Args:
            workspace_id: the workspace (project) id.
            fields: only these fields (``"id,name"`` or a list; ``id`` is always added).
            order: ``"<field> asc|desc"`` (TAPD's default is ``id desc``). TAPD pages
                by number only to item 20000 (the client's ``paging_depth``); past it the
                listing goes on by id cursor, one page at a time, which needs id order:
                in any other order, reaching that depth raises
                :class:`~tca_tapd.errors.PagingDepthError`.
            page_size: items per request (default and maximum: TAPD's maximum, 200;
                100 for change records).
            prefetch: page requests in flight at once; above 1 the total is asked
                of the count route, beside the first page.
            timeout: seconds for each request of this call (default: the client's).
            **filters: TAPD fields and their values: plain values or the helpers of
                :mod:`tca_tapd.tapd.filters`.

        Raises:
            TypeError, ValueError: a bad argument (before any request), or a filter
                named ``page``, ``limit`` or ``cursor`` (the pager sets those).
        """
        spec = self._spec
        limit = spec.max_page_size if page_size is None else page_size
        check_int("page_size", limit, minimum=1, maximum=spec.max_page_size)
        params = self._params(workspace_id, filters, fields, order)
        count_params = {k: v for k, v in params.items() if k not in ("order", "fields")}
        count = None
        if spec.count_path is not None:

            async def count() -> int:
                return await self._count(count_params, timeout)

        unwrap = unwrapper(spec.wrapper)
        return self._client._pager(
            spec.path,
            params,
            spec.model,
            _deep_paging(limit, order, unwrap, self._client.paging_depth),
            unwrap=unwrap,
            count=count,
            prefetch=prefetch,
            timeout=timeout,
        )

    async def _count(self, params: Mapping[str, str | int | float], timeout: float | None) -> int:
        assert self._spec.count_path is not None
        data = await self._client._request(
            "GET", self._spec.count_path, params=params, expect=dict, timeout=timeout
        )
        return self._client._one(data.get("count"), int)

    async def count(
        self, workspace_id: int, *, timeout: float | None = None, **filters: Any
    ) -> int:
        """How many items match ``filters`` (``timeout``: seconds for this call).

        Raises:
            NotImplementedError: TAPD has no count route for this resource.
        """
        params = self._params(workspace_id, filters)
        if self._spec.count_path is None:
            raise NotImplementedError(f"TAPD has no count route for {self._spec.path}")
        return await self._count(params, timeout)

    async def _get(
        self,
        workspace_id: int,
        item_id: int | str,
        id_name: str,
        fields: str | Iterable[str] | None,
        timeout: float | None,
        filters: Mapping[str, Any] | None = None,
    ) -> M:
        """One item by id (a list call with ``id=``, and ``filters`` the route needs
        besides); ``id_name`` names the id argument in errors.

        Raises:
            NotFoundError: no item of the workspace has this id.
        """
        item_id = check_id(id_name, item_id)
        params = self._params(workspace_id, {**(filters or {}), "id": item_id}, fields)
        data = await self._client._request(
            "GET", self._spec.path, params=params, expect=list, timeout=timeout
        )
        unwrap = unwrapper(self._spec.wrapper)
        for item in data:
            raw = unwrap(item)
            if isinstance(raw, dict) and str(raw.get("id")) == str(item_id):
                return self._client._one(raw, self._spec.model)
        raise NotFoundError(
            f"{self._spec.wrapper} {item_id} not found in workspace {workspace_id}",
            status_code=200,
            method="GET",
            url=self._spec.path,
        )

    async def _save(
        self,
        workspace_id: int,
        fields: Mapping[str, Any],
        timeout: float | None,
        item_id: int | str = NEW,
        id_name: str = "item_id",
    ) -> M:
        """Create (no ``item_id``) or update an item through the spec's save route;
        ``id_name`` names the id argument in errors. Not retried."""
        spec = self._spec
        assert spec.save_path is not None
        body: dict[str, Any] = {"workspace_id": check_id("workspace_id", workspace_id)}
        given, fields = fields, {name: value for name, value in fields.items() if value is not None}
        if item_id is NEW:
            missing = [name for name in spec.required if fields.get(name) in (None, "")]
            if missing:
                raise ValueError(f"creating a {spec.wrapper} needs {', '.join(missing)}")
            for name in spec.required:
                value = fields[name]
                if isinstance(value, bool):
                    raise TypeError(f"{name} must not be a bool, got {value!r}")
                if isinstance(value, str) and not value.strip():
                    raise ValueError(f"{name} must not be blank, got {value!r}")
        else:
            body["id"] = check_id(id_name, item_id)
            if not set(fields) - _ATTRIBUTION:
                raise ValueError(f"update of {spec.wrapper} {item_id}: no field to change")
        for reserved in ("workspace_id", "id"):
            if reserved in given:  # even given as None: never a field to set
                raise ValueError(f"{reserved} is an argument, not a field to set")
        body.update(fields)
        data = await self._client._request(
            "POST", spec.save_path, data=form(body), expect=dict, timeout=timeout
        )
        return self._client._one(unwrapper(spec.wrapper)(data), spec.model)


class ReadCollection(ListResource[M]):
    """list, count and get (by ``item_id``) over one :class:`Spec`."""

    async def get(
        self,
        workspace_id: int,
        item_id: int | str,
        *,
        fields: str | Iterable[str] | None = None,
        timeout: float | None = None,
        **filters: Any,
    ) -> M:
        """One item by id (a list call with ``id=``). ``filters``: what the route
        needs besides (change records: ``story_id=``/``bug_id=`` or ``created=``).

        Raises:
            ValueError: a filter the route needs is missing (before any request).
            NotFoundError: no item of the workspace has this id.
        """
        return await self._get(workspace_id, item_id, "item_id", fields, timeout, filters)


class Collection(ReadCollection[M]):
    """:class:`ReadCollection` plus update (by ``item_id``) through the spec's save route."""

    async def update(
        self, workspace_id: int, item_id: int | str, *, timeout: float | None = None, **fields: Any
    ) -> M:
        """Change fields of one item (``POST`` to the save route with ``id``); the
        updated item. Not retried.

        Raises:
            ValueError: no field given, or ``workspace_id``/``id`` among the fields.
        """
        return await self._save(workspace_id, fields, timeout, item_id)


def _deep_paging(
    limit: int, order: str | None, unwrap: Callable[[Any], Any], depth: int
) -> PageNumberPagination:
    """TAPD's paging: by page number to ``depth`` (:data:`PAGING_DEPTH` unless the
    client says otherwise), then by id cursor, which only id order allows (TAPD's
    default, ``id desc``, or ``order="id asc"``)."""
    id_order = None if order is None else _ID_ORDER.fullmatch(order)
    if order is None or id_order is not None:

        def cursor(item: Any) -> int:
            return int(unwrap(item)["id"])

        # TAPD's default is id desc; "id" alone is ascending, as in SQL (inferred).
        direction = "desc" if id_order is None else (id_order.group(2) or "asc")
        descending = direction.lower() == "desc"
        return PageNumberPagination(limit, max_depth=depth, cursor=cursor, descending=descending)
    hint = (
        f"TAPD pages deeper only by id cursor, in id order, not order={order!r}: order by "
        "id, or narrow the query (e.g. created=...~... windows) to at most "
        f"{depth} items each"
    )
    return PageNumberPagination(limit, max_depth=depth, beyond_depth=hint)
