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
