"""The burden pages' forms: a demand as a clerk drafts it, a decision on a waiting demand,
a receiver's report of an unregistered demand, the office's handling note, and an app or
work group. Each gives the service's input; whether the actor may use an id is the
service's question."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qingfu.burden.data import AppInput, DemandInput, ObservationInput, ReportInput
from qingfu.burden.models import (
    AppOrGroup,
    Demand,
    ListEntry,
    ObservationReport,
    UnregisteredReport,
)
from qingfu.core.edge import DateField, IdListField
from qingfu.policy.burden import APP_FEATURES, EVIDENCE

EVIDENCE_CHOICES = [(key, zh) for key, (zh, _en) in EVIDENCE.items()]
FEATURE_CHOICES = [(key, zh) for key, (zh, _en) in APP_FEATURES.items()]


class DemandForm(forms.Form):
    issuer = forms.IntegerField(label=_("发出单位"))
    kind = forms.ChoiceField(label=_("类别"), choices=Demand.Kind.choices)
    title = forms.CharField(label=_("标题"), max_length=200)
    day = DateField(label=_("日期"))
    last_day = DateField(label=_("截止日期"), required=False)
    receiver_units = IdListField(label=_("接收乡镇、社区（村）"))
    receiver_schools = IdListField(label=_("接收学校"))
    staff_hours = forms.FloatField(label=_("每个接收单位预计工时"), min_value=0, max_value=1000)
    attendee_level = forms.CharField(label=_("参会人员层级"), max_length=40, required=False)
    forwards_higher_document = forms.BooleanField(label=_("仅转发上级文件"), required=False)
    evidence_asked = forms.MultipleChoiceField(
        label=_("要求的佐证材料"), choices=EVIDENCE_CHOICES, required=False
    )
    plan_entry = forms.IntegerField(label=_("年度计划中的检查"), required=False)
    list_entry = forms.IntegerField(label=_("清单事项"), required=False)
    exception_reason = forms.CharField(
        label=_("例外理由（无会周开会须分管领导批准）"), max_length=500, required=False
    )
    funding_amount = forms.DecimalField(
        label=_("随事转经费（元）"), min_value=0, max_digits=12, decimal_places=2, required=False
    )
    field_list = forms.CharField(label=_("填报字段"), max_length=8000, required=False)
    confirm = forms.BooleanField(label=_("已知悉提示，仍然提交"), required=False)
    draft = forms.IntegerField(required=False)

    def demand_input(self) -> DemandInput:
        d: dict[str, Any] = self.cleaned_data
        return DemandInput(
            kind=d["kind"],
            title=d["title"],
            day=d["day"],
            last_day=d["last_day"],
            receiver_unit_ids=tuple(d["receiver_units"]),
            receiver_school_ids=tuple(d["receiver_schools"]),
            staff_hours=d["staff_hours"],
            attendee_level=d["attendee_level"],
            forwards_higher_document=d["forwards_higher_document"],
            evidence_asked=tuple(d["evidence_asked"]),
            plan_entry_id=d["plan_entry"],
            list_entry_id=d["list_entry"],
            exception_reason=d["exception_reason"],
            funding_amount=d["funding_amount"],
            field_list=d["field_list"],
        )


class DecisionForm(forms.Form):
    demand = forms.IntegerField()
    role = forms.ChoiceField(choices=[("leader", "leader"), ("office", "office")])
    approve = forms.TypedChoiceField(
        choices=[("1", _("同意")), ("0", _("不同意"))], coerce=lambda v: v == "1"
    )
    reason = forms.CharField(max_length=500, required=False)


class DraftForm(forms.Form):
    demand = forms.IntegerField()
    confirm = forms.BooleanField(required=False)


class ReportForm(forms.Form):
    issuer = forms.IntegerField(label=_("发出单位"))
    what = forms.CharField(label=_("事项内容"), max_length=300)
    day = DateField(label=_("收到日期"))
    channel = forms.ChoiceField(label=_("渠道"), choices=UnregisteredReport.Channel.choices)

    def report_input(self) -> ReportInput:
        d = self.cleaned_data
        return ReportInput(
            issuer_id=d["issuer"], what=d["what"], day=d["day"], channel=d["channel"]
        )


class ObservationForm(forms.Form):
    month = DateField(label=_("月份"))
    hours = forms.FloatField(label=_("应对上级事项工时（小时）"), min_value=0, max_value=1000)
    unregistered = forms.IntegerField(
        label=_("未经平台下达的事项（件）"), min_value=0, max_value=1000
    )
    compared = forms.ChoiceField(label=_("与上月相比"), choices=ObservationReport.Compared.choices)
    remarks = forms.CharField(label=_("意见建议"), max_length=1000, required=False)

    def observation_input(self) -> ObservationInput:
        d = self.cleaned_data
        return ObservationInput(
            month=d["month"],
            hours=d["hours"],
            unregistered=d["unregistered"],
            compared=d["compared"],
            remarks=d["remarks"],
        )


class HandlersForm(forms.Form):
    """The teachers a principal names to handle (承办) a demand sent to the school."""

    demand = forms.IntegerField()
    teachers = IdListField(label=_("承办人"))


class HandleForm(forms.Form):
    report = forms.IntegerField()
    note = forms.CharField(label=_("处理情况"), max_length=1000)


class AppForm(forms.Form):
    unit = forms.IntegerField(label=_("单位"))
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类别"), choices=AppOrGroup.Kind.choices)
    purpose = forms.CharField(label=_("用途"), max_length=200, required=False)
    owner = forms.CharField(label=_("管理人"), max_length=50, required=False)
    status = forms.ChoiceField(label=_("状态"), choices=AppOrGroup.Status.choices)
    features = forms.MultipleChoiceField(
        label=_("强制功能"), choices=FEATURE_CHOICES, required=False
    )

    def app_input(self) -> AppInput:
        d = self.cleaned_data
        return AppInput(
            name=d["name"],
            kind=d["kind"],
            purpose=d["purpose"],
            owner=d["owner"],
            status=d["status"],
            features=tuple(d["features"]),
        )


class AppStatusForm(forms.Form):
    app = forms.IntegerField()
    status = forms.ChoiceField(choices=AppOrGroup.Status.choices)


class PlanEntryForm(forms.Form):
    issuer = forms.IntegerField(label=_("发出单位"))
    year = forms.IntegerField(label=_("年度"))
    title = forms.CharField(label=_("检查事项"), max_length=200)
    month = forms.IntegerField(label=_("计划月份"), required=False)


class EntryForm(forms.Form):
    entry = forms.IntegerField()


class ListEntryForm(forms.Form):
    kind = forms.ChoiceField(label=_("清单"), choices=ListEntry.Kind.choices)
    name = forms.CharField(label=_("事项"), max_length=200)
    funding_per_year = forms.DecimalField(
        label=_("每年经费（元）"), max_digits=12, decimal_places=2, required=False
    )


class ObservationPointsForm(forms.Form):
    units = IdListField(label=_("减负观察点"))
