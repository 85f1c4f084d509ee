"""English is complete: every source string in the catalog has a translation."""

from __future__ import annotations

import re
from pathlib import Path

from django.utils import translation

PO = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _fields(entry: str) -> dict[str, str]:
    """msgid / msgid_plural / msgstr[n] → text, joining wrapped continuation lines."""
    fields: dict[str, str] = {}
    key = ""
    for line in entry.splitlines():
        match = re.match(r'^(msgid(?:_plural)?|msgstr(?:\[\d\])?) "(.*)"$', line)
        if match:
            key = match.group(1)
            fields[key] = match.group(2)
        elif key and line.startswith('"'):
            fields[key] += line[1:-1]
    return fields


def test_every_string_has_english() -> None:
    entries = PO.read_text("utf-8").split("\n\n")[1:]  # skip the header
    missing = []
    for entry in entries:
        fields = _fields(entry)
        translations = [v for k, v in fields.items() if k.startswith("msgstr")]
        if fields.get("msgid") and (not translations or not all(translations)):
            missing.append(fields["msgid"])
    assert not missing, missing
    assert "#, fuzzy" not in PO.read_text("utf-8")


def test_compiled_catalog_is_used() -> None:
    with translation.override("en"):
        assert translation.gettext("我的孩子") == "My children"
        assert translation.gettext("班主任") == "Head teacher"


def test_form_labels_marked_with_the_lazy_alias_reach_the_catalogue() -> None:
    # Forms mark labels with ``gettext_lazy as _lazy``; makemessages must know the alias.
    assert "qingfu/training/forms.py:" in PO.read_text("utf-8")
