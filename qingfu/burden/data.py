"""The values a demand is drafted from, as the forms and the API schemas hand them over."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class DemandInput:
    kind: str
    title: str
    day: dt.date
    receiver_unit_ids: tuple[int, ...] = ()
    receiver_school_ids: tuple[int, ...] = ()
    last_day: dt.date | None = None
    staff_hours: float = 0.0
    attendee_level: str = ""
    forwards_higher_document: bool = False
    evidence_asked: tuple[str, ...] = ()
    plan_entry_id: int | None = None
    list_entry_id: int | None = None
    exception_reason: str = ""
    funding_amount: Decimal | None = None
    field_list: str = ""


@dataclass(frozen=True)
class ReportInput:
    issuer_id: int
    what: str
    day: dt.date
    channel: str


@dataclass(frozen=True)
class AppInput:
    name: str
    kind: str
    purpose: str = ""
    owner: str = ""
    status: str = "kept"
    features: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class ObservationInput:
    month: dt.date  # any day of the month reported
    hours: float
    unregistered: int
    compared: str
    remarks: str = ""
