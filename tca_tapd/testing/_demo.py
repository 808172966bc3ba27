"""The demo job: real SDK calls against both fakes on loopback sockets."""

from __future__ import annotations

import sys
from typing import TextIO

from .. import TAPDBasicAuth, TAPDClient, TCAClient, TCATicketAuth
from ..tapd import TGitProject
from ._server import serve_in_thread
from ._tapd import TAPD_API_PASSWORD, TAPD_API_USER, FakeTAPD
from ._tca import TCA_TOKEN, TCA_USER_ID, FakeTCA

__all__ = ["run_demo"]


async def run_demo(out: TextIO = sys.stdout) -> None:
    """Start a fake TCA and a fake TAPD on loopback, crawl both, print what came back."""
    tca_fake, tapd_fake = FakeTCA(), FakeTAPD()
    with serve_in_thread(tca_fake) as tca_url, serve_in_thread(tapd_fake) as tapd_url:
        out.write(f"fake TCA on {tca_url}, fake TAPD on {tapd_url}\n\n")
        auth = TCATicketAuth(TCA_USER_ID, TCA_TOKEN)
        async with TCAClient(tca_url, auth) as tca:
            repos = await tca.repos.list(
                tca_fake.org_sid, tca_fake.team_name, page_size=10
            ).collect()
            out.write(f"TCA: {len(repos)} repos in {tca_fake.org_sid}/{tca_fake.team_name}\n")
            for repo in repos[:5]:
                branch = repo.recent_active.branch_name if repo.recent_active else "-"
                out.write(
                    f"  #{repo.id:<4} {repo.name:<14} {repo.scm_type:<4} {branch:<7} "
                    f"{repo.scm_url}\n"
                )
            out.write("  ...\n\n")
        async with TAPDClient(
            TAPDBasicAuth(TAPD_API_USER, TAPD_API_PASSWORD), base_url=tapd_url, rate_limit=None
        ) as tapd:
            workspace = tapd_fake.workspace_ids[0]
            total = await tapd.stories.count(workspace)
            open_stories = tapd.stories.list(
                workspace, status="planning|developing", order="created asc"
            )
            chosen = await open_stories.collect(max_items=5)
            out.write(
                f"TAPD: workspace {workspace} has {total} stories; "
                "first planned or in development:\n"
            )
            for story in chosen:
                created = story.created.isoformat() if story.created else "-"
                owners = ", ".join(story.owners) or "-"
                out.write(
                    f"  {story.id}  {story.status:<10} {created}  owners: {owners}  {story.name}\n"
                )
            linked = await tapd.workspaces.relate_third_projects(workspace, "tgit")
            out.write("\nTAPD: git projects linked to the workspace:\n")
            for item in linked:
                if isinstance(item, TGitProject):
                    out.write(
                        f"  project {item.path_with_namespace} (git id {item.git_project_id})\n"
                    )
                else:
                    out.write(f"  group   {item.full_path} (group id {item.group_id})\n")
    out.write("\ndemo finished: every call above went through tca-tapd over a real socket.\n")
