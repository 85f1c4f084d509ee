"""Charts as PNG images (matplotlib, Agg backend), set in the report's own CJK font so a
chart reads the same on a machine without any system fonts."""

from __future__ import annotations

import io
from functools import cache, lru_cache

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib import pyplot as plt
from matplotlib.figure import Figure

from qingfu.core.palette import CHART_COLOURS, GREY
from qingfu.core.text import pgettext
from qingfu.reports.document import ChartSpec
from qingfu.reports.fonts import FONT_PATH

# The product's chart palette (the web's ECharts theme draws from the same colours).
COLOURS = CHART_COLOURS[:4]
LIMIT_GREY = GREY


@cache
def _font() -> font_manager.FontProperties:
    font_manager.fontManager.addfont(str(FONT_PATH))
    return font_manager.FontProperties(fname=str(FONT_PATH))


# The preview, the DOCX and the PDF of one report draw the same charts: drawn once.
@lru_cache(maxsize=64)
def chart_png(spec: ChartSpec, *, width: float = 6.4, height: float = 3.0, dpi: int = 160) -> bytes:
    font = _font()
    family = font.get_name()
    with plt.rc_context({"font.family": family, "axes.unicode_minus": False, "font.size": 9}):
        fig = Figure(figsize=(width, height), dpi=dpi)
        ax = fig.add_subplot()
        x = list(range(len(spec.categories)))
        if spec.kind == "bars":
            n = max(len(spec.series), 1)
            bar = 0.8 / n
            for i, (name, values) in enumerate(spec.series):
                offsets = [v - 0.4 + bar * (i + 0.5) for v in x]
                heights = [v or 0 for v in values]
                # The caps are drawn in grey (writing names that series so, in the same language).
                colour = LIMIT_GREY if name == pgettext("report", "上限") else COLOURS[i % 4]
                bars = ax.bar(offsets, heights, bar * 0.92, label=name, color=colour)
                for rect, value in zip(bars, values, strict=True):
                    if value is None:
                        continue
                    ax.annotate(
                        f"{value:.0f}%" if spec.percent else f"{value:.0f}",
                        (rect.get_x() + rect.get_width() / 2, rect.get_height()),
                        ha="center",
                        va="bottom",
                        fontsize=7,
                        xytext=(0, 1),
                        textcoords="offset points",
                    )
        else:
            for i, (name, values) in enumerate(spec.series):
                points = [(xi, v) for xi, v in zip(x, values, strict=True) if v is not None]
                ax.plot(
                    [p[0] for p in points],
                    [p[1] for p in points],
                    marker="o",
                    markersize=3,
                    label=name,
                    color=COLOURS[i % 4],
                )
            for i, (name, value) in enumerate(spec.limits):
                ax.axhline(
                    value,
                    color=COLOURS[i % 4],
                    linestyle="--",
                    linewidth=0.9,
                    label=name,
                )
        ax.set_xticks(x, spec.categories)
        if len(spec.categories) > 10:
            for label in ax.get_xticklabels():
                label.set_rotation(45)
                label.set_horizontalalignment("right")
        ax.set_ylabel(spec.y_label)
        if spec.percent:
            ax.set_ylim(0, 105)
        else:
            ax.set_ylim(bottom=0)
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        if len(spec.series) + len(spec.limits) > 1:
            ax.legend(
                frameon=False,
                fontsize=8,
                ncols=min(4, len(spec.series) + len(spec.limits)),
                loc="lower center",
                bbox_to_anchor=(0.5, 1.0),
            )
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="png")
    return out.getvalue()
