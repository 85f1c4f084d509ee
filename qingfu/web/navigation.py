"""The signed-in person's navigation, grouped by duty and built from their roles.

A principal has some twenty pages; one strip of links was 1,290 px wide on a 390 px phone.
Grouping them by duty (作业, 课后服务, 考试与五项, 督导与报告, 学校管理, and the burden and
training roles' own groups) keeps the bar short: on a desktop each group is a dropdown, on a
phone one 菜单 button opens a panel of the groups (``web/nav.js``, ``qingfu.css``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _

from qingfu.core.actor import Actor
from qingfu.core.roles import Role


@dataclass(frozen=True)
class NavEntry:
    label: str
    url: str


@dataclass
class NavGroup:
    key: str
    label: str
    entries: list[NavEntry] = field(default_factory=list)

    def is_current(self, path: str) -> bool:
        return any(entry.url == path for entry in self.entries)


# The order the groups appear in, whatever order the roles add entries in.
GROUP_ORDER = ("homework", "afterschool", "assessment", "oversight", "school", "burden", "training")


def _group_labels() -> dict[str, str]:
    return {
        "homework": _("作业"),
        "afterschool": _("课后服务"),
        "assessment": _("考试与五项"),
        "oversight": _("督导与报告"),
        "school": _("学校管理"),
        "burden": _("基层减负"),
        "training": _("校外培训"),
    }


def navigation_for(actor: Actor) -> list[NavGroup]:
    """The groups of pages this person may open, in a fixed order; empty groups left out."""
    labels = _group_labels()
    groups = {key: NavGroup(key, labels[key]) for key in GROUP_ORDER}

    def add(key: str, label: str, url: str) -> None:
        groups[key].entries.append(NavEntry(label, url))

    admin = bool(actor.admin_school_ids)
    teacher = actor.teacher_id is not None
    oversees = admin or bool(actor.district_ids) or bool(actor.inspected_school_ids)

    if teacher and actor.taught_class_ids:
        add("homework", _("布置作业"), reverse("homework:new"))
        add("homework", _("我的作业"), reverse("homework:mine"))
    if teacher or admin:
        add("homework", _("本周作业量"), reverse("homework:week"))
    if actor.led_grade_ids or admin:
        add("homework", _("周作业计划"), reverse("homework:plans"))
    if actor.led_grade_ids:
        add("homework", _("例外审批"), reverse("homework:exceptions"))
    if actor.head_class_ids or actor.led_grade_ids:
        add("homework", _("提醒"), reverse("homework:alerts"))

    if teacher:
        add("afterschool", _("课后服务考勤"), reverse("afterschool:duty"))
    if admin:
        add("afterschool", _("课后服务"), reverse("afterschool:program"))
        add("afterschool", _("值班排班"), reverse("afterschool:roster"))
    if actor.district_ids:
        add("afterschool", _("课后服务备案"), reverse("afterschool:district"))

    if teacher:
        add("assessment", _("成绩录入"), reverse("assessment:mine"))
    if admin or actor.led_grade_ids:
        add("assessment", _("考试安排"), reverse("assessment:plan"))
    if admin or actor.led_grade_ids or actor.head_class_ids:
        add("assessment", _("睡眠与体育"), reverse("wellbeing:page"))
    if actor.head_class_ids:
        add("assessment", _("手机管理"), reverse("wellbeing:phones"))
    if admin:
        add("assessment", _("推荐读物"), reverse("wellbeing:reading"))

    if oversees:
        add("oversight", _("督导看板"), reverse("oversight:landing"))
    if actor.inspected_school_ids:
        add("oversight", _("督导检查"), reverse("inspections:index"))
    if admin or actor.district_ids:
        add("oversight", _("整改通知"), reverse("inspections:notices"))
    if oversees:
        add("oversight", _("课业负担调查"), reverse("surveys:list"))
    for district_id in sorted(actor.district_ids):
        add("oversight", _("区域概况"), reverse("web:district", args=[district_id]))
    if admin or actor.district_ids:
        add("oversight", _("报告与台账"), reverse("reports:page"))

    for school_id in sorted(actor.admin_school_ids):
        add("school", _("名册导入"), reverse("web:roster_import", args=[school_id]))
        add("school", _("校历"), reverse("web:calendar", args=[school_id]))
        add("school", _("访问审计"), reverse("web:audit", args=[school_id]))
    if admin:
        # What the county's offices ask of the school: the school's side of the registry.
        add("school", _("收到的事项"), reverse("burden:received"))

    if actor.units_as(Role.ISSUER_CLERK):
        add("burden", _("事项登记"), reverse("burden:demands"))
    if actor.units_as(Role.ISSUER_LEADER, Role.CAMPAIGN_OFFICER):
        add("burden", _("减负审批"), reverse("burden:approvals"))
    if actor.units_as(Role.RECEIVER):
        add("burden", _("收到的事项"), reverse("burden:received"))
    if actor.units_as(Role.ISSUER_CLERK, Role.ISSUER_LEADER, Role.CAMPAIGN_OFFICER):
        add("burden", _("督查检查考核计划"), reverse("burden:plan"))
    if actor.units_as(Role.CAMPAIGN_OFFICER):
        add("burden", _("减负看板"), reverse("burden:board"))
        add("burden", _("减负工作汇报"), reverse("reports:burden"))
        add("burden", _("准入清单与白名单"), reverse("burden:lists"))
        add("burden", _("减负观察点"), reverse("burden:points"))
    if actor.units_as(Role.RECEIVER, Role.ISSUER_CLERK, Role.CAMPAIGN_OFFICER):
        add("burden", _("工作群清理"), reverse("burden:apps"))

    if actor.training_district_ids:
        add("training", _("校外培训机构"), reverse("training:registry"))
        add("training", _("培训投诉举报"), reverse("training:complaints"))
        add("training", _("机构检查"), reverse("inspections:institutions"))
        add("training", _("校外培训治理报告"), reverse("reports:training"))
    if actor.units_as(Role.INSTITUTION_STAFF):
        add("training", _("本机构备案"), reverse("training:mine"))
        add("training", _("检查与整改"), reverse("inspections:institutions"))

    return [group for group in groups.values() if group.entries]


def navigation_entries(actor: Actor) -> list[NavEntry]:
    """Every page of the navigation, 首页 first: what a test walks to reach them all."""
    home = NavEntry(_("首页"), reverse("web:home"))
    return [home] + [entry for group in navigation_for(actor) for entry in group.entries]
