"""Attachments: ``GET /attachments`` and ``GET /attachments/down`` (a download URL).

Modelled on TAPD.md §4 and go-tapd's ``get_attachments`` fixture. Download URLs
expire after 300 seconds, so ask for one right before downloading. Uploads are
not offered: TAPD has no delete, so a retried upload would leave duplicates.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._validate import check_id
from ..errors import StructureError
from ._collection import ReadCollection, Spec
from ._common import unwrapper
from .models import Attachment

if TYPE_CHECKING:
    from ._client import TAPDClient

__all__ = ["Attachments"]


class Attachments(ReadCollection[Attachment]):
    """Attachments of a workspace's items. Reached as ``tapd.attachments``.

    Filter with ``type`` (``story``, ``bug``, ``task``) and ``entry_id``.
    """

    def __init__(self, client: TAPDClient) -> None:
        super().__init__(client, Spec(path="/attachments", wrapper="Attachment", model=Attachment))

    async def download(
        self, workspace_id: int, attachment_id: int | str, *, timeout: float | None = None
    ) -> Attachment:
        """The attachment with its ``download_url`` (valid for 300 seconds)."""
        params = {
            "workspace_id": check_id("workspace_id", workspace_id),
            "id": check_id("attachment_id", attachment_id),
        }
        data = await self._client._request(
            "GET", "/attachments/down", params=params, expect=dict, timeout=timeout
        )
        return self._client._one(unwrapper("Attachment")(data), Attachment)

    async def download_url(
        self, workspace_id: int, attachment_id: int | str, *, timeout: float | None = None
    ) -> str:
        """Just the download URL of :meth:`download`.

        Raises:
            StructureError: TAPD's answer has no ``download_url`` (bad server data;
                ``.value`` keeps the attachment payload as sent).
        """
        attachment = await self.download(workspace_id, attachment_id, timeout=timeout)
        if not attachment.download_url:
            raise StructureError(
                model="Attachment",
                path="$.download_url",
                value=attachment.raw,
                reason=f"TAPD sent no download_url for attachment {attachment_id}",
            )
        return attachment.download_url
