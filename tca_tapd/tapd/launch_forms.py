"""Launch forms (发布评审): ``GET /launch_forms`` and ``/launch_forms/count``.

Modelled on TAPD.md §4 (the routes; TAPD also has ``POST /launch_forms``, templates
and activity logs, not offered here) and go-tapd's ``get_launch_forms`` fixture for
the shape: ``{"LaunchForm": {...}}`` items whose ``status`` is a
``LAUNCHFORM_STATUS_*`` key. Filter with TAPD's fields (``status``, ``creator``,
``iteration_id``, ``created``…).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._collection import ReadCollection, Spec
from .models import LaunchForm

if TYPE_CHECKING:
    from ._client import TAPDClient

__all__ = ["LAUNCH_FORMS", "LaunchForms"]

LAUNCH_FORMS = Spec(
    path="/launch_forms",
    wrapper="LaunchForm",
    model=LaunchForm,
    count_path="/launch_forms/count",
)
"""How ``tapd.launch_forms`` reaches TAPD: ``/launch_forms`` (read only)."""


class LaunchForms(ReadCollection[LaunchForm]):
    """Launch forms of a workspace: list, count, get. Reached as ``tapd.launch_forms``."""

    def __init__(self, client: TAPDClient) -> None:
        super().__init__(client, LAUNCH_FORMS)
