"""End-to-end: each client against each fake, in-process and over loopback, on both backends."""

from __future__ import annotations

from tca_tapd import TAPDBasicAuth, TAPDClient, TCAClient, TCATicketAuth, TCATokenAuth
from tca_tapd.tapd import Story, TGitGroup, TGitProject
from tca_tapd.testing import (
    TAPD_API_PASSWORD,
    TAPD_API_USER,
    TCA_API_TOKEN,
    TCA_TOKEN,
    TCA_USER_ID,
)

from .conftest import Target


async def test_tca_repos_with_ticket_auth(tca_target: Target) -> None:
    auth = TCATicketAuth(TCA_USER_ID, TCA_TOKEN)
    async with TCAClient(tca_target.base_url, auth, **tca_target.options()) as tca:
        repos = await tca.repos.list("hellotca", "demo", page_size=7).collect()
        assert [r.id for r in repos] == list(range(25, 0, -1))
        one = await tca.repos.get("hellotca", "demo", 4)
    assert one == repos[-4]
    assert one.scm_auth is not None
    assert one.scm_auth.scm_ssh is not None
    assert one.created_time is not None
    assert one.created_time.tzinfo is not None
    requests = await tca_target.control.requests()
    # 25 repos in pages of 7: 4 list requests (offsets computed, never following `next`), 1 get.
    assert [r["path"].endswith("/repos/") for r in requests] == [True] * 4 + [False]


async def test_tca_token_auth(tca_target: Target) -> None:
    async with TCAClient(
        tca_target.base_url, TCATokenAuth(TCA_API_TOKEN), **tca_target.options()
    ) as tca:
        found = await tca.repos.list("hellotca", "demo", scm_url_or_name="service-01").collect()
    assert sorted(r.name for r in found) == [f"service-01{i}" for i in range(10)]


async def test_tapd_stories_and_third_projects(tapd_target: Target) -> None:
    auth = TAPDBasicAuth(TAPD_API_USER, TAPD_API_PASSWORD)
    async with TAPDClient(
        auth, base_url=tapd_target.base_url, rate_limit=None, **tapd_target.options()
    ) as tapd:
        assert await tapd.stories.count(10104801) == 120
        stories = await tapd.stories.list(10104801, page_size=50).collect()
        linked = await tapd.workspaces.relate_third_projects(10104801, "tgit")
    assert len(stories) == 120
    assert len({s.id for s in stories}) == 120
    assert all(isinstance(s, Story) for s in stories)
    assert [type(x) for x in linked][:2] == [TGitProject, TGitGroup]
