"""The after-school page in Chromium on a phone and a desktop (issue 19, items 5 and 9): a run
made late in the evening is listed at Beijing time as "第 N 次分配（11月20日 21:13）", its seed
is never shown as a string (the note says it is kept, the re-run button carries it), and
re-running with it gives the same result."""

from __future__ import annotations

import datetime as dt

from qingfu.afterschool.models import AllocationRun, Program

from .conftest import DESKTOP, PHONE, sign_in

LATE_EVENING_UTC = dt.datetime(2026, 11, 20, 13, 13, tzinfo=dt.UTC)  # 21:13 in Beijing


def test_a_late_run_in_local_time_and_its_seed_only_in_its_note(
    browser: object, demo_site: str, shoot: object
) -> None:
    program = Program.objects.filter(
        school__students__user__username="student32", semester__start__lte=dt.date(2026, 11, 23)
    ).distinct()[0]
    program.phase = Program.Phase.SIGNUP
    program.save()
    run = AllocationRun.objects.filter(program=program).earliest("id")
    AllocationRun.objects.filter(pk=run.pk).update(created_at=LATE_EVENING_UTC)
    for label, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page = sign_in(browser, demo_site, "principal", viewport)
        page.goto(f"{demo_site}/afterschool/")
        block = page.locator(f"[data-run='{run.pk}']")
        block.scroll_into_view_if_needed()
        heading = block.locator("h3").inner_text()
        assert "第 1 次分配（11月20日 21:13）" in heading, heading
        note = block.locator(".reproducible")
        assert note.is_visible()
        assert "可复核：抽签种子随本次分配保存" in note.inner_text()
        box = note.bounding_box()
        assert box is not None and box["x"] + box["width"] <= viewport["width"] + 1, (label, box)
        main = page.inner_text("main")
        assert "13:13" not in main and "exam." not in main and "afterschool." not in main
        assert run.seed not in main and "open " not in main
        assert "每天课后服务时长符合规定" in main  # policy lines say what they checked
        shoot(page, f"afterschool-run-note-{label}")
        if label == "desktop":
            block.locator("button:has-text('用同一种子重新运行')").click()
            # The run is a background job: its page gives the result and leads back.
            page.wait_for_selector("#job-result:has-text('分配已运行')")
            page.click("#job-next")
            page.wait_for_selector("#allocation")
            newest = AllocationRun.objects.filter(program=program).latest("id")
            assert newest.seed == run.seed
            text = page.locator(f"[data-run='{newest.pk}']").inner_text()
            assert "与第 1 次结果一致" in text
        page.context.close()
