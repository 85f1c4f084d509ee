"""ECharts options for the dashboards, built from the same figures as the tables.

The page embeds these as JSON and a small script draws them; the tables beside them carry
every number, so the page reads (and prints) without JavaScript.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from qingfu.oversight.figures import Figures
from qingfu.oversight.selectors import Dashboard


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def _percent(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 1)


def _axis(unit: str, *, max_value: int | None = None) -> dict[str, Any]:
    axis: dict[str, Any] = {"type": "value", "axisLabel": {"formatter": "{value}" + unit}}
    if max_value is not None:
        axis["max"] = max_value
    return axis


def trend_chart(points: list[tuple[str, Figures]]) -> dict[str, Any]:
    """Week by week: average written homework planned and reported, and compliance."""
    return {
        "title": {"text": _("逐周趋势（分钟；柱：计划达标率）"), "left": 0, "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0},
        "grid": {"left": 44, "right": 48, "top": 56, "bottom": 56},
        "xAxis": {"type": "category", "data": [label for label, _f in points]},
        "yAxis": [_axis(""), _axis("%", max_value=100)],
        "series": [
            {"name": _("日均计划书面作业（分钟）"), "type": "line", "data": [_round(f.average_planned) for _l, f in points]},
            {"name": _("日均家长反馈（分钟）"), "type": "line", "connectNulls": False, "data": [_round(f.average_reported) for _l, f in points]},
            {"name": _("计划达标率"), "type": "bar", "yAxisIndex": 1, "barMaxWidth": 18, "itemStyle": {"opacity": 0.35}, "data": [_percent(f.compliance) for _l, f in points]},
        ],
    }  # fmt: skip


def rows_chart(rows: list[Figures]) -> dict[str, Any]:
    """Side by side: each row's average planned and reported minutes a class-day."""
    return {
        "title": {"text": _("计划与家长反馈（分钟/班日）"), "left": 0, "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0},
        "grid": {"left": 44, "right": 16, "top": 56, "bottom": 72},
        "xAxis": {"type": "category", "data": [r.label for r in rows], "axisLabel": {"interval": 0, "rotate": 30 if len(rows) > 6 else 0}},
        "yAxis": [_axis("")],
        "series": [
            {"name": _("日均计划（全部班日）"), "type": "bar", "data": [_round(r.average_planned) for r in rows]},
            {"name": _("同日计划"), "type": "bar", "data": [_round(r.average_planned_on_reported) for r in rows]},
            {"name": _("家长反馈"), "type": "bar", "data": [_round(r.average_reported) for r in rows]},
        ],
    }  # fmt: skip


def dashboard_charts(board: Dashboard) -> list[dict[str, Any]]:
    charts = [trend_chart([(p.figures.label, p.figures) for p in board.trend])]
    if board.rows:
        charts.append(rows_chart(board.rows))
    return charts
