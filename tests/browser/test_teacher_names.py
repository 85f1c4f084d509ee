"""Teachers who share a name are told apart where they are listed and chosen (issue 19 item
10): the duty roster's table of teachers on a phone and a laptop, and the club form's
teacher select."""

from __future__ import annotations

import datetime as dt

import pytest

from qingfu.afterschool.models import Session
from qingfu.schools.models import RoleGrant, TeachingAssignment

from .conftest import DEMO_DAY, PHONE, WIDE, sign_in

# The lines an element's text takes: the distinct tops of its text nodes' boxes.
_LINES = """e => { const walk = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
  const tops = new Set(); let node;
  while ((node = walk.nextNode())) { if (!node.textContent.trim()) continue;
    const r = document.createRange(); r.selectNodeContents(node);
    for (const b of r.getClientRects()) if (b.width > 0) tops.add(Math.round(b.top)); }
  return tops.size; }"""


@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["phone", "desktop"])
def test_same_named_teachers_on_the_duty_roster_and_in_the_select(
    browser: object, demo_site: str, shoot: object, viewport: dict[str, int]
) -> None:
    school_id = RoleGrant.objects.filter(user__username="principal").values_list(
        "school_id", flat=True
    )[0]
    monday = dt.date.fromisoformat(DEMO_DAY)
    on_duty = list(
        dict.fromkeys(
            s.duty_teacher
            for s in Session.objects.filter(
                program__school_id=school_id,
                date__range=(monday, monday + dt.timedelta(days=6)),
                duty_teacher__isnull=False,
            ).select_related("duty_teacher")
        )
    )
    # Two teachers on duty this week with different subjects, given one name.
    subjects = {
        t.pk: sorted(
            set(
                TeachingAssignment.objects.filter(teacher=t).values_list("subject__name", flat=True)
            )
        )
        for t in on_duty
    }
    first = next(t for t in on_duty if subjects[t.pk])
    second = next(t for t in on_duty if t != first and subjects[t.pk] != subjects[first.pk])
    second.name = first.name
    second.save()

    page = sign_in(browser, demo_site, "principal", viewport)
    page.goto(f"{demo_site}/afterschool/roster/")
    page.wait_for_selector("#teachers")
    cells = page.locator("#teachers tbody tr td:first-child")
    named = [c for c in cells.all() if c.inner_text().startswith(first.name)]
    assert len(named) == 2, (first.name, [c.inner_text() for c in cells.all()], page.url)
    texts = [c.locator(".teacher-label").get_attribute("title") or "" for c in named]
    assert texts[0] != texts[1]
    for text in texts:
        assert text.startswith(f"{first.name}（")
    assert any(subjects[first.pk][0] in t for t in texts)
    assert any(subjects[second.pk][0] in t for t in texts)
    # Each label is in view, on one row of the table, inside the page's width.
    for cell in named:
        cell.scroll_into_view_if_needed()
        box = cell.bounding_box()
        assert box and box["x"] >= 0 and box["width"] > 0
        assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"] + 1
        # The name on one line and what tells them apart on one more, smaller and muted:
        # never wrapped over three lines, at 390 px as on a laptop.
        lines = cell.evaluate(_LINES)
        assert lines == 2, (lines, cell.inner_text())
        name, detail = cell.locator(".teacher-label"), cell.locator(".teacher-label .detail")
        assert name.evaluate(_LINES) == 2 and detail.evaluate(_LINES) == 1
        name_size = name.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        assert detail.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") < name_size
    shoot(page, f"teacher-names-roster-{'phone' if viewport == PHONE else 'desktop'}")

    page.goto(f"{demo_site}/afterschool/")
    options = page.locator("#c-teacher option").all_text_contents()
    if options:  # the club form is offered in this phase
        mine = [o for o in options if o.startswith(first.name)]
        assert len(mine) == 2 and mine[0] != mine[1]
    page.context.close()
