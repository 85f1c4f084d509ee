"""Write the county's burden-reduction report (《…关于整治形式主义为基层减负工作开展情况的汇报》)
from its figures: pure, no database.

The structure is the seed reports' own (一、工作开展情况：健全工作机制、精文简会、规范督查
检查考核、减少重复填报、清理移动应用和工作群、规范准入与证明事项；二、存在的问题；
三、下一步工作建议), but every sentence is chosen by the figures: a practice is claimed
only where the records show it, each problem is found in the records (a target missed,
"小会多了", one office's unplanned checks, demands that went round the registry …), and
each suggestion answers a problem that was found. ``reports.burden_facts`` loads the
figures; this module never counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from qingfu.core.text import _, counted, counted_as, ngettext
from qingfu.reports.data import TeacherBurden
from qingfu.reports.document import Block, Chart, ChartSpec, Document, Heading, Paragraph, Table
from qingfu.reports.teacher_writing import kinds_text
from qingfu.reports.writing import _cn_count, _numbered

LISTED = 3  # units named in a sentence before "等"
# A data request answered from records for less than this share is a problem.
ANSWERED_PROBLEM = 0.5
# An office sending this many unplanned inspections in the period is named.
UNPLANNED_PROBLEM = 2


@dataclass(frozen=True)
class YearOnYear:
    """One counted kind over the period against the same dates last year and its target."""

    kind: str  # document | meeting | inspection
    count: int
    last_year: int
    allowed: int  # what the target allows, floor(last × (100 + target) / 100)
    target: float  # percent, −30 for "30% fewer"

    @property
    def change(self) -> float | None:
        if not self.last_year:
            return None
        return (self.count - self.last_year) * 100 / self.last_year

    @property
    def on_target(self) -> bool:
        return self.count <= self.allowed


@dataclass(frozen=True)
class MonthLine:
    label: str  # "3月"
    this_year: tuple[int, int, int]  # documents, meetings, inspections
    last_year: tuple[int, int, int]


@dataclass(frozen=True)
class Named:
    name: str
    count: int
    hours: float = 0.0


@dataclass(frozen=True)
class Observation:
    """The observation points' (减负观察点) monthly reports over the period."""

    points: int
    expected: int  # point-months in the period
    received: int
    hours: float  # the hours they reported spending on demands
    unregistered: int  # demands they saw arrive outside Qingfu
    heavier: int  # reports saying the month was heavier than the one before
    lighter: int
    remarks: tuple[str, ...] = ()


@dataclass(frozen=True)
class BurdenFacts:
    county: str
    start: dt.date
    end: dt.date
    through: dt.date  # the last day counted: the end, or today if that is earlier
    today: dt.date
    label: str  # "2026年1月1日至11月10日"
    issuers: int  # units that sent at least one demand in the period
    receivers: int  # units and schools at least one demand landed on
    sent: int
    counts: tuple[YearOnYear, ...]  # documents, meetings, inspections
    months: tuple[MonthLine, ...]
    county_meetings: tuple[int, int]  # (this period, last year) called by county offices
    local_meetings: tuple[int, int]  # called by towns (below the county)
    forwarding: int  # documents that only forward a higher one
    free_days: int  # the meeting-free days at the start of each month
    free_months: int  # months of the period whose meeting-free days were counted
    free_months_kept: int  # of those, with no meeting at all in them
    free_exceptions: int  # meetings held in them with the leader's approval and reason
    inspections_planned: int
    inspections_unplanned: int  # sent after the leader's and the office's approval
    unplanned_by_issuer: tuple[Named, ...]  # every unplanned one submitted, by office
    refused: int
    refused_by_kind: tuple[Named, ...]
    exceptions: int
    pending: int
    data_requests: int
    fields_asked: int
    fields_answered: int
    hours_saved: float
    tasks_listed: int
    tasks_unlisted: int  # approved by the office, with funding
    funding: float  # yuan following the unlisted tasks (费随事转)
    certificates: int
    access_items: int
    certificate_items: int
    apps_closed: int
    apps_merged: int
    apps_kept: int
    apps_unowned: int  # kept ones without an owner or a purpose
    apps_forcing: tuple[str, ...]  # kept ones that still force check-ins, screenshots …
    reports: int  # demands receivers reported as reaching them outside Qingfu
    reports_handled: int
    reports_by_issuer: tuple[Named, ...]
    hours: float  # expected staff-hours placed on receivers
    heaviest_receivers: tuple[Named, ...]
    heaviest_issuers: tuple[Named, ...]
    schools: TeacherBurden | None = None
    observation: Observation | None = None
    rules: tuple[str, ...] = field(default_factory=tuple)  # citations used

    @property
    def has_data(self) -> bool:
        return bool(
            self.sent
            or self.refused
            or self.reports
            or self.apps_closed
            or (self.observation and self.observation.received)
        )

    def count(self, kind: str) -> YearOnYear:
        return next(c for c in self.counts if c.kind == kind)


def kind_label(kind: str) -> str:
    return {
        "document": _("发文"),
        "meeting": _("会议"),
        "inspection": _("督查检查考核"),
        "data_request": _("数据填报"),
        "task": _("下沉事项"),
        "certificate": _("证明事项"),
        "campus_activity": _("社会事务进校园"),
        "secondment": _("借调教师"),
    }.get(kind, kind)


def kind_unit(kind: str) -> str:
    return {"meeting": _("次"), "inspection": _("项")}.get(kind, _("件"))


def cn_date(day: dt.date) -> str:
    return _("{y}年{m}月{d}日").format(y=day.year, m=day.month, d=day.day)


def hours_text(value: float) -> str:
    return f"{value:.1f}"


def change_text(c: YearOnYear) -> str:
    """ "比去年同期减少25.0%" / "增加" / "持平" / "去年同期为0"."""
    change = c.change
    if change is None:
        return _("去年同期为0")
    if change < 0:
        return _("比去年同期减少{p:.1f}%").format(p=-change)
    if change > 0:
        return _("比去年同期增加{p:.1f}%").format(p=change)
    return _("与去年同期持平")


def _demands(n: int) -> str:
    return counted_as("事项", "{n}件", "{n}件", n)


def _listing(items: tuple[Named, ...] | list[Named], unit: str) -> str:
    shown = _("、").join(
        _("{name}（{n}{unit}）").format(name=i.name, n=i.count, unit=unit) for i in items[:LISTED]
    )
    if len(items) > LISTED:
        return ngettext("{shown}等{n}个单位", "{shown}等{n}个单位", len(items)).format(
            shown=shown, n=len(items)
        )
    return shown


@dataclass(frozen=True)
class Problem:
    key: str
    title: str
    text: str


def burden_document(facts: BurdenFacts) -> Document:
    title = _("{county}关于整治形式主义为基层减负工作开展情况的汇报").format(county=facts.county)
    lines = (facts.county, title[len(facts.county) :]) if title.startswith(facts.county) else ()
    subtitle = _("（{start}至{end}）").format(start=cn_date(facts.start), end=cn_date(facts.end))
    if facts.through < facts.end:
        subtitle = _("（{start}至{end}，统计至{through}）").format(
            start=cn_date(facts.start), end=cn_date(facts.end), through=cn_date(facts.through)
        )
    signature = (
        _("{county}整治形式主义为基层减负工作专班").format(county=facts.county),
        cn_date(facts.today),
    )
    if not facts.has_data:
        empty = Paragraph(
            _(
                "统计时段内平台中没有{county}各单位登记的发文、会议、督查检查考核、填报、"
                "下沉事项，也没有未登记事项报告和工作群清理记录，无法据实形成汇报，"
                "本汇报不列任何数字。请确认所选时段，或在各单位登记后重新生成。"
            ).format(county=facts.county)
        )
        return Document(title, subtitle, (empty,), signature, lines)
    blocks: list[Block] = [Paragraph(_lead(facts))]
    blocks.append(Heading(_("一、工作开展情况"), 1))
    sections = [
        s
        for s in (
            _mechanism(facts),
            _documents_meetings(facts),
            _inspections(facts),
            _data_requests(facts),
            _apps(facts),
            _access(facts),
            _schools(facts),
        )
        if s
    ]
    for n, section in enumerate(sections, 1):
        head = section[0]
        assert isinstance(head, Heading)
        blocks.append(Heading(_("（{n}）{text}").format(n=_cn_count(n), text=head.text), 2))
        blocks.extend(section[1:])
    problems = _problems(facts)
    blocks.append(Heading(_("二、存在的问题"), 1))
    if problems:
        blocks.append(
            Paragraph(
                counted(
                    "对照平台记录逐项检查，还存在以下{n}个方面的问题：",
                    "对照平台记录逐项检查，还存在以下{n}个方面的问题：",
                    len(problems),
                )
            )
        )
        for n, p in enumerate(problems, 1):
            blocks.append(
                Paragraph(_("{n}．{title}。{text}").format(n=n, title=p.title, text=p.text))
            )
    else:
        blocks.append(
            Paragraph(
                _(
                    "对照平台记录逐项检查，本期发文、会议、督查检查考核均达到压减目标，"
                    "没有发现绕开平台下达的事项和强制打卡、截图的工作群。这一结论只反映"
                    "平台中已有的记录，仍需通过减负观察点和基层走访听取意见。"
                )
            )
        )
    blocks.append(Heading(_("三、下一步工作建议"), 1))
    blocks.extend(_next_steps(facts, problems))
    blocks.append(Paragraph(_notes(facts), "note"))
    return Document(title, subtitle, _numbered(blocks), signature, lines)


def _lead(facts: BurdenFacts) -> str:
    return _(
        "{label}，{county}认真贯彻落实《整治形式主义为基层减负若干规定》，坚持把为基层减负"
        "作为转变作风的重要抓手，所有面向乡镇（街道）、村（社区）和学校的发文、会议、"
        "督查检查考核、填报和下沉事项一律先在平台登记、对照规则审核后再下发。现将有关"
        "情况汇报如下。本汇报的数据覆盖{issuers}个发出单位、{receivers}个接收单位（含学校），"
        "全部由轻负平台根据各单位的登记、审批和报告记录自动统计，没有另行填报。"
    ).format(
        label=facts.label, county=facts.county, issuers=facts.issuers, receivers=facts.receivers
    )


# --- 一、工作开展情况 --------------------------------------------------------------------


def _mechanism(facts: BurdenFacts) -> list[Block]:
    out: list[Block] = [Heading(_("健全工作机制，事项先登记后下发"), 2)]
    text = _(
        "本期各单位在平台登记并下发事项{sent}，对照规则审核未予通过{refused}，"
        "经分管领导和减负办批准作为例外下发{exceptions}。"
    ).format(
        sent=_demands(facts.sent),
        refused=counted_as("未予通过", "{n}件", "{n}件", facts.refused),
        exceptions=counted_as("例外下发", "{n}件", "{n}件", facts.exceptions),
    )
    if facts.pending:
        text += _("另有{n}件正在审批。").format(n=facts.pending)
    if facts.refused_by_kind:
        text += _("未予通过的事项中，{list}。").format(
            list=_("、").join(
                _("{kind}{n}件").format(kind=kind_label(n.name), n=n.count)
                for n in facts.refused_by_kind
            )
        )
    if facts.reports:
        text += _(
            "接收单位报告未经平台登记、通过工作群或电话等渠道下达的事项{n}，减负办已处理{h}件。"
        ).format(n=_demands(facts.reports), h=facts.reports_handled)
    out.append(Paragraph(text))
    if facts.hours:
        heavy = _("、").join(
            _("{name}{h}小时").format(name=r.name, h=hours_text(r.hours))
            for r in facts.heaviest_receivers[:LISTED]
        )
        out.append(
            Paragraph(
                _(
                    "按登记时预计的工时计算，本期下发事项共给接收单位带来约{hours}小时的工作量"
                    "（负担指数），平均每个接收单位{avg}小时；负担最重的是{heavy}。"
                ).format(
                    hours=hours_text(facts.hours),
                    avg=hours_text(facts.hours / facts.receivers) if facts.receivers else "0.0",
                    heavy=heavy,
                )
            )
        )
    if facts.heaviest_issuers:
        out.append(
            Table(
                _("下发事项最多的单位"),
                (_("发出单位"), _("事项（件）"), _("预计工时（小时）")),
                tuple((i.name, str(i.count), hours_text(i.hours)) for i in facts.heaviest_issuers),
                (False, True, True),
            )
        )
    obs = facts.observation
    if obs is not None and obs.points:
        out.append(
            Paragraph(
                _(
                    "全县设立减负观察点{points}，本期应报月度情况{expected}，实报{received}份，"
                    "报告用于应对上级事项的工时共{hours}小时，发现未登记事项{unregistered}；"
                    "{heavier}认为负担比上月加重，{lighter}份认为有所减轻。"
                ).format(
                    points=counted_as("观察点", "{n}个", "{n}个", obs.points),
                    expected=counted_as("月度情况", "{n}份", "{n}份", obs.expected),
                    received=obs.received,
                    hours=hours_text(obs.hours),
                    unregistered=counted_as("未登记事项", "{n}件", "{n}件", obs.unregistered),
                    heavier=counted("{n}份报告", "{n}份报告", obs.heavier),
                    lighter=obs.lighter,
                )
            )
        )
    return out


def _documents_meetings(facts: BurdenFacts) -> list[Block]:
    documents, meetings = facts.count("document"), facts.count("meeting")
    out: list[Block] = [Heading(_("精文简会，减少文山会海"), 2)]
    text = _("本期发文{n}，{change}（压减目标：不超过{allowed}件）").format(
        n=counted_as("发文", "{n}件", "{n}件", documents.count),
        change=change_text(documents),
        allowed=documents.allowed,
    )
    if facts.forwarding:
        text += _("；其中{n}件仅转发上级文件，已在登记时提示").format(n=facts.forwarding)
    text += _("。召开会议{n}，{change}（压减目标：不超过{allowed}次）。").format(
        n=counted_as("会议", "{n}次", "{n}次", meetings.count),
        change=change_text(meetings),
        allowed=meetings.allowed,
    )
    out.append(Paragraph(text))
    if facts.free_months:
        free = _(
            "坚持每月前{days}为“无会周”，本期{months}中有{kept}个月的无会周没有召开任何会议"
        ).format(
            days=counted("{n}天", "{n}天", facts.free_days),
            months=counted("{n}个月", "{n}个月", facts.free_months),
            kept=facts.free_months_kept,
        )
        if facts.free_exceptions:
            free += counted(
                "，{n}次会议经分管领导批准并写明理由后在无会周召开",
                "，{n}次会议经分管领导批准并写明理由后在无会周召开",
                facts.free_exceptions,
            )
        out.append(Paragraph(free + _("。")))
    kinds = tuple(kind_label(c.kind) for c in facts.counts)
    out.append(
        Table(
            _("发文、会议、督查检查考核数量与去年同期比较"),
            (_("类别"), _("本期"), _("去年同期"), _("增减"), _("目标上限")),
            tuple(
                (
                    kind_label(c.kind),
                    str(c.count),
                    str(c.last_year),
                    "—" if c.change is None else f"{c.change:+.1f}%",
                    str(c.allowed),
                )
                for c in facts.counts
            ),
            (False, True, True, True, True),
        )
    )
    out.append(
        Chart(
            _("发文、会议、督查检查考核数量（本期与去年同期）"),
            ChartSpec(
                kind="bars",
                categories=kinds,
                series=(
                    (_("本期"), tuple(float(c.count) for c in facts.counts)),
                    (_("去年同期"), tuple(float(c.last_year) for c in facts.counts)),
                ),
                y_label=_("件"),
            ),
        )
    )
    if len(facts.months) > 1:
        out.append(
            Chart(
                _("各月发文、会议、督查检查考核数量"),
                ChartSpec(
                    kind="lines",
                    categories=tuple(m.label for m in facts.months),
                    series=tuple(
                        (kind, tuple(float(m.this_year[i]) for m in facts.months))
                        for i, kind in enumerate(kinds)
                    ),
                    y_label=_("件"),
                ),
            )
        )
    return out


def _inspections(facts: BurdenFacts) -> list[Block]:
    c = facts.count("inspection")
    out: list[Block] = [Heading(_("规范督查检查考核，推动合并精简"), 2)]
    text = _("本期开展督查检查考核{n}，{change}（目标：不超过{allowed}项）。").format(
        n=counted_as("督查检查考核", "{n}项", "{n}项", c.count),
        change=change_text(c),
        allowed=c.allowed,
    )
    text += _(
        "其中列入年度计划{planned}项，计划外{unplanned}项均经分管领导审核、减负办批准后开展"
    ).format(planned=facts.inspections_planned, unplanned=facts.inspections_unplanned)
    refused = next((n.count for n in facts.refused_by_kind if n.name == "inspection"), 0)
    if refused:
        text += _("，另有{n}项计划外检查未获批准").format(n=refused)
    out.append(Paragraph(text + _("。")))
    return out


def _data_requests(facts: BurdenFacts) -> list[Block]:
    if not facts.data_requests:
        return []
    share = facts.fields_answered / facts.fields_asked if facts.fields_asked else 0.0
    return [
        Heading(_("推行“一表通”，减少重复填报"), 2),
        Paragraph(
            _(
                "本期下发数据填报{n}，共要求填报字段{asked}，其中{answered}项（{share:.1f}%）"
                "由平台根据已有记录自动填写，接收单位只需核对后报送，"
                "按登记工时折算约减少基层填报{hours}小时。"
            ).format(
                n=counted_as("数据填报", "{n}件", "{n}件", facts.data_requests),
                asked=counted_as("字段", "{n}项", "{n}项", facts.fields_asked),
                answered=facts.fields_answered,
                share=share * 100,
                hours=hours_text(facts.hours_saved),
            )
        ),
    ]


def _apps(facts: BurdenFacts) -> list[Block]:
    total = facts.apps_closed + facts.apps_merged + facts.apps_kept
    if not total:
        return []
    text = _(
        "全面清理政务APP、公众号和微信、QQ、钉钉工作群，共登记{total}个，关停{closed}个，"
        "合并{merged}个，保留{kept}个"
    ).format(total=total, closed=facts.apps_closed, merged=facts.apps_merged, kept=facts.apps_kept)
    if facts.apps_kept and not facts.apps_unowned:
        text += _("，保留的均明确了用途和管理人")
    elif facts.apps_unowned:
        text += _("，其中{n}个尚未明确用途或管理人").format(n=facts.apps_unowned)
    return [
        Heading(_("清理移动应用和工作群，整治“指尖上的形式主义”"), 2),
        Paragraph(text + _("。")),
    ]


def _access(facts: BurdenFacts) -> list[Block]:
    if not (facts.access_items or facts.certificate_items or facts.tasks_listed):
        return []
    parts = [
        _("制定村（社区）工作事务准入清单{access}、证明事项清单{certs}").format(
            access=counted_as("准入清单", "{n}项", "{n}项", facts.access_items),
            certs=counted_as("证明事项", "{n}项", "{n}项", facts.certificate_items),
        )
    ]
    if facts.tasks_listed or facts.tasks_unlisted:
        parts.append(
            _("本期按清单下沉事项{n}件").format(n=facts.tasks_listed)
            + (
                _("，清单外事项{n}件均经减负办批准并随事落实经费{funding}元（费随事转）").format(
                    n=facts.tasks_unlisted, funding=f"{facts.funding:,.0f}"
                )
                if facts.tasks_unlisted
                else _("，没有清单外事项")
            )
        )
    else:
        parts.append(_("本期没有向村（社区）下沉工作事项"))
    if facts.certificates:
        parts.append(
            counted(
                "要求村（社区）出具的证明{n}项均在清单之内",
                "要求村（社区）出具的证明{n}项均在清单之内",
                facts.certificates,
            )
        )
    return [
        Heading(_("规范准入与证明事项，落实费随事转"), 2),
        Paragraph(_("；").join(parts) + _("。")),
    ]


def _schools(facts: BurdenFacts) -> list[Block]:
    s = facts.schools
    if s is None or not (s.demands or s.refused or s.reports):
        return []
    text = _("落实教师减负要求，本期各单位向学校下发事项{n}，预计占用学校工时{hours}小时").format(
        n=counted_as("事项", "{n}件", "{n}件", s.demands), hours=hours_text(s.hours)
    )
    text += kinds_text(s) + _("。")
    if s.refused:
        text += counted(
            "未列入年度清单的进校检查和填报、白名单以外的进校园活动等{n}件未获通过。",
            "未列入年度清单的进校检查和填报、白名单以外的进校园活动等{n}件未获通过。",
            s.refused,
        )
    if s.reports:
        text += counted(
            "学校报告未经平台下达的事项{n}件。", "学校报告未经平台下达的事项{n}件。", s.reports
        )
    return [Heading(_("减轻中小学教师负担"), 2), Paragraph(text)]


# --- 二、存在的问题 ----------------------------------------------------------------------


def _problems(facts: BurdenFacts) -> list[Problem]:
    out: list[Problem] = []
    for c in facts.counts:
        if not c.on_target:
            out.append(
                Problem(
                    f"target-{c.kind}",
                    _("{kind}压减未达目标").format(kind=kind_label(c.kind)),
                    _("本期{kind}{n}{unit}，{change}，超出目标上限{allowed}{unit}。").format(
                        kind=kind_label(c.kind),
                        n=c.count,
                        unit=kind_unit(c.kind),
                        change=change_text(c),
                        allowed=c.allowed,
                    ),
                )
            )
    (county_now, county_before), (local_now, local_before) = (
        facts.county_meetings,
        facts.local_meetings,
    )
    if local_now > local_before and county_now <= county_before:
        out.append(
            Problem(
                "small-meetings",
                _("“大会少了、小会多了”"),
                _(
                    "县级部门召开的会议{cn}（去年同期{cb}次），而乡镇（街道）召开的会议"
                    "{ln}次，比去年同期的{lb}次有所增加，会议压力向下传导。"
                ).format(
                    cn=counted_as("会议", "{n}次", "{n}次", county_now),
                    cb=county_before,
                    ln=local_now,
                    lb=local_before,
                ),
            )
        )
    unplanned = [n for n in facts.unplanned_by_issuer if n.count >= UNPLANNED_PROBLEM]
    if unplanned:
        out.append(
            Problem(
                "unplanned",
                _("计划外督查检查仍然偏多"),
                _("{list}在年度计划之外多次提出督查检查，计划编制不够科学。").format(
                    list=_listing(unplanned, _("项"))
                ),
            )
        )
    if facts.reports:
        out.append(
            Problem(
                "unregistered",
                _("仍有事项绕开平台下达"),
                _(
                    "接收单位报告未经登记、通过工作群或电话下达的事项{n}件，涉及{list}{open}。"
                ).format(
                    n=facts.reports,
                    list=_listing(facts.reports_by_issuer, _("件")),
                    open=_("，其中{n}件尚未处理完毕").format(
                        n=facts.reports - facts.reports_handled
                    )
                    if facts.reports > facts.reports_handled
                    else "",
                ),
            )
        )
    if facts.fields_asked and facts.fields_answered / facts.fields_asked < ANSWERED_PROBLEM:
        out.append(
            Problem(
                "forms",
                _("重复填报问题依然存在"),
                _(
                    "数据填报要求的{asked}中只有{answered}个能由已有记录自动填写，"
                    "其余仍需基层重新统计。"
                ).format(
                    asked=counted("{n}个字段", "{n}个字段", facts.fields_asked),
                    answered=facts.fields_answered,
                ),
            )
        )
    if facts.apps_forcing:
        out.append(
            Problem(
                "apps",
                _("“指尖上的形式主义”尚未根除"),
                _("保留的{list}等仍要求打卡、截图、定位或积分排名。").format(
                    list=_("、").join(facts.apps_forcing[:LISTED])
                ),
            )
        )
    if facts.observation and facts.observation.heavier > facts.observation.lighter:
        out.append(
            Problem(
                "observation",
                _("基层感受与统计数字还有差距"),
                _("减负观察点的{n}份月报认为负担比上月加重，多于认为减轻的{m}份。").format(
                    n=facts.observation.heavier, m=facts.observation.lighter
                ),
            )
        )
    return out


# --- 三、下一步工作建议 ------------------------------------------------------------------


def _next_steps(facts: BurdenFacts, problems: list[Problem]) -> list[Block]:
    steps = {
        "small-meetings": _(
            "严格控制乡镇（街道）层面会议，能合并的合并召开，能用文件、电话部署的不开会。"
        ),
        "unplanned": _(
            "科学编制年度督查检查考核计划，对多次提出计划外检查的单位由减负办约谈，"
            "同一月份对同一对象的检查一律合并进行。"
        ),
        "unregistered": _(
            "对绕开平台下达的事项逐件核实、通报，发出单位补办登记或撤回，纳入年度考核。"
        ),
        "forms": _("扩大“一表通”覆盖的数据项，各部门共享已有数据，不再要求基层重复填报。"),
        "apps": _("限期整改仍要求打卡、截图、积分排名的应用和工作群，整改不到位的一律关停。"),
        "observation": _("加密减负观察点回访，把基层反映集中的事项列为下一阶段整治重点。"),
    }
    out: list[Block] = []
    n = 0
    for p in problems:
        text = steps.get(p.key)
        if p.key.startswith("target-"):
            text = _("对{kind}压减未达目标的单位逐一分析原因，从严审核新增{kind}。").format(
                kind=kind_label(p.key.removeprefix("target-"))
            )
        if text:
            n += 1
            out.append(Paragraph(_("{n}．{text}").format(n=n, text=text)))
    n += 1
    out.append(
        Paragraph(
            _(
                "{n}．坚持事项先登记后下发，持续开展减负观察点月报和年度“回头看”，巩固减负成果。"
            ).format(n=n)
        )
    )
    return out


def _notes(facts: BurdenFacts) -> str:
    targets = _("，").join(
        kind_label(c.kind)
        + (_("比去年同期减少{p:g}%").format(p=-c.target) if c.target < 0 else _("不超过去年同期"))
        for c in facts.counts
    )
    return _(
        "说明：本汇报由轻负平台于{today}根据登记记录自动生成。“去年同期”指上一年的相同日期；"
        "压减目标按本县适用的政策规则计算（{targets}）；工时为登记时预计的每个接收单位工时之和。"
    ).format(today=cn_date(facts.today), targets=targets)
