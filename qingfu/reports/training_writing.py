"""The off-campus training section (校外培训治理) of a district's work summary, and the
same section on its own for the training officer's page: pure, no database.

Every figure comes from ``reports.training_facts``; a sentence is written only where its
records exist (no complaints, no sentence on complaints).
"""

from __future__ import annotations

from qingfu.core.text import _, counted, counted_as, gettext_noop
from qingfu.reports.data import Period, TrainingGovernance
from qingfu.reports.document import Block, Document, Heading, Paragraph, Table

CATEGORIES = (("academic", gettext_noop("学科类")), ("non-academic", gettext_noop("非学科类")))
STATUSES = (
    ("registered", gettext_noop("在册")),
    ("rectifying", gettext_noop("整改中")),
    ("blacklisted", gettext_noop("黑名单")),
    ("deregistered", gettext_noop("已注销")),
)


def _registry(t: TrainingGovernance) -> str:
    text = _(
        "全区校外培训机构名录在册{registered}家（学科类{academic}家、非学科类{other}家），"
        "整改中{rectifying}家，列入黑名单{blacklisted}家，已注销{deregistered}家。"
    ).format(
        registered=t.count(status="registered"),
        academic=t.count(category="academic", status="registered"),
        other=t.count(category="non-academic", status="registered"),
        rectifying=t.count(status="rectifying"),
        blacklisted=t.count(status="blacklisted"),
        deregistered=t.count(status="deregistered"),
    )
    moved = [
        _("{label}{n}家").format(label=_("转为") + _(label), n=t.status_changes[key])
        for key, label in STATUSES
        if t.status_changes.get(key)
    ]
    text += _("本期新登记{n}家").format(n=t.registered_new)
    text += (_("，状态变更：") + _("、").join(moved) + _("。")) if moved else _("。")
    return text


def _filings(t: TrainingGovernance) -> str:
    text = _(
        "机构通过平台备案课程{courses}、课程安排{sessions}、预收费{charges}，"
        "均按培训时间、收费标准和预收费规则自动检查"
    ).format(
        courses=counted_as("课程", "{n}门", "{n}门", t.courses_filed),
        sessions=counted_as("课程安排", "{n}条", "{n}条", t.sessions_filed),
        charges=counted_as("预收费", "{n}笔", "{n}笔", t.charges_filed),
    )
    if t.refused:
        text += counted(
            "；按现行规则复核后不予备案{n}项", "；按现行规则复核后不予备案{n}项", t.refused
        )
    return text + _("。")


def _complaints(t: TrainingGovernance) -> str:
    if not t.complaints:
        return _("本期未收到校外培训投诉举报。")
    text = _("本期受理投诉举报{n}，办结{closed}件，其中按期办结{in_time}件").format(
        n=counted_as("投诉举报", "{n}件", "{n}件", t.complaints),
        closed=t.complaints_closed,
        in_time=t.complaints_in_time,
    )
    open_ = t.complaints - t.complaints_closed
    if open_:
        text += _("；正在办理{n}件").format(n=open_)
        if t.complaints_overdue:
            text += _("，其中逾期{n}件").format(n=t.complaints_overdue)
    return text + _("。")


def _inspections(t: TrainingGovernance) -> str:
    if not t.visits:
        return _("本期未开展培训机构检查。")
    text = _(
        "开展培训机构检查{visits}，覆盖{institutions}，发现问题{items}，"
        "下发整改通知{notices}，已复核销号{closed}份"
    ).format(
        visits=counted_as("培训机构检查", "{n}次", "{n}次", t.visits),
        institutions=counted("{n}家机构", "{n}家机构", t.institutions_visited),
        items=counted_as("问题", "{n}项", "{n}项", t.items_failing),
        notices=counted_as("整改通知", "{n}份", "{n}份", t.notices),
        closed=t.notices_closed,
    )
    if t.notices_overdue:
        text += _("，逾期未整改{n}份").format(n=t.notices_overdue)
    return text + _("。")


def _table(t: TrainingGovernance) -> Table:
    rows = tuple(
        (
            _(label),
            *(str(t.count(category=key, status=s)) for s, _s in STATUSES),
            str(t.count(category=key)),
        )
        for key, label in CATEGORIES
    )
    total = (_("合计"), *(str(t.count(status=s)) for s, _s in STATUSES), str(t.count()))
    return Table(
        _("校外培训机构名录（按类别和状态）"),
        (_("类别"), *(_(label) for _s, label in STATUSES), _("合计")),
        (*rows, total),
        (False, True, True, True, True, True),
    )


def training_section(t: TrainingGovernance) -> list[Block]:
    """The section's heading, text and table, as placed among a report's achievements."""
    return [
        Heading(_("加强校外培训治理"), 2),
        Paragraph(_registry(t) + _filings(t)),
        _table(t),
        Paragraph(_complaints(t) + _inspections(t)),
    ]


def training_document(
    *, district: str, period: Period, figures: TrainingGovernance, today_text: str
) -> Document:
    """The section on its own: what the training officer downloads for the district's
    summary."""
    title = _("{district}{period}校外培训治理工作情况").format(
        district=district, period=period.label
    )
    blocks = training_section(figures)
    subtitle = _("（{start}至{end}）").format(
        start=period.start.isoformat(), end=period.end.isoformat()
    )
    return Document(title, subtitle, tuple(blocks[1:]), (district, today_text))
