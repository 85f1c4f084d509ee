"""The charts' palette, pure: one list of colours for every chart the product draws.

The web draws with ECharts in the "qingfu" theme that ``web/charts.js`` registers from the
CSS variables ``--chart-1`` … ``--chart-6`` in ``web/qingfu.css``; the reports draw with
matplotlib from this list. A test holds the two to the same colours.
"""

from __future__ import annotations

# The brand green, the approved blue, the warning amber, a slate, a plum, the soft ink.
CHART_COLOURS: tuple[str, ...] = ("#1f7a5c", "#175cd3", "#d97706", "#64748b", "#9b5d8c", "#a9b4c2")
GREY = CHART_COLOURS[5]  # a limit or last year's figure, drawn behind the series it frames
