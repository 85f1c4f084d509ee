"""Every user-facing message goes through gettext: English readers never get Chinese.

The test fails on a bare CJK string literal in Python outside docstrings, tests, migrations,
demo builders and the policy layer (whose messages are bilingual data). A few modules hold
Chinese *data* (the national roster format, real-looking names, calendar formats). The
rest of :data:`NOT_YET` is the work left: a module's count may only fall, and once it is
zero the module leaves the list; a new module gets no allowance at all.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "qingfu"
CJK = re.compile(r"[\u4e00-\u9fff]")
GETTEXT = {
    "_",
    "gettext",
    "gettext_lazy",
    "_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "gettext_noop",
    "npgettext",
    "phrase",
    "counted",
    "counted_as",
}

# Chinese that is data, not a message: it is read or written in Chinese whatever the
# reader's language.
DATA = {
    "schools/roster.py": "the national student-registry export's column headers and values",
    "schools/people.py": "real-looking Chinese names for the demo and samples",
    "web/templatetags/qingfu.py": "the Chinese date formats, chosen when the language is Chinese",
    "conftest.py": "the test world's names",
    "training/registry_layout.py": "the district registry spreadsheets' headings and values",
    "schools/naming.py": "the Chinese grade and class names (三年级(2)班) that files, the roster "
    "format and stored messages use; the English form is built from the numbers",
    "surveys/questionnaire.py": "the standard burden questionnaire, a fixed instrument: each "
    "question's wording is data held in Chinese and English side by side (zh / en), so that "
    "answers stay comparable across waves",
    "reports/docx_render.py": "the Chinese fonts of an official document (仿宋, 黑体, 楷体, "
    "方正小标宋简体), named as Word knows them whatever the report's language",
}
# Messages still to translate (module: bare literals today).
NOT_YET: dict[str, int] = {}


def _is_exempt(path: Path) -> bool:
    parts = path.relative_to(ROOT).parts
    return (
        "tests" in parts
        or "migrations" in parts
        or parts[0] == "policy"
        or path.name == "demo.py"
        or "/".join(parts) in DATA
    )


def bare_literals(path: Path) -> list[tuple[int, str]]:
    """CJK string literals that are neither a docstring nor inside a gettext call."""
    tree = ast.parse(path.read_text("utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        if not CJK.search(node.value) or isinstance(parents.get(node), ast.Expr):
            continue
        up = parents.get(node)
        while up is not None and not (
            isinstance(up, ast.Call)
            and getattr(up.func, "id", getattr(up.func, "attr", None)) in GETTEXT
        ):
            up = parents.get(up)
        if up is None:
            found.append((node.lineno, node.value))
    return found


MODULES = sorted(p for p in ROOT.rglob("*.py") if not _is_exempt(p))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_messages_go_through_gettext(path: Path) -> None:
    name = "/".join(path.relative_to(ROOT).parts)
    found = bare_literals(path)
    allowed = NOT_YET.get(name, 0)
    assert len(found) <= allowed, (
        f"{name}: {len(found)} bare Chinese literals (allowed {allowed}); wrap them in "
        f"gettext: {found[: max(1, len(found) - allowed)]}"
    )
    if name in NOT_YET:
        assert len(found) == allowed, f"{name}: now {len(found)}; lower NOT_YET to match"


def test_the_scan_finds_a_bare_message_and_spares_gettext_and_docstrings(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""模块说明。"""\n'
        "from django.utils.translation import gettext as _\n"
        'A = _("已翻译")\n'
        'B = _("共 %(n)d 项") % {"n": 3}\n'
        'C = "未翻译"\n'
        'D = f"未翻译 {A}"\n',
        "utf-8",
    )
    assert [line for line, _text in bare_literals(sample)] == [5, 6]


PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _plural_entries() -> list[tuple[str, str, str, str, str]]:
    """(context, msgid, msgid_plural, msgstr[0], msgstr[1]) of every plural entry."""
    entries = []
    for entry in PO.read_text("utf-8").split("\n\n"):
        if "msgid_plural" not in entry or entry.lstrip().startswith("#~"):
            continue

        def field(name: str, text: str = entry) -> str:
            match = re.search(rf'^{re.escape(name)} ((?:".*"\n?)+)', text, re.M)
            found = "".join(re.findall(r'"(.*)"', match.group(1))) if match else ""
            return found.replace('\\"', '"').replace("\\\\", "\\")

        entries.append(
            (
                field("msgctxt"),
                field("msgid"),
                field("msgid_plural"),
                field("msgstr[0]"),
                field("msgstr[1]"),
            )
        )
    return entries


def test_every_count_in_the_catalogue_has_an_english_one_and_many() -> None:
    """A counted message reads "1 class" and "2 classes": both English forms are there, they
    differ, and the active catalogue gives the one for 1 and the one for 2."""
    from django.utils import translation

    entries = _plural_entries()
    assert len(entries) > 40
    with translation.override("en"):
        for context, singular, plural, one, many in entries:
            assert one and many and one != many, (singular, one, many)
            if context:
                got = [translation.npgettext(context, singular, plural, n) for n in (1, 2)]
            else:
                got = [translation.ngettext(singular, plural, n) for n in (1, 2)]
            assert got == [one, many], (singular, got)


def test_counts_in_messages_agree_with_their_nouns_in_english() -> None:
    from django.utils import translation

    from qingfu.core.text import counted

    message = "%(n)d 名学生不在本班。"
    with translation.override("en"):
        assert translation.ngettext(message, message, 1) % {"n": 1} == (
            "1 student is not in this class."
        )
        assert translation.ngettext(message, message, 2) % {"n": 2} == (
            "2 students are not in this class."
        )
        assert counted("{n} 个班", "{n} 个班", 1) == "1 class"
        assert counted("{n} 个班", "{n} 个班", 2) == "2 classes"
    with translation.override("zh-hans"):
        assert translation.ngettext(message, message, 2) % {"n": 2} == "2 名学生不在本班。"
        assert counted("{n} 个班", "{n} 个班", 1) == "1 个班"


# A number placeholder, and the Chinese measure words that make what follows it a count.
NUMBER = r"(%\(\w+\)[sd]|\{\w+\})"
MEASURE = "个名次项所家人份条节天周位场门笔张行件类处字"
# English words after a number that end in "s" without being a plural noun.
NOT_NOUNS = {"is", "has", "does", "was", "this", "its", "his", "as", "us", "ends", "starts"}


def counts_without_their_plural(po: str) -> list[str]:
    """Message ids of the catalogue's single-form entries in which a number the Chinese
    counts (``{n}个班级``, ``%(n)d 名``) stands in English before a plural noun
    (``{n} classes``): it reads "1 classes" when the number is 1, so the count must be a
    plural entry (``ngettext``, or a counted phrase placed in the sentence)."""
    found = []
    for entry in po.split("\n\n"):
        if "msgid_plural" in entry or entry.lstrip().startswith("#~"):
            continue
        fields = {}
        for name in ("msgid", "msgstr"):
            match = re.search(rf'^{name} ((?:".*"\n?)+)', entry, re.M)
            fields[name] = "".join(re.findall(r'"(.*)"', match.group(1))) if match else ""
        counted = {m[1] for m in re.finditer(NUMBER + f" ?[{MEASURE}]", fields["msgid"])}
        for number, word in re.findall(NUMBER + r" ([a-z]+s)\b", fields["msgstr"]):
            if number in counted and word not in NOT_NOUNS and not word.endswith("ss"):
                found.append(fields["msgid"])
                break
    return found


# Counts still written into a single-form message (msgid: what to do); the list may only
# shrink, and a new message gets no allowance.
COUNTS_NOT_YET: set[str] = {
    "%(n)d 节 %(m)d 分钟的课加课间排不进 %(start)s–%(end)s。",
    "%(n)s 个社团",
    "%(table)s：应有 %(want)d 行，恢复了 %(got)d 行",
    "{name}：每周至少 {need} 天弹性上下班无法满足（每周需值晚班 {late} 天）",
    "{session} 等 {k} 个同时段服务：可安排的教师不足（共需 {seats} 人，仅 {n} 人可排）",
    "不得一次性收取时间跨度超过 %(limit)s 个月的费用",
    "不超过 %(n)d 个字。",
    "余 %(f)s 个名额",
    "共 %(asked)d 项，其中 %(answered)d 项已由平台记录自动填写",
    "分配已运行（第 %(id)d 次分配）：%(seated)d/%(n)d 个志愿获得名额。",
    "名额 %(cap)d 少于已录取的 %(taken)d 人。",
    "回答少于 %(n)s 份，为保护个人信息，不显示分布和意见。",
    "导入成功：%(rows)d 行，新增 %(created)d，更新 %(updated)d，未变 %(unchanged)d，新建班级 %(classes)d，新增监护人 %(guardians)d。",
    "导入成功：共 %(rows)s 行；新增学生 %(c)s 人，更新 %(u)s 人，未变 %(n)s 人；新建班级 %(cl)s 个，新增监护人 %(g)s 人。",
    "导入成功：共 %(rows)s 行；新登记 %(c)s 家，更新 %(u)s 家。",
    "已备份：%(tables)d 张表、%(rows)d 行、%(files)d 个文件，共 %(size)d 字节。",
    "已恢复并核对：%(tables)d 张表、%(rows)d 行、%(files)d 个文件与备份清单一致。",
    "当前在读学生 %(s)s 人，%(c)s 个班级。导出文件与导入格式相同，可修改后重新导入。",
    "您布置的%(s)s%(k)s作业：预计 20 分钟的，家长记录的实际用时平均约 %(n)s 分钟（%(c)s 条记录）。",
    "投诉举报办理中 %(o)s 件，其中逾期未办结 <b>%(k)s</b> 件。",
    "排班已生成：%(n)d 场，%(t)d 位教师，每周时长相差 %(m)d 分钟。",
    "提交过于频繁：同一网络每小时最多提交 %(n)d 件投诉举报，请一小时后再试；紧急情况请拨打 12345。",
    "数字来自每个班级日的作业发布、家长用时记录、例外审批和课后服务考勤记录。“家长反馈”为抽样家长记录的估计；记录少于 %(n)s 份的群体不显示反馈、晚睡和出勤比例，避免推及个人。区域和学校视图不含任何学生姓名。",
    "文件超过 %(n)d 行的上限，请拆分后分批导入。",
    "本班 %(size)d 人，每天 %(per_day)d 人时同一学生最多间隔 %(gap)d 个教学日。",
    "每个时段最多填 %(n)d 个志愿。",
    "每个时段最多填 %(n)s 个志愿，按喜欢程度排序。名额不够时由系统统一分配，结果公开可复核。",
    "求解 %(n)d 场、%(t)d 位教师的值班（最长约 %(s)d 秒）",
    "说明：按班级和周汇总，不含学生姓名；用时为抽样估计；一周记录少于%(n)d条的班级只列条数，不列用时和完成情况，以免推知个人。",
    "说明：考勤按班级和周汇总（出勤含提前接走），不含学生姓名；每天参加人数少于%(n)d人的班级只列考勤人次。",
}


def test_every_count_in_english_is_a_plural_entry() -> None:
    found = set(counts_without_their_plural(PO.read_text("utf-8")))
    assert not found - COUNTS_NOT_YET, (
        "counted in Chinese, a plural noun in English, but one form: make each count its own "
        f"counted phrase (ngettext / counted): {sorted(found - COUNTS_NOT_YET)}"
    )
    assert not COUNTS_NOT_YET - found, f"fixed, take off COUNTS_NOT_YET: {COUNTS_NOT_YET - found}"


def test_the_count_scan_finds_a_plural_noun_after_a_count_and_nothing_else() -> None:
    po = (
        'msgid "{n}所学校"\nmsgstr "{n} schools"\n\n'
        'msgid "%(n)d 名学生"\nmsgstr "%(n)d students"\n\n'
        'msgid "{n}所学校"\nmsgid_plural "{n}所学校"\nmsgstr[0] "{n} school"\n'
        'msgstr[1] "{n} schools"\n\n'
        'msgid "名额 %(cap)d"\nmsgstr "%(cap)d seats"\n\n'
        'msgid "{class}{n}个班"\nmsgstr "{class} has {n} more"\n\n'
        'msgid "{n}个班级日"\nmsgstr "{n} is the number of class-days"\n'
    )
    assert counts_without_their_plural(po) == ["{n}所学校", "%(n)d 名学生"]
