"""Parsing the homework form into a draft. Items arrive as items-<n>-<field>; a row whose
content and minutes are both blank is an unused row, not an error."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from qingfu.core.errors import ValidationFailed
from qingfu.homework.data import HomeworkDraft, ItemDraft
from qingfu.homework.selectors import MAX_ITEMS

DEFAULT_ROWS = 3


def _int(raw: str | None) -> int | None:
    try:
        return int(str(raw).strip())
    except (TypeError, ValueError):
        return None


def _date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(raw).strip())
    except (TypeError, ValueError):
        return None


def draft_from_post(post: Any, *, today: dt.date) -> HomeworkDraft:
    """Build a draft or raise ``ValidationFailed`` naming every unparseable field."""
    errors: dict[str, list[str]] = {}
    subject_id = _int(post.get("subject"))
    if subject_id is None:
        errors["subject"] = [_("请选择学科。")]
    class_ids = tuple(sorted({c for c in (_int(v) for v in post.getlist("classes")) if c}))
    date = _date(post.get("date")) if post.get("date") else today
    if date is None:
        errors["date"] = [_("日期格式应为 2026-11-23。")]
    due_on = _date(post.get("due_on")) if post.get("due_on") else date
    if due_on is None:
        errors["due_on"] = [_("日期格式应为 2026-11-24。")]
    items: list[ItemDraft] = []
    for index in range(MAX_ITEMS):
        row = _row(post, index)
        if row is None:
            continue
        content, minutes_raw = row.get("content", "").strip(), row.get("minutes", "").strip()
        if not content and not minutes_raw:
            continue
        minutes = _int(minutes_raw)
        copying = _int(row.get("copying_minutes") or "0")
        key = f"items.{len(items)}"
        if minutes is None:
            errors[f"{key}.minutes"] = [_("请填写预计用时（分钟）。")]
        if copying is None:
            errors[f"{key}.copying_minutes"] = [_("应为分钟数。")]
        items.append(
            ItemDraft(
                content=content,
                kind=row.get("kind", "written"),
                tier=row.get("tier", "basic"),
                minutes=minutes or 0,
                place=row.get("place", "home"),
                is_mandatory=row.get("optional") != "on",
                ability_elements=tuple(post.getlist(f"items-{index}-ability_elements")),
                needs_phone=row.get("needs_phone") == "on",
                asks_parents_to_grade=row.get("asks_parents_to_grade") == "on",
                is_punitive=row.get("is_punitive") == "on",
                copying_minutes=copying or 0,
            )
        )
    if errors:
        raise ValidationFailed(errors)
    assert subject_id is not None and date is not None and due_on is not None
    return HomeworkDraft(
        subject_id=subject_id,
        class_ids=class_ids,
        date=date,
        due_on=due_on,
        items=tuple(items),
        note=str(post.get("note", "")),
    )


def _row(post: Mapping[str, str], index: int) -> dict[str, str] | None:
    prefix = f"items-{index}-"
    row = {k[len(prefix) :]: v for k, v in post.items() if k.startswith(prefix)}
    return row or None
