"""TCA behaviour the open-source server's code sets, checked against FakeTCA and, where
the fake alone could not tell, against a stand-in that answers as the server's code does.

Server references (Tencent/CodeAnalysis at 177a7302):

- ``ScanDir.ScanTypeEnum`` (``apps/codeproj/models/config.py``): 0 default (the model's
  default), 1 include, 2 exclude; the captured schema has ``scan_type`` ``enum [0, 1, 2]``.
- ``BaseProject.StatusEnum`` (``apps/codeproj/models/base.py``): 1 active, 2 inactive,
  3 archiving, 4 archived without clean-up, 5 archived.
- ``ScanDirConfSerializer.update`` (``apps/codeproj/serializers/base.py``) reads
  ``validated_data["dir_path"]``: a partial update without ``dir_path`` is a KeyError,
  a 500.
- ``ScanSchemeBasicConfSerializer.update`` (``apps/codeproj/serializers/v3.py``) sets
  ``default_flag = validated_data.get("default_flag", False)``: an update that leaves
  ``default_flag`` out takes the default mark off the scheme.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tca_tapd import APIError, ServerError, TCAClient, TCATokenAuth
from tca_tapd.tca import PathType, ProjectStatus, ScanType
from tca_tapd.testing import TCA_API_TOKEN

from .conftest import Target

ORG, TEAM, REPO = "hellotca", "demo", 3
CAPTURES = "/work/shared/api/tca-captures/"


@pytest.fixture
async def tca(tca_target: Target) -> AsyncIterator[TCAClient]:
    async with TCAClient(
        tca_target.base_url, TCATokenAuth(TCA_API_TOKEN), **tca_target.options()
    ) as client:
        yield client


def _envelope(data: object, status: int = 200) -> httpx.Response:
    return httpx.Response(
        status, json={"data": data, "code": 0, "msg": "请求成功", "status_code": status}
    )


class ServerLike:
    """Answers a scan dir and a scheme's basic conf as the server's serializers do."""

    def __init__(self) -> None:
        with open(CAPTURES + "main_scheme_scandir_create.json") as f:
            self.scan_dir: dict[str, Any] = json.load(f)["data"]
        with open(CAPTURES + "main_scheme_basicconf.json") as f:
            self.basic: dict[str, Any] = json.load(f)["data"]
        self.sent: list[tuple[str, dict[str, Any]]] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else {}
        self.sent.append((request.method, body))
        if request.url.path.endswith("/basicconf/"):
            if request.method in ("PUT", "PATCH"):
                self.basic.update(body)
                self.basic["default_flag"] = body.get("default_flag", False)
            return _envelope(self.basic)
        if request.method == "PATCH" and "dir_path" not in body:
            return httpx.Response(500, text="<h1>KeyError at ...</h1>", headers={
                "content-type": "text/html"})  # fmt: skip
        self.scan_dir.update(body)
        return _envelope(self.scan_dir)

    def client(self) -> TCAClient:
        return TCAClient(
            "http://tca.test",
            TCATokenAuth(TCA_API_TOKEN),
            transport=httpx.MockTransport(self.handler),
        )


async def test_scan_type_zero_is_the_servers_default() -> None:
    assert ScanType(0).is_known
    assert ScanType(0) is ScanType.DEFAULT


async def test_scan_type_zero_round_trips(tca: TCAClient) -> None:
    made = await tca.scan_dirs.create(ORG, TEAM, REPO, REPO, "vendor/*", scan_type=0)
    assert made.scan_type is ScanType.DEFAULT
    changed = await tca.scan_dirs.update(ORG, TEAM, REPO, REPO, made.id, scan_type=ScanType.EXCLUDE)
    assert changed.scan_type is ScanType.EXCLUDE
    assert (await tca.scan_dirs.update(ORG, TEAM, REPO, REPO, made.id, scan_type=0)).scan_type == 0


async def test_project_status_has_the_archive_states(tca: TCAClient) -> None:
    assert [(s.name, s.value) for s in ProjectStatus] == [
        ("ACTIVE", 1),
        ("INACTIVE", 2),
        ("ARCHIVING", 3),
        ("ARCHIVED_WITHOUT_CLEAN", 4),
        ("ARCHIVED", 5),
    ]
    assert ProjectStatus.CLOSED is ProjectStatus.ARCHIVING  # the old name still works
    for status in (3, 4, 5):  # the server's filter takes every one of its choices
        assert await tca.projects.list(ORG, TEAM, REPO, status=status).collect() == []


async def test_scan_dir_update_of_one_field_keeps_the_path() -> None:
    server = ServerLike()
    async with server.client() as tca:
        changed = await tca.scan_dirs.update(
            ORG, TEAM, REPO, REPO, 1, path_type=PathType.GLOB, scan_type=ScanType.INCLUDE
        )
    assert (changed.dir_path, changed.path_type, changed.scan_type) == ("tests/.*", 1, 1)
    assert server.sent[-1] == (
        "PATCH", {"dir_path": "tests/.*", "path_type": 1, "scan_type": 1}
    )  # fmt: skip


async def test_fake_refuses_a_scan_dir_patch_without_its_path(tca_target: Target) -> None:
    path = f"/server/main/api/orgs/{ORG}/teams/{TEAM}/repos/{REPO}/schemes/{REPO}/scandirs/"
    headers = {"Authorization": f"Token {TCA_API_TOKEN}"}
    async with httpx.AsyncClient(
        base_url=tca_target.base_url, transport=tca_target.options().get("transport")
    ) as http:
        made = (await http.post(path, json={"dir_path": "a/*"}, headers=headers)).json()["data"]
        assert made["scan_type"] == 0  # the model's default
        patched = await http.patch(f"{path}{made['id']}/", json={"scan_type": 2}, headers=headers)
    assert patched.status_code == 500


async def test_basic_conf_update_keeps_the_default_mark() -> None:
    server = ServerLike()
    assert server.basic["default_flag"] is True
    async with server.client() as tca:
        changed = await tca.schemes.update_basic_conf(ORG, TEAM, REPO, 1, description="d")
    assert (changed.description, changed.default_flag) == ("d", True)
    assert server.sent[-1] == ("PATCH", {"description": "d", "default_flag": True})


async def test_basic_conf_update_keeps_the_default_mark_on_the_fake(tca: TCAClient) -> None:
    before = await tca.schemes.get_basic_conf(ORG, TEAM, REPO, REPO)
    assert before.default_flag is True
    await tca.schemes.update_basic_conf(ORG, TEAM, REPO, REPO, description="d")
    after = await tca.schemes.get_basic_conf(ORG, TEAM, REPO, REPO)
    assert (after.description, after.default_flag) == ("d", True)
    other = await tca.schemes.copy(ORG, TEAM, REPO, 1, "other")
    await tca.schemes.update_basic_conf(ORG, TEAM, REPO, other, default_flag=True)
    flags = {s.id: s.default_flag for s in await tca.schemes.list(ORG, TEAM, REPO).collect()}
    assert flags == {REPO: False, other: True}  # one default per repository


async def test_fake_basic_conf_patch_without_the_flag_clears_it(tca_target: Target) -> None:
    path = f"/server/main/api/orgs/{ORG}/teams/{TEAM}/repos/{REPO}/schemes/{REPO}/basicconf/"
    headers = {"Authorization": f"Token {TCA_API_TOKEN}"}
    async with httpx.AsyncClient(
        base_url=tca_target.base_url, transport=tca_target.options().get("transport")
    ) as http:
        patched = await http.patch(path, json={"description": "d"}, headers=headers)
    assert patched.json()["data"]["default_flag"] is False


async def test_a_scan_dir_500_is_a_server_error() -> None:
    server = ServerLike()

    def no_get(request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            return httpx.Response(500, text="<h1>boom</h1>", headers={"content-type": "text/html"})
        return server.handler(request)

    async with TCAClient(
        "http://tca.test", TCATokenAuth(TCA_API_TOKEN), transport=httpx.MockTransport(no_get)
    ) as tca:
        with pytest.raises(ServerError):
            await tca.scan_dirs.update(ORG, TEAM, REPO, REPO, 1, scan_type=2)
    assert all(method == "GET" for method, _ in server.sent)  # nothing was changed


async def test_a_second_scan_waits_for_the_first_unless_forced(tca: TCAClient) -> None:
    # JobManager.initialize_job: without force_create, an unclosed job of the project
    # refuses the start with E_CLIENT (300), a 400 through ProjectScanCreateError.
    first = await tca.scans.create(ORG, TEAM, REPO, 5)
    with pytest.raises(APIError) as caught:
        await tca.scans.create(ORG, TEAM, REPO, 5)
    assert (caught.value.status_code, caught.value.api_code) == (400, 300)
    assert str(first.job_id) in str(caught.value)
    forced = await tca.scans.create(ORG, TEAM, REPO, 5, force_create=True)
    assert forced.job_id > first.job_id
