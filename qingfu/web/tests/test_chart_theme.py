"""One chart theme: the CSS palette web/charts.js registers as ECharts' "qingfu" theme is
qingfu.core.palette's list (the reports draw from it), and no chart's options carry colours
of their own (they name a palette colour by its place)."""

from __future__ import annotations

import re
from pathlib import Path

from qingfu.core.palette import CHART_COLOURS

STATIC = Path(__file__).resolve().parents[1] / "static" / "web"


def test_the_css_palette_is_the_python_palette() -> None:
    css = (STATIC / "qingfu.css").read_text()
    found = dict(re.findall(r"--chart-(\d):\s*(#[0-9a-fA-F]{6})", css))
    assert [found[str(i)] for i in range(1, 7)] == list(CHART_COLOURS)


def test_every_chart_is_drawn_in_the_registered_theme() -> None:
    script = (STATIC / "charts.js").read_text()
    assert 'echarts.registerTheme("qingfu"' in script
    assert re.findall(r"echarts\.init\(([^)]*)\)", script) == ['el, "qingfu", { renderer: "svg" }']


def test_chart_options_name_no_colours_of_their_own() -> None:
    from qingfu.burden import charts as burden_charts
    from qingfu.oversight import charts as oversight_charts

    for module in (burden_charts, oversight_charts):
        source = Path(module.__file__ or "").read_text()
        assert not re.search(r"#[0-9a-fA-F]{6}", source), module.__name__
