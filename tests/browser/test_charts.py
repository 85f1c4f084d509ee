"""Every chart in the product's own theme, and the trend chart's legend clear of its axis
on a phone (issue 19 item 10): the district's dashboard and the campaign office's board,
at 390×844 and 1366×768."""

from __future__ import annotations

import json

import pytest

from qingfu.core.palette import CHART_COLOURS

from .conftest import PHONE, WIDE, nav_to, sign_in

# Every <text> of a chart's SVG with its box, and the chart's options as the page embeds them.
_TEXTS = """(index) => {
  const holder = document.querySelector(`[data-chart='${index}']`);
  const box = holder.getBoundingClientRect();
  const texts = [...holder.querySelectorAll('svg text')].map((t) => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent, top: r.top, bottom: r.bottom, left: r.left, right: r.right};
  });
  const paint = [...holder.querySelectorAll('svg path')].flatMap(
    (p) => [p.getAttribute('stroke'), p.getAttribute('fill')]).filter(Boolean);
  return {texts, paint, box: {top: box.top, bottom: box.bottom, left: box.left, right: box.right},
          theme: holder.dataset.theme};
}"""


def _rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r},{g},{b})"


def _drawn(page: object, index: int) -> dict:
    page.wait_for_selector(f"[data-chart='{index}'][data-ready='1'] svg text")
    found = page.evaluate(_TEXTS, index)
    options = json.loads(page.inner_text("#charts"))[index]
    found["options"] = options
    return found


def _overlap(a: dict, b: dict) -> bool:
    return not (
        a["right"] <= b["left"]
        or b["right"] <= a["left"]
        or a["bottom"] <= b["top"]
        or b["bottom"] <= a["top"]
    )


def _palette_used(paint: list[str]) -> set[str]:
    colours = {c.replace(" ", "").lower() for c in paint}
    return {c for c in CHART_COLOURS if c in colours or _rgb(c) in colours}


@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["phone", "desktop"])
def test_the_trend_chart_in_the_theme_with_its_legend_clear_of_the_axis(
    browser: object, demo_site: str, shoot: object, viewport: dict[str, int]
) -> None:
    page = sign_in(browser, demo_site, "district", viewport)
    nav_to(page, "督导看板")
    page.wait_for_url("**/oversight/district/**")
    chart = _drawn(page, 0)
    assert chart["theme"] == "qingfu"
    # Its series are drawn in the palette's first colours, not ECharts' defaults.
    assert {CHART_COLOURS[0], CHART_COLOURS[1], CHART_COLOURS[2]} <= _palette_used(chart["paint"])
    assert not {"#5470c6", "rgb(84,112,198)", "#91cc75"} & {
        c.replace(" ", "").lower() for c in chart["paint"]
    }

    series = {s["name"] for s in chart["options"]["series"]}
    weeks = set(chart["options"]["xAxis"]["data"])
    legend = [t for t in chart["texts"] if t["text"] in series]
    axis = [t for t in chart["texts"] if t["text"] in weeks]
    assert legend and axis, chart["texts"]
    # The legend sits below the axis labels, overlaps no other text, and stays in the chart.
    assert max(t["bottom"] for t in axis) <= min(t["top"] for t in legend)
    others = [t for t in chart["texts"] if t not in legend]
    assert not [(a["text"], b["text"]) for a in legend for b in others if _overlap(a, b)]
    box = chart["box"]
    assert all(box["top"] <= t["top"] and t["bottom"] <= box["bottom"] + 1 for t in legend)
    shoot(page, f"chart-trend-{'phone' if viewport == PHONE else 'desktop'}")
    page.context.close()


@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["phone", "desktop"])
def test_the_burden_board_charts_in_the_same_theme(
    browser: object, demo_site: str, shoot: object, viewport: dict[str, int]
) -> None:
    page = sign_in(browser, demo_site, "jianfu", viewport)
    nav_to(page, "减负看板")
    for index in (0, 1):
        chart = _drawn(page, index)
        assert chart["theme"] == "qingfu"
        assert len(_palette_used(chart["paint"])) >= 3
        series = {s["name"] for s in chart["options"]["series"]}
        categories = set(chart["options"]["xAxis"]["data"])
        legend = [t for t in chart["texts"] if t["text"] in series]
        axis = [t for t in chart["texts"] if t["text"] in categories]
        assert legend and axis
        assert max(t["bottom"] for t in axis) <= min(t["top"] for t in legend)
    shoot(page, f"chart-burden-{'phone' if viewport == PHONE else 'desktop'}")
    page.context.close()
