"""The quality report's HTML in a real headless browser (Debian's chromium).

The page is rendered to a PNG and decoded here (zlib + PNG filters, no imaging
library); each chart is found by its panel colour, and inside it the bars' exact
fill colours are counted against the figures they stand for. ``--dump-dom`` checks
the document the browser built. Skipped without chromium, unless
``TCA_TAPD_REQUIRE_BROWSER=1`` (CI), where a missing browser fails.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

import anyio
import pytest

from tca_tapd import QualityReport, TAPDBasicAuth, TAPDClient, TCAClient, TCATokenAuth
from tca_tapd import _report_html as page
from tca_tapd.report import SEVERITIES, build_quality_report
from tca_tapd.testing import TAPD_API_PASSWORD, TAPD_API_USER, TCA_API_TOKEN, FakeTAPD, FakeTCA

BROWSER_TIMEOUT = 120  # seconds; a first start on a cold CI machine can be slow
WIDTH, HEIGHT = 1200, 2000
BAR_HEIGHT = 12  # the charts' bars are 12 px high (see _report_html._chart)


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None and Path("/usr/bin/chromium").exists():
        found = "/usr/bin/chromium"
    if found is None:
        if os.environ.get("TCA_TAPD_REQUIRE_BROWSER") == "1":
            pytest.fail("chromium is required (TCA_TAPD_REQUIRE_BROWSER=1) but not installed")
        pytest.skip("chromium is not installed")
    return found


def _run_browser(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    command = [
        browser,
        "--headless",
        "--no-sandbox",  # CI runs as root in a container
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",  # one CSS pixel, one screenshot pixel
        "--force-color-profile=srgb",  # fills land in the PNG unchanged
        f"--user-data-dir={profile}",
        f"--window-size={WIDTH},{HEIGHT}",
        *args,
    ]
    result = subprocess.run(  # noqa: S603 - a fixed command line
        command, capture_output=True, timeout=BROWSER_TIMEOUT, check=False
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")[-2000:]
    return result


# -- a PNG decoder, just enough for chromium's screenshots ------------------------------


def decode_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """``(width, height, rows)`` of an 8-bit RGB or RGBA PNG; each row as RGB bytes."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, chunks, header = 8, [], b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
        elif kind == b"IEND":
            break
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert (depth, interlace) == (8, 0), "only 8-bit non-interlaced PNGs"
    channels = {2: 3, 6: 4}[colour]
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        _unfilter(kind, line, previous, channels)
        rows.append(bytes(line) if channels == 3 else _rgb(line))
        previous = line
    return width, height, rows


def _unfilter(kind: int, line: bytearray, prior: bytearray, bpp: int) -> None:
    """Undo one row's PNG filter in place (None, Sub, Up, Average, Paeth)."""
    if kind == 0:
        return
    for i in range(len(line)):
        left = line[i - bpp] if i >= bpp else 0
        up = prior[i]
        if kind == 1:
            line[i] = (line[i] + left) & 0xFF
        elif kind == 2:
            line[i] = (line[i] + up) & 0xFF
        elif kind == 3:
            line[i] = (line[i] + ((left + up) >> 1)) & 0xFF
        elif kind == 4:
            corner = prior[i - bpp] if i >= bpp else 0
            estimate = left + up - corner
            pa, pb, pc = abs(estimate - left), abs(estimate - up), abs(estimate - corner)
            pick = left if pa <= pb and pa <= pc else up if pb <= pc else corner
            line[i] = (line[i] + pick) & 0xFF
        else:
            raise AssertionError(f"bad PNG filter {kind}")


def _rgb(line: bytearray) -> bytes:
    return bytes(b for i, b in enumerate(line) if i % 4 != 3)


def _colour(hex_colour: str) -> bytes:
    return bytes.fromhex(hex_colour.lstrip("#"))


def _pixels(rows: list[bytes], y0: int, y1: int, x0: int, x1: int) -> Iterator[bytes]:
    for y in range(y0, y1):
        line = rows[y]
        for x in range(x0, x1):
            yield line[3 * x : 3 * x + 3]


def _runs(flags: list[bool], min_gap: int = 4) -> list[tuple[int, int]]:
    """``[start, end)`` runs of true flags; gaps shorter than ``min_gap`` are bridged."""
    runs: list[tuple[int, int]] = []
    for i, flag in enumerate(flags):
        if not flag:
            continue
        if runs and i - runs[-1][1] < min_gap:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    return runs


def find_panels(width: int, rows: list[bytes]) -> list[tuple[int, int, int, int]]:
    """The charts' panels ``(y0, y1, x0, x1)``, in reading order, by their colour."""
    panel = _colour(page.PANEL)
    has = [[row[3 * x : 3 * x + 3] == panel for x in range(width)] for row in rows]
    panels = []
    for y0, y1 in _runs([sum(line) >= 40 for line in has]):
        columns = [sum(has[y][x] for y in range(y0, y1)) >= 20 for x in range(width)]
        panels.extend((y0, y1, x0, x1) for x0, x1 in _runs(columns))
    return panels


# -- the report rendered -------------------------------------------------------------------


async def _build_report() -> QualityReport:
    tapd_fake, tca_fake = FakeTAPD(), FakeTCA()
    auth = TAPDBasicAuth(TAPD_API_USER, TAPD_API_PASSWORD)
    tapd_options = {"rate_limit": None, "transport": tapd_fake.asgi_transport()}
    async with TAPDClient(auth, base_url="http://tapd.test", **tapd_options) as tapd:
        token = TCATokenAuth(TCA_API_TOKEN)
        async with TCAClient("http://tca.test", token, transport=tca_fake.asgi_transport()) as tca:
            return await build_quality_report(
                tapd,
                tca,
                tapd_fake.workspace_ids[0],
                org_sid=tca_fake.org_sid,
                team_name=tca_fake.team_name,
            )


def test_charts_render_in_chromium(tmp_path: Path) -> None:
    browser = _chromium()
    report = anyio.run(_build_report)
    charted = [r for r in report.repos if r.status == "ok"]
    assert len(charted) >= 5
    html = tmp_path / "report.html"
    html.write_text(report.to_html(), encoding="utf-8")
    shot = tmp_path / "report.png"
    _run_browser(browser, tmp_path / "profile", f"--screenshot={shot}", html.as_uri())

    # the document the browser built: one chart per scanned repo, a card per repo
    dom = _run_browser(browser, tmp_path / "profile-dom", "--dump-dom", html.as_uri())
    document = dom.stdout.decode()
    charts = re.findall(r'<svg class="chart"[^>]*data-repo-id="(\d+)"', document)
    assert [int(i) for i in charts] == [r.repo.id for r in charted]
    cards = re.findall(r'<article class="card (\w+)" data-repo-id="(\d+)"', document)
    assert [(s, int(i)) for s, i in cards] == [(r.status, r.repo.id) for r in report.repos]

    width, height, rows = decode_png(shot.read_bytes())
    assert (width, height) == (WIDTH, HEIGHT)
    background = _colour("#f8f9fb")
    painted = sum(
        1 for row in rows for x in range(0, width, 4) if row[3 * x : 3 * x + 3] != background
    )
    assert painted > width * height // 4 // 10, "the page looks blank"

    panels = find_panels(width, rows)
    assert len(panels) == len(charted), panels
    for repo, (y0, y1, x0, x1) in zip(charted, panels, strict=True):
        assert (y1 - y0, x1 - x0) == (page.CHART_HEIGHT, page.CHART_WIDTH)
        counts: dict[bytes, int] = {}
        for pixel in _pixels(rows, y0, y1, x0, x1):
            counts[pixel] = counts.get(pixel, 0) + 1
        assert repo.lint is not None
        top = max(repo.lint.by_severity.values())
        for severity in SEVERITIES:
            value = repo.lint.by_severity[severity]
            seen = counts.get(_colour(page.SEVERITY_COLOURS[severity]), 0)
            expected = page._scaled(value, top) * BAR_HEIGHT  # the bar's own area
            assert seen == expected, (repo.repo.name, severity, value, seen, expected)
        assert seen_any(counts, page.LINE_COLOURS.values())
        assert seen_any(counts, page.CC_COLOURS.values())
        assert counts.get(_colour(page.DUP_COLOUR), 0) >= 2 * BAR_HEIGHT


def seen_any(counts: dict[bytes, int], colours: Iterable[str]) -> bool:
    """Whether every colour shows with at least a 2-pixel-wide bar."""
    return all(counts.get(_colour(c), 0) >= 2 * BAR_HEIGHT for c in colours)
