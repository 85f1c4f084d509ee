"""Forms of the homework pages. They parse a POST into what a service takes (a draft, an
evening's minutes, a plan's cells) and keep what the person typed so that a refused form
is shown again as it was; the services decide whether it is allowed.

Homework items arrive as ``items-<n>-<field>``; a row whose content and minutes are both
blank is an unused row, not an error.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from qingfu.core.edge import DateField, IdListField, IntField, TimeField, prefixed, valid
from qingfu.core.errors import ValidationFailed
from qingfu.homework.data import HomeworkDraft, ItemDraft
from qingfu.homework.selectors import MAX_ITEMS

DEFAULT_ROWS = 3
ROW_FIELDS = ("content", "kind", "tier", "place", "minutes", "copying_minutes")
ROW_FLAGS = ("optional", "needs_phone", "asks_parents_to_grade", "is_punitive")


class StringListField(forms.MultipleChoiceField):
    """Several free values of one name (tags the service checks)."""

    def valid_value(self, value: Any) -> bool:
        return isinstance(value, str)


class HomeworkForm(forms.Form):
    subject = IntField(
        error_messages={"required": _lazy("请选择学科。"), "invalid": _lazy("请选择学科。")}
    )
    classes = IdListField()
    date = DateField(required=False, error_messages={"invalid": _lazy("日期格式应为 2026-11-23。")})
    due_on = DateField(
        required=False, error_messages={"invalid": _lazy("日期格式应为 2026-11-24。")}
    )
    note = forms.CharField(required=False, strip=False)
    request_exception = forms.BooleanField(required=False)
    exception_reason = forms.CharField(required=False, strip=False)


class ItemForm(forms.Form):
    content = forms.CharField(required=False)
    kind = forms.CharField(required=False)
    tier = forms.CharField(required=False)
    place = forms.CharField(required=False)
    minutes = IntField(
        required=False,
        error_messages={"invalid": _lazy("请填写预计用时（分钟）。")},
    )
    copying_minutes = IntField(required=False, error_messages={"invalid": _lazy("应为分钟数。")})
    optional = forms.BooleanField(required=False)
    needs_phone = forms.BooleanField(required=False)
    asks_parents_to_grade = forms.BooleanField(required=False)
    is_punitive = forms.BooleanField(required=False)
    ability_elements = StringListField(required=False)

    @property
    def is_unused(self) -> bool:
        return not (self.data.get(self.add_prefix("content"), "").strip()) and not (
            self.data.get(self.add_prefix("minutes"), "").strip()
        )


def _item_forms(data: Any) -> list[ItemForm]:
    return [ItemForm(data, prefix=f"items-{index}") for index in range(_row_count(data, 0))]


def draft_from_post(data: Any, *, today: dt.date) -> HomeworkDraft:
    """Build a draft or raise ``ValidationFailed`` naming every unparseable field."""
    head = HomeworkForm(data)
    errors: dict[str, list[str]] = {}
    if not head.is_valid():
        errors.update({k: [str(m) for m in v] for k, v in head.errors.items()})
    items: list[ItemDraft] = []
    for form in _item_forms(data):
        if form.is_unused:
            continue
        key = f"items.{len(items)}"
        if not form.is_valid():
            errors.update({f"{key}.{k}": [str(m) for m in v] for k, v in form.errors.items()})
            items.append(ItemDraft("", "written", "basic", 0, "home"))
            continue
        row = form.cleaned_data
        if row["minutes"] is None:
            errors[f"{key}.minutes"] = [_("请填写预计用时（分钟）。")]
        items.append(
            ItemDraft(
                content=row["content"],
                kind=row["kind"] or "written",
                tier=row["tier"] or "basic",
                minutes=row["minutes"] or 0,
                place=row["place"] or "home",
                is_mandatory=not row["optional"],
                ability_elements=tuple(row["ability_elements"]),
                needs_phone=row["needs_phone"],
                asks_parents_to_grade=row["asks_parents_to_grade"],
                is_punitive=row["is_punitive"],
                copying_minutes=row["copying_minutes"] or 0,
            )
        )
    if errors:
        raise ValidationFailed(errors)
    head_data = head.cleaned_data
    date = head_data["date"] or today
    return HomeworkDraft(
        subject_id=head_data["subject"],
        class_ids=tuple(sorted(head_data["classes"])),
        date=date,
        due_on=head_data["due_on"] or date,
        items=tuple(items),
        note=head_data["note"],
    )


def exception_reason(data: Any) -> str | None:
    """The reason given with a request for an exception, or None when none was asked."""
    head = HomeworkForm(data)
    head.is_valid()
    fields = getattr(head, "cleaned_data", {})
    return fields.get("exception_reason", "") if fields.get("request_exception") else None


def typed(data: Any | None, *, today: dt.date, rows: int) -> dict[str, Any]:
    """The form as the teacher left it (or its defaults), so a re-shown form loses nothing."""
    data = data or {}
    return {
        "date": data.get("date") or today.isoformat(),
        "due_on": data.get("due_on") or (today + dt.timedelta(days=1)).isoformat(),
        "rows": [_row_values(data, i) for i in range(_row_count(data, rows))],
    }


def _row_count(data: Any, default: int) -> int:
    posted = [
        int(k.split("-")[1]) for k in data if k.startswith("items-") and k.split("-")[1].isdigit()
    ]
    return min(max(default, max(posted, default=-1) + 1), MAX_ITEMS)


def _row_values(data: Any, index: int) -> dict[str, Any]:
    row: dict[str, Any] = {"i": index}
    for name in ROW_FIELDS:
        row[name] = data.get(f"items-{index}-{name}", "")
    for name in ROW_FLAGS:
        row[name] = data.get(f"items-{index}-{name}") == "on"
    row["ability_elements"] = data.getlist(f"items-{index}-ability_elements") if data else []
    return row


# --- a decision, a plan's cells, the logging setting -------------------------------------


class DecisionForm(forms.Form):
    decision = forms.CharField(required=False)
    reason = forms.CharField(required=False)


class PlanForm(forms.Form):
    """A week's plan: minutes per ``m-<class>-<subject>-<day>`` cell, and its content in
    ``c-…``; a blank cell is 0 minutes."""

    comment = forms.CharField(required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        cells: dict[tuple[int, int, dt.date], tuple[int, str]] = {}
        for key, raw in prefixed(self.data, "m-").items():
            try:
                class_id, subject_id, day = key.split("-", 2)
                cell = (int(class_id), int(subject_id), dt.date.fromisoformat(day))
            except ValueError:
                continue
            text = str(raw).strip() or "0"
            if not text.isdigit():
                self.errors[f"cell-{key}"] = self.error_class([_("计划用时应为分钟数。")])
                continue
            cells[cell] = (int(text), str(self.data.get(f"c-{key}", "")))
        data["cells"] = cells
        return data


class LoggingForm(forms.Form):
    mode = forms.CharField(required=False)
    per_day = IntField(required=False, error_messages={"invalid": _lazy("请填写数字。")})
    min_gap_days = IntField(required=False, error_messages={"invalid": _lazy("请填写数字。")})


# --- an evening's time log --------------------------------------------------------------


class TimeLogForm(forms.Form):
    """Minutes per subject as ``m-<subject id>``, done at school as ``a-<subject id>``."""

    finished_at = TimeField(
        required=False, error_messages={"invalid": _lazy("时间格式应为 21:05。")}
    )
    could_not_finish = forms.BooleanField(required=False)
    reason = forms.CharField(required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        minutes: dict[int, int] = {}
        for subject, value in prefixed(self.data, "m-").items():
            if not subject.isdigit():
                continue
            text = str(value).strip() or "0"
            if not text.isdigit():
                self.errors[f"minutes.{subject}"] = self.error_class([_("用时应为分钟数。")])
                continue
            minutes[int(subject)] = int(text)
        data["minutes"] = minutes
        data["at_school"] = {
            int(s) for s, v in prefixed(self.data, "a-").items() if s.isdigit() and v == "on"
        }
        return data

    def typed_minutes(self, subject_id: int) -> str | None:
        return self.data.get(f"m-{subject_id}") or None

    def typed_finished_at(self, default: str) -> str:
        return str(self.data.get("finished_at", default))

    def typed_at_school(self) -> set[int]:
        return {int(s) for s, v in prefixed(self.data, "a-").items() if s.isdigit() and v}


def time_log(data: Any) -> dict[str, Any]:
    return valid(TimeLogForm(data)).cleaned_data


def chosen_subject(data: Any) -> int | None:
    """The subject the form is being filled in for (posted, or asked for in the query)."""
    raw = str(data.get("subject") or "")
    return int(raw) if raw.isdigit() else None


def published_id(data: Any) -> int | None:
    """The assignment a publish just made, named in the query of the page it returns to."""
    raw = str(data.get("published") or "")
    return int(raw) if raw.isdigit() else None


def chosen_classes(data: Any) -> set[int]:
    return {int(c) for c in data.getlist("classes") if str(c).isdigit()}
