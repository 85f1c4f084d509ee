"""Forms of the training pages: they parse a POST into the values a service takes; the
services and the policy decide whether the filing, the status or the complaint stands."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _lazy

from qingfu.core.edge import DateField, IntField, TimeField
from qingfu.training import services
from qingfu.training.models import (
    Category,
    Complaint,
    Institution,
    Session,
    Subcategory,
    Weekday,
)

WEEKDAY_CHOICES = Weekday.choices


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class MoneyField(forms.DecimalField):
    default_error_messages = {"invalid": _lazy("请填写金额，如 120 或 120.50。")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 10)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal(0))
        super().__init__(**kwargs)


class RegistryUploadForm(forms.Form):
    file = forms.FileField(
        label=_lazy("名录文件（.xlsx 或 .csv）"),
        error_messages={"required": _lazy("请选择要导入的名录文件。")},
    )


class InstitutionForm(forms.Form):
    name = forms.CharField(label=_lazy("机构名称"), max_length=100)
    credit_code = forms.CharField(label=_lazy("统一社会信用代码"), max_length=30)
    licence_number = forms.CharField(label=_lazy("办学许可证号"), max_length=60, required=False)
    licence_from = DateField(label=_lazy("许可证有效期起"), widget=DATE, required=False)
    licence_to = DateField(label=_lazy("许可证有效期止"), widget=DATE, required=False)
    category = forms.ChoiceField(label=_lazy("类别"), choices=Category.choices)
    subcategory = forms.ChoiceField(label=_lazy("细类"), choices=Subcategory.choices)
    is_nonprofit = forms.BooleanField(label=_lazy("登记为非营利性"), required=False)
    address = forms.CharField(label=_lazy("培训场所地址"), max_length=200)
    area_m2 = forms.DecimalField(
        label=_lazy("场所面积（平方米）"), max_digits=8, decimal_places=1, min_value=Decimal("0.1")
    )

    def institution_input(self) -> services.InstitutionInput:
        d = self.cleaned_data
        return services.InstitutionInput(
            name=d["name"],
            credit_code=d["credit_code"],
            licence_number=d["licence_number"],
            licence_from=d["licence_from"],
            licence_to=d["licence_to"],
            category=d["category"],
            subcategory=d["subcategory"],
            is_nonprofit=d["is_nonprofit"],
            address=d["address"],
            area_m2=d["area_m2"],
        )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_lazy("新状态"), choices=Institution.Status.choices)
    reason = forms.CharField(label=_lazy("原因"), max_length=300, required=False)
    date = DateField(label=_lazy("日期"), widget=DATE, required=False)


class TrainerForm(forms.Form):
    name = forms.CharField(label=_lazy("姓名"), max_length=50)
    certificate_number = forms.CharField(label=_lazy("教师资格证号"), max_length=40, required=False)
    teaches_academic = forms.BooleanField(label=_lazy("从事学科类培训"), required=False)


class TrainerEditForm(TrainerForm):
    trainer_id = IntField(label=_lazy("培训人员"))


class TrainerRemoveForm(forms.Form):
    trainer_id = IntField(label=_lazy("培训人员"))


class CourseForm(forms.Form):
    name = forms.CharField(label=_lazy("课程名称"), max_length=100)
    subject = forms.CharField(label=_lazy("科目"), max_length=30)
    grade_from = IntField(label=_lazy("起始年级"), min_value=1, max_value=12)
    grade_to = IntField(label=_lazy("截止年级"), min_value=1, max_value=12)
    lesson_minutes = IntField(label=_lazy("课时长度（分钟）"), min_value=1, max_value=240)
    benchmark_price = MoneyField(label=_lazy("基准价（元/课时）"), required=False)
    price = MoneyField(label=_lazy("收费标准（元/课时）"))

    def course_input(self) -> services.CourseInput:
        d = self.cleaned_data
        return services.CourseInput(
            name=d["name"],
            subject=d["subject"],
            grade_from=d["grade_from"],
            grade_to=d["grade_to"],
            lesson_minutes=d["lesson_minutes"],
            benchmark_price=d["benchmark_price"],
            price=d["price"],
        )


class SessionForm(forms.Form):
    course_id = IntField(label=_lazy("课程"))
    weekday = forms.TypedChoiceField(label=_lazy("星期"), choices=WEEKDAY_CHOICES, coerce=int)
    start = TimeField(label=_lazy("开始"), widget=TIME)
    end = TimeField(label=_lazy("结束"), widget=TIME)
    mode = forms.ChoiceField(label=_lazy("方式"), choices=Session.Mode.choices)
    lessons = IntField(label=_lazy("课节数"), min_value=1, max_value=10)
    break_minutes = IntField(
        label=_lazy("课间（分钟）"), min_value=0, max_value=120, required=False
    )
    term_first = DateField(label=_lazy("本期首日"), widget=DATE)
    term_last = DateField(label=_lazy("本期末日"), widget=DATE)

    def session_input(self) -> services.SessionInput:
        d = self.cleaned_data
        return services.SessionInput(
            course_id=d["course_id"],
            weekday=d["weekday"],
            start=d["start"],
            end=d["end"],
            mode=d["mode"],
            lessons=d["lessons"],
            break_minutes=d["break_minutes"] or 0,
            term_first=d["term_first"],
            term_last=d["term_last"],
        )


class ChargeForm(forms.Form):
    student_label = forms.CharField(label=_lazy("学员编号"), max_length=40)
    amount = MoneyField(label=_lazy("金额（元）"))
    lesson_hours = IntField(label=_lazy("课时数"), min_value=1, max_value=1000)
    months = IntField(label=_lazy("覆盖月数"), min_value=1, max_value=60)
    paid_on = DateField(label=_lazy("收费日期"), widget=DATE)
    into_supervised_account = forms.BooleanField(label=_lazy("进入资金监管账户"), required=False)
    account_bank = forms.CharField(label=_lazy("监管银行"), max_length=60, required=False)

    def charge_input(self) -> services.ChargeInput:
        d = self.cleaned_data
        return services.ChargeInput(
            student_label=d["student_label"],
            amount=d["amount"],
            lesson_hours=d["lesson_hours"],
            months=d["months"],
            paid_on=d["paid_on"],
            into_supervised_account=d["into_supervised_account"],
            account_bank=d["account_bank"],
        )


class ComplaintForm(forms.Form):
    institution_id = IntField(label=_lazy("机构"), required=False)
    district_id = IntField(label=_lazy("区县"), required=False)
    institution_name = forms.CharField(label=_lazy("机构名称"), max_length=100, required=False)
    what_happened = forms.CharField(
        label=_lazy("反映内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5})
    )
    contact = forms.CharField(label=_lazy("联系方式（选填）"), max_length=100, required=False)


class FollowForm(forms.Form):
    reference = forms.CharField(label=_lazy("受理编号"), max_length=20)
    token = forms.CharField(label=_lazy("查询码"), max_length=64)


class ComplaintMoveForm(forms.Form):
    status = forms.ChoiceField(label=_lazy("改为"), choices=Complaint.Status.choices)
    note = forms.CharField(label=_lazy("说明"), max_length=500, required=False)
