"""The board's table and ECharts options, from the figures ``selectors.board_for`` computed
(nothing is counted here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from qingfu.burden.selectors import Board
from qingfu.policy import burden as policy


@dataclass(frozen=True)
class CountRow:
    kind: str
    label: str
    months: list[policy.PeriodCount]
    year: policy.PeriodCount


# One colour per kind, by its place in the charts' palette (web/charts.js's "qingfu" theme,
# qingfu.core.palette); last year's line is the same colour, dashed.
COLOURS = {"document": 1, "meeting": 2, "inspection": 0}
LAST_YEAR, TARGET, THIS_YEAR = 5, 0, 1


def _label(kind: str) -> str:
    return {
        "document": _("发文"),
        "meeting": _("会议"),
        "inspection": _("督查检查考核"),
    }[kind]


def count_table(board: Board) -> list[CountRow]:
    """Per counted kind: its months this year, then the year to date (as monthly_counts
    orders them)."""
    rows = []
    for kind in policy.COUNTED_KINDS:
        mine = [c for c in board.counts if c.kind == kind]
        rows.append(CountRow(kind, _label(kind), mine[:-1], mine[-1]))
    return rows


def board_charts(board: Board) -> list[dict[str, Any]]:
    table = count_table(board)
    months = [_("%(m)d月") % {"m": c.first.month} for c in table[0].months] if table else []
    monthly = {
        "title": {"text": _("每月数量（今年实线，去年同期虚线）"), "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0},
        "grid": {"left": 36, "right": 12, "top": 40, "bottom": 56},
        "xAxis": {"type": "category", "data": months},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            series
            for row in table
            for series in (
                {
                    "name": row.label,
                    "type": "line",
                    "paletteIndex": COLOURS[row.kind],
                    "data": [c.count for c in row.months],
                },
                {
                    "name": _("%(kind)s（去年）") % {"kind": row.label},
                    "type": "line",
                    "paletteIndex": COLOURS[row.kind],
                    "lineStyle": {"type": "dashed", "opacity": 0.6},
                    "data": [c.last_year for c in row.months],
                },
            )
        ],
    }
    year = {
        "title": {"text": _("今年累计、去年同期与目标上限"), "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0},
        "grid": {"left": 36, "right": 12, "top": 40, "bottom": 56},
        "xAxis": {"type": "category", "data": [r.label for r in table]},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {
                "name": _("今年累计"),
                "type": "bar",
                "paletteIndex": THIS_YEAR,
                "data": [r.year.count for r in table],
            },
            {
                "name": _("去年同期"),
                "type": "bar",
                "paletteIndex": LAST_YEAR,
                "data": [r.year.last_year for r in table],
            },
            {
                "name": _("目标上限"),
                "type": "bar",
                "paletteIndex": TARGET,
                "data": [r.year.allowed for r in table],
            },
        ],
    }
    return [monthly, year]
