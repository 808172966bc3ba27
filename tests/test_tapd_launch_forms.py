"""Launch forms (发布评审) through TAPDClient against the fake (in-process and loopback)."""

from __future__ import annotations

import pytest

from tca_tapd import NotFoundError
from tca_tapd.tapd import LaunchForm
from tca_tapd.testing import FakeTAPD

from .conftest import Target
from .test_tapd_api import WS, client


async def test_launch_forms(tapd_target: Target) -> None:
    async with client(tapd_target) as tapd:
        forms = await tapd.launch_forms.list(WS, page_size=3).collect()
        count = await tapd.launch_forms.count(WS)
        bobs = await tapd.launch_forms.list(WS, creator="bob").collect()
        assert await tapd.launch_forms.count(WS, creator="bob") == len(bobs)
        one = await tapd.launch_forms.get(WS, forms[-1].id)
        trimmed = await tapd.launch_forms.list(WS, fields="name,status").collect()
        with pytest.raises(NotFoundError):
            await tapd.launch_forms.get(WS, 999)
    assert count == len(forms) == len({f.id for f in forms}) == 7
    assert all(isinstance(f, LaunchForm) for f in forms)
    assert [int(f.id) for f in forms] == sorted((int(f.id) for f in forms), reverse=True)
    assert bobs
    assert all(f.creator == "bob" for f in bobs)
    assert one == forms[-1]
    assert all(set(t.raw) == {"id", "name", "status"} for t in trimmed)
    assert {f.status for f in forms} == {"LAUNCHFORM_STATUS_INITIAL"}
    assert all(f.flows == ("LAUNCHFORM_STATUS_INITIAL",) for f in forms)
    assert all(f.participators and f.participators[0] == f.creator for f in forms)
    assert {f.iteration_id is None for f in forms} == {True, False}
    assert all(f.workspace_id == WS and f.signed is None and f.created for f in forms)
    if isinstance(tapd_target.fake, FakeTAPD):  # in-process: compare with the data set
        rows = tapd_target.fake.tables["launch_forms"][WS]
        assert sorted((f.raw for f in forms), key=lambda r: r["id"]) == rows
