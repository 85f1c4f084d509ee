"""布置作业 read in English (issue 19's walk): the subject's tabs and heading and the ability
element chips were Chinese to an English reader; the national ones are English now."""

from __future__ import annotations

import re

from qingfu.conftest import World
from qingfu.core.services import user_language_set


def test_the_publish_page_names_subjects_and_abilities_in_english(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.QINGFU_TODAY = "2026-11-23"
    settings.QINGFU_CLOCK = "19:30"
    user_language_set(user=world.users["math3"], language="en")
    html = world.client("math3").get("/homework/new/").content.decode()
    legend = re.search(r"<legend>(.*?)</legend>", html)
    assert legend is not None and legend.group(1).startswith("Mathematics"), legend
    chips = re.findall(r'ability_elements" value="[^"]*"[^>]*> ([^<]*)</label>', html)
    assert chips and "Calculation" in chips and "Reasoning" in chips, chips
    assert not [c for c in chips if re.search(r"[\u4e00-\u9fff]", c)], chips
    # The value posted stays the element's own name, the school's record of it.
    assert 'value="计算"' in html
    user_language_set(user=world.users["math3"], language="zh-hans")
    chinese = world.client("math3").get("/homework/new/").content.decode()
    assert "> 计算</label>" in chinese and "<legend>数学" in chinese
