"""The HTML page of a :class:`~tca_tapd.report.QualityReport`.

Self-contained on purpose: inline CSS and inline SVG drawn here, no script, no font,
no image, no URL fetched, so the page can be mailed or archived as one file. Every
text from the servers goes through :func:`html.escape`. Bars are drawn on whole
pixels with ``crispEdges``, so their fill colours appear exactly in a screenshot
(the browser test counts them).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .report import QualityReport, RepoQuality

__all__ = ["CHART_HEIGHT", "CHART_WIDTH", "COLOURS", "PANEL", "render_html"]

SEVERITY_COLOURS = {
    "fatal": "#8e0f1c",
    "error": "#e03131",
    "warning": "#f08c00",
    "info": "#1971c2",
}
LINE_COLOURS = {"code": "#2b8a3e", "comment": "#9c36b5", "blank": "#a5b1c2"}
CC_COLOURS = {"over": "#5f3dc4", "under": "#d0bfff"}
DUP_COLOUR = "#0c8599"
TRACK = "#dde3ec"
PANEL = "#f1f4fa"
"""The chart panel's background: used nowhere else on the page (the test finds
charts by it)."""
COLOURS = {
    **{f"severity.{k}": v for k, v in SEVERITY_COLOURS.items()},
    **{f"lines.{k}": v for k, v in LINE_COLOURS.items()},
    **{f"cc.{k}": v for k, v in CC_COLOURS.items()},
    "dup": DUP_COLOUR,
    "track": TRACK,
    "panel": PANEL,
}
"""Every fill colour of a chart, by role."""

CHART_WIDTH = 340
CHART_HEIGHT = 174  # what _chart draws: title, 4 severity bars, 3 metric bars
_LABEL_W = 78  # left column of bar labels
_VALUE_W = 56  # right column of values
_BAR_W = CHART_WIDTH - _LABEL_W - _VALUE_W - 16
_STATUS_TEXT = {
    "ok": "scanned",
    "no_project": "no project",
    "no_scan": "no scan yet",
    "error": "error",
}

_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 28px 40px; background: #f8f9fb; color: #1f2933;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 10px; }
.meta { color: #52606d; margin: 0 0 14px; }
.chips { display: flex; flex-wrap: wrap; gap: 8px; margin: 0; padding: 0; list-style: none; }
.chips li { background: #fff; border: 1px solid #d9dee5; border-radius: 14px; padding: 2px 12px; }
.chips b { font-variant-numeric: tabular-nums; }
.legend { display: flex; flex-wrap: wrap; gap: 14px; margin: 6px 0 12px; color: #52606d; }
.legend span::before { content: ""; display: inline-block; width: 11px; height: 11px;
  margin-right: 5px; vertical-align: -1px; background: var(--c); }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(362px, 1fr)); gap: 14px; }
.card { background: #fff; border: 1px solid #d9dee5; border-radius: 8px; padding: 12px; }
.card h3 { font-size: 15px; margin: 0; overflow-wrap: anywhere; }
.card .sub { color: #52606d; font-size: 12px; margin: 2px 0 8px; overflow-wrap: anywhere; }
.card .why { color: #52606d; margin: 10px 0 0; }
.card.error .why { color: #b00020; }
.badge { display: inline-block; font-size: 11px; font-weight: 600; border-radius: 10px;
  padding: 0 8px; margin-left: 6px; vertical-align: 2px; background: #e7f5ff; color: #1864ab; }
.badge.no_scan, .badge.no_project { background: #fff4e6; color: #a34e00; }
.badge.error { background: #ffe3e3; color: #b00020; }
svg.chart { display: block; }
table { border-collapse: collapse; width: 100%; background: #fff; font-size: 13px; }
th, td { border: 1px solid #d9dee5; padding: 4px 7px; text-align: left; vertical-align: top; }
th { background: #eef0f3; font-weight: 600; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.none { color: #52606d; }
"""


def render_html(report: QualityReport) -> str:
    """The page: summary, one chart card per matched repo, the table, the unmatched."""
    summary = report.summary()
    title = f"Code quality of TAPD workspace {report.workspace_id}"
    chips = "".join(
        f"<li>{escape(label)} <b>{summary[key]}</b></li>"
        for key, label in (
            ("matched", "matched repos"),
            ("ok", "scanned"),
            ("no_scan", "no scan yet"),
            ("no_project", "no project"),
            ("error", "errors"),
            ("unmatched", "unmatched links"),
        )
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<header><h1>{escape(title)}</h1>",
        f'<p class="meta">TCA organisation <b>{escape(report.org_sid)}</b>, '
        f"team{'s' if len(report.teams) != 1 else ''} "
        f"{escape(', '.join(report.teams) or '(none)')}; generated "
        f'<time datetime="{escape(report.generated_at.isoformat())}">'
        f"{escape(report.generated_at.strftime('%Y-%m-%d %H:%M:%S %Z'))}</time></p>",
        f'<ul class="chips">{chips}</ul></header>',
        '<section id="charts"><h2>Latest scan per repository</h2>',
        _legend(),
        '<div class="grid">',
        *(_card(repo) for repo in report.repos),
        "</div>" if report.repos else '</div><p class="none">No linked repository matched.</p>',
        "</section>",
        '<section id="table"><h2>All figures</h2>',
        _table(report.repos),
        "</section>",
        '<section id="unmatched"><h2>Linked but not matched</h2>',
        _unmatched(report),
        "</section></body></html>",
    ]
    return "\n".join(parts) + "\n"


def _legend() -> str:
    entries = [
        *((f"active {name} issues", colour) for name, colour in SEVERITY_COLOURS.items()),
        *((f"{name} lines", colour) for name, colour in LINE_COLOURS.items()),
        ("functions over the CCN threshold", CC_COLOURS["over"]),
        ("under it", CC_COLOURS["under"]),
        ("duplication rate", DUP_COLOUR),
    ]
    spans = "".join(f'<span style="--c:{c}">{escape(label)}</span>' for label, c in entries)
    return f'<div class="legend">{spans}</div>'


def _card(repo: RepoQuality) -> str:
    status = repo.status
    head = (
        f'<article class="card {status}" data-repo-id="{repo.repo.id}" '
        f'data-status="{status}"><h3>{escape(repo.repo.name or f"repo {repo.repo.id}")}'
        f'<span class="badge {status}">{escape(_STATUS_TEXT[status])}</span></h3>'
        f'<p class="sub">{_linked_text(repo)}</p>'
    )
    if status == "ok":
        return head + _chart(repo) + "</article>"
    if status == "error" and repo.error is not None:
        why = f"{repo.error.type}: {repo.error.message}"
    else:
        why = repo.reason or ""
    return head + f'<p class="why">{escape(why)}</p></article>'


def _linked_text(repo: RepoQuality) -> str:
    linked = repo.linked
    how = {"url": "same URL", "path": "same path", "group": "in linked group"}[repo.rule]
    text = (
        f"TCA {escape(repo.repo.team_name)} #{repo.repo.id} · "
        f"{escape(linked.kind)} {escape(linked.path or linked.name)} ({how})"
    )
    if repo.project is not None:
        text += f" · project {repo.project.id} on {escape(repo.project.branch or '?')}"
    if repo.also_matched:
        others = ", ".join(f"{r.team_name}/{r.name}" for r in repo.also_matched)
        text += f" · also matched: {escape(others)}"
    return text


def _bar(x: int, y: int, width: int, height: int, fill: str, tip: str | None = None) -> str:
    shape = f'<rect x="{x}" y="{y}" width="{width}" height="{height}" fill="{fill}"'
    return shape + (f"><title>{escape(tip)}</title></rect>" if tip else "/>")


def _text(x: int, y: int, text: str, *, anchor: str = "start", weight: str = "400") -> str:
    return (
        f'<text x="{x}" y="{y}" text-anchor="{anchor}" font-weight="{weight}">{escape(text)}</text>'
    )


_MIN_W = 2  # a non-zero value's bar is at least this wide (when it fits), to stay visible


def _scaled(value: float, top: float) -> int:
    """Pixels for ``value`` on a bar scale whose full width is ``top``: at least
    ``_MIN_W`` for a non-zero value, never past the track."""
    if value <= 0 or top <= 0:
        return 0
    if value >= top:
        return _BAR_W
    return max(_MIN_W, round(_BAR_W * value / top))


def _stacked(y: int, parts: Sequence[tuple[int, str, str]], height: int) -> list[str]:
    """A bar split into parts proportional to their values (whole pixels); each part
    is ``(value, colour, tooltip)``; values <= 0 draw nothing.

    Each boundary is where the cumulative value puts it on the track, rounded, so the
    parts are contiguous and fill the track exactly. A non-zero part is widened to
    ``_MIN_W`` when every non-zero part fits at that width: the boundaries are then
    kept far enough from each other and from the track's end for the parts still to
    come, so no width is negative and nothing passes the track.
    """
    values = [max(0, value) for value, _, _ in parts]
    total = sum(values)
    shapes = [_bar(_LABEL_W, y, _BAR_W, height, TRACK)]
    if total <= 0:
        return shapes
    minimum = [_MIN_W if v > 0 else 0 for v in values]
    if sum(minimum) > _BAR_W:
        minimum = [0] * len(values)  # no room: plain proportions
    still_needed = sum(minimum)  # the minimums of this part and the ones after it
    cumulative = edge = 0
    for (_, colour, tip), value, least in zip(parts, values, minimum, strict=True):
        cumulative += value
        still_needed -= least
        ideal = round(_BAR_W * cumulative / total)
        boundary = max(edge + least, min(ideal, _BAR_W - still_needed))
        if boundary > edge:
            shapes.append(_bar(_LABEL_W + edge, y, boundary - edge, height, colour, tip))
        edge = boundary
    return shapes


def _figure_row(y: int, label: str, bars: list[str] | None = None, value: str = "") -> list[str]:
    """One row of a chart's figures at ``y``: its label, then its bars and the value
    at the right end, or a dash when the figure is missing (``bars`` is ``None``)."""
    shapes = [_text(8, y + 12, label)]
    if bars is None:
        return [*shapes, _text(_LABEL_W, y + 12, "—")]
    return [*shapes, *bars, _text(CHART_WIDTH - 8, y + 12, value, anchor="end")]


def _chart(repo: RepoQuality) -> str:
    """One SVG: lint severities, then lines, complexity and duplication bars."""
    shapes = [_bar(0, 0, CHART_WIDTH, CHART_HEIGHT, PANEL)]
    y = 18
    value_x = CHART_WIDTH - 8
    lint = repo.lint
    # the project's stock of active issues, not only those the latest scan opened
    shapes.append(_text(8, y, "Active lint issues (all scans)", weight="600"))
    y += 8
    if lint is not None:
        top = max(lint.by_severity.values(), default=0)
        for severity, colour in SEVERITY_COLOURS.items():
            count = lint.by_severity.get(severity, 0)
            shapes.append(_text(8, y + 12, severity))
            shapes.append(_bar(_LABEL_W, y + 2, _BAR_W, 12, TRACK))
            width = _scaled(count, top)
            if width:
                shapes.append(
                    f'<rect class="sev-{severity}" x="{_LABEL_W}" y="{y + 2}" width="{width}" '
                    f'height="12" fill="{colour}"><title>{count} {severity}</title></rect>'
                )
            shapes.append(_text(value_x, y + 12, f"{count:,}", anchor="end"))
            y += 18
    else:
        shapes.append(_text(8, y + 14, "not in the overview"))
        y += 4 * 18
    y += 8
    lines = repo.lines
    if lines is not None and lines.code is not None:
        parts = [
            (value or 0, LINE_COLOURS[kind], f"{value or 0:,} {kind} lines")
            for kind, value in (
                ("code", lines.code),
                ("comment", lines.comment),
                ("blank", lines.blank),
            )
        ]
        total = lines.total if lines.total is not None else sum(v for v, _, _ in parts)
        shapes += _figure_row(y, "lines", _stacked(y + 2, parts, 12), f"{total:,}")
    else:
        shapes += _figure_row(y, "lines")
    y += 20
    cc = repo.complexity
    if cc is not None and cc.over_funcs is not None:
        parts = [
            (cc.over_funcs, CC_COLOURS["over"], f"{cc.over_funcs} functions over CCN {cc.min_ccn}"),
            (cc.under_funcs or 0, CC_COLOURS["under"], f"{cc.under_funcs or 0} under it"),
        ]
        value = f"{cc.over_funcs} > {cc.min_ccn}"
        shapes += _figure_row(y, "complexity", _stacked(y + 2, parts, 12), value)
    else:
        shapes += _figure_row(y, "complexity")
    y += 20
    dup = repo.duplication
    if dup is not None and dup.rate is not None:
        bars = [_bar(_LABEL_W, y + 2, _BAR_W, 12, TRACK)]
        width = _scaled(dup.rate, 100.0)
        if width:
            tip = f"{dup.rate:.2f}% duplicated ({dup.blocks} blocks, {dup.lines} lines)"
            bars.append(_bar(_LABEL_W, y + 2, width, 12, DUP_COLOUR, tip))
        shapes += _figure_row(y, "duplication", bars, f"{dup.rate:.2f}%")
    else:
        shapes += _figure_row(y, "duplication")
    label = f"Quality chart of {repo.repo.name or f'repo {repo.repo.id}'}"
    return (
        f'<svg class="chart" role="img" '
        f'aria-label="{escape(label)}" width="{CHART_WIDTH}" height="{CHART_HEIGHT}" '
        f'viewBox="0 0 {CHART_WIDTH} {CHART_HEIGHT}" shape-rendering="crispEdges" '
        f'font-family="system-ui, sans-serif" font-size="12" fill="#1f2933" '
        f'data-repo-id="{repo.repo.id}">' + "".join(shapes) + "</svg>"
    )


def _cell(value: object) -> str:
    if value is None:
        return '<td class="none">—</td>'
    if isinstance(value, bool):
        return f"<td>{value}</td>"
    if isinstance(value, int):
        return f'<td class="n">{value:,}</td>'
    if isinstance(value, float):
        return f'<td class="n">{value:,.2f}</td>'
    return f"<td>{escape(str(value))}</td>"


_TABLE = (
    ("tapd_path", "TAPD link"),
    ("tca_repo", "TCA repo"),
    ("tca_team", "team"),
    ("rule", "rule"),
    ("status", "status"),
    ("branch", "branch"),
    ("lint_fatal", "active fatal"),
    ("lint_error", "active error"),
    ("lint_warning", "active warning"),
    ("lint_info", "active info"),
    ("lint_opened", "opened by latest scan"),
    ("cc_over_funcs", "CC over"),
    ("cc_func_average", "CC avg"),
    ("dup_rate", "dup %"),
    ("dup_blocks", "dup blocks"),
    ("lines_code", "code lines"),
    ("lines_total", "total lines"),
)


def _table(repos: Sequence[RepoQuality]) -> str:
    head = "".join(f"<th>{escape(label)}</th>" for _, label in _TABLE)
    rows = []
    for repo in repos:
        row = repo.table_row()
        rows.append("<tr>" + "".join(_cell(row[key]) for key, _ in _TABLE) + "</tr>")
    body = "".join(rows) or f'<tr><td colspan="{len(_TABLE)}" class="none">none</td></tr>'
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _unmatched(report: QualityReport) -> str:
    if not report.unmatched:
        return '<p class="none">Every linked git project matched a TCA repository.</p>'
    items = "".join(
        f"<li><b>{escape(u.linked.kind)} {escape(u.linked.path or u.linked.name)}</b> "
        f"(git id {u.linked.git_id}): {escape(u.reason)}</li>"
        for u in report.unmatched
    )
    return f"<ul>{items}</ul>"
