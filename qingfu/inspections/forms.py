"""Forms of the inspection pages: starting a visit, marking the checklist, issuing a notice
and answering or reviewing it. They parse; the services decide and save."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from qingfu.core.edge import DateField, IntField
from qingfu.inspections import services
from qingfu.inspections.models import ChecklistItem, InstitutionItem


class VisitStartForm(forms.Form):
    date = DateField(required=False)
    period_start = DateField(required=False)
    period_end = DateField(required=False)


class ChecklistForm(forms.Form):
    """A mark (``mark-<item>``) and a note (``note-<item>``) per checklist item; an item the
    form leaves out keeps what it had."""

    summary = forms.CharField(required=False)

    def __init__(
        self, *args: Any, items: Sequence[ChecklistItem | InstitutionItem], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.items = items

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["marks"] = {
            item.pk: services.MarkInput(
                mark=str(self.data.get(f"mark-{item.pk}", item.mark)),
                note=str(self.data.get(f"note-{item.pk}", item.note)),
            )
            for item in self.items
        }
        return data

    def typed(self) -> dict[str, str]:
        """What the inspector entered, to show again when the save is refused."""
        return {
            f"{kind}-{item.pk}": str(self.data.get(f"{kind}-{item.pk}", getattr(item, kind)))
            for item in self.items
            for kind in ("mark", "note")
        }


class NoticeForm(forms.Form):
    item_id = IntField()
    title = forms.CharField(required=False)
    problem = forms.CharField(required=False, strip=False)
    requirement = forms.CharField(required=False, strip=False)
    deadline = DateField(required=False)

    def notice_input(self) -> services.NoticeInput:
        data = self.cleaned_data
        return services.NoticeInput(
            item_id=data["item_id"],
            title=data["title"],
            problem=data["problem"],
            requirement=data["requirement"],
            deadline=data["deadline"],
        )

    def typed(self) -> dict[str, str]:
        fields = ("item_id", "title", "problem", "requirement", "deadline")
        return {name: str(self.data.get(name, "")) for name in fields}


class ResponseForm(forms.Form):
    measures = forms.CharField(required=False)
    references = forms.CharField(required=False)

    def clean_references(self) -> list[str]:
        return str(self.cleaned_data["references"]).splitlines()


class ReviewForm(forms.Form):
    comment = forms.CharField(required=False)
