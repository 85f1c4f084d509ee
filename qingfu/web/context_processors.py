"""Navigation for the signed-in user, built from their roles."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from qingfu.core.actor import Actor
from qingfu.core.roles import Role
from qingfu.core.scope import SESSION_KEY
from qingfu.schools.actors import actor_from_request


def navigation(request: HttpRequest) -> dict[str, Any]:
    if not request.user.is_authenticated:
        return {"nav": []}
    actor = actor_from_request(request)
    items = [(_("首页"), reverse("web:home"))]
    if actor.teacher_id is not None and actor.taught_class_ids:
        items.append((_("布置作业"), reverse("homework:new")))
        items.append((_("我的作业"), reverse("homework:mine")))
    if actor.teacher_id is not None or actor.admin_school_ids:
        items.append((_("本周作业量"), reverse("homework:week")))
    if actor.led_grade_ids or actor.admin_school_ids:
        items.append((_("周作业计划"), reverse("homework:plans")))
    if actor.led_grade_ids:
        items.append((_("例外审批"), reverse("homework:exceptions")))
    if actor.head_class_ids or actor.led_grade_ids:
        items.append((_("提醒"), reverse("homework:alerts")))
    if actor.teacher_id is not None:
        items.append((_("课后服务考勤"), reverse("afterschool:duty")))
        items.append((_("成绩录入"), reverse("assessment:mine")))
    if actor.admin_school_ids or actor.led_grade_ids:
        items.append((_("考试安排"), reverse("assessment:plan")))
    if actor.admin_school_ids or actor.led_grade_ids or actor.head_class_ids:
        items.append((_("睡眠与体育"), reverse("wellbeing:page")))
    if actor.head_class_ids:
        items.append((_("手机管理"), reverse("wellbeing:phones")))
    if actor.admin_school_ids:
        items.append((_("课后服务"), reverse("afterschool:program")))
        items.append((_("值班排班"), reverse("afterschool:roster")))
        items.append((_("推荐读物"), reverse("wellbeing:reading")))
    if actor.admin_school_ids or actor.district_ids or actor.inspected_school_ids:
        items.append((_("督导看板"), reverse("oversight:landing")))
    if actor.district_ids:
        items.append((_("课后服务备案"), reverse("afterschool:district")))
    if actor.inspected_school_ids:
        items.append((_("督导检查"), reverse("inspections:index")))
    if actor.admin_school_ids or actor.district_ids:
        items.append((_("整改通知"), reverse("inspections:notices")))
    if actor.admin_school_ids or actor.district_ids or actor.inspected_school_ids:
        items.append((_("课业负担调查"), reverse("surveys:list")))
    for school_id in sorted(actor.admin_school_ids):
        items.append((_("名册导入"), reverse("web:roster_import", args=[school_id])))
        items.append((_("校历"), reverse("web:calendar", args=[school_id])))
        items.append((_("访问审计"), reverse("web:audit", args=[school_id])))
    for district_id in sorted(actor.district_ids):
        items.append((_("区域概况"), reverse("web:district", args=[district_id])))
    if actor.admin_school_ids or actor.district_ids:
        items.append((_("报告与台账"), reverse("reports:page")))
    if actor.training_district_ids:
        items.append((_("校外培训机构"), reverse("training:registry")))
        items.append((_("培训投诉举报"), reverse("training:complaints")))
    if actor.units_as(Role.INSTITUTION_STAFF):
        items.append((_("本机构备案"), reverse("training:mine")))
    if actor.units_as(Role.ISSUER_CLERK):
        items.append((_("事项登记"), reverse("burden:demands")))
    if actor.units_as(Role.ISSUER_LEADER, Role.CAMPAIGN_OFFICER):
        items.append((_("减负审批"), reverse("burden:approvals")))
    if actor.units_as(Role.RECEIVER) or actor.admin_school_ids:
        items.append((_("收到的事项"), reverse("burden:received")))
    if actor.units_as(Role.CAMPAIGN_OFFICER):
        items.append((_("减负看板"), reverse("burden:board")))
    if actor.units_as(Role.RECEIVER, Role.ISSUER_CLERK, Role.CAMPAIGN_OFFICER):
        items.append((_("工作群清理"), reverse("burden:apps")))
    return {
        "nav": items,
        "school_choices": _school_choices(request, actor),
        "actor": actor,
        "actor_roles": [r.label for r in sorted(actor.roles, key=list(Role).index)],
    }


def _school_choices(request: HttpRequest, actor: Actor) -> list[tuple[int, str, bool]]:
    """The schools to switch between (id, name, current) for someone with roles in several;
    the pages that act in one school take the choice through ``current_school_id``."""
    if len(actor.school_ids) < 2:
        return []
    from qingfu.schools.models import School

    current = request.session.get(SESSION_KEY, min(actor.school_ids))
    return [
        (pk, name, pk == current)
        for pk, name in School.objects.filter(id__in=actor.school_ids)
        .order_by("code")
        .values_list("id", "name")
    ]
