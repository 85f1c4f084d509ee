"""Fill English translations into the catalog from a small JSON file of source → English.

Usage: python scripts/po_fill.py translations.json
Entries given are written (clearing any fuzzy flag); others are left as they are. Run
scripts/i18n.sh afterwards to compile. A message with a context (``pgettext``) is keyed
"context\u0004message", as gettext keys it.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

PO = (
    Path(__file__).resolve().parent.parent
    / "qingfu"
    / "locale"
    / "en"
    / "LC_MESSAGES"
    / "django.po"
)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main() -> None:
    table: dict[str, str | list[str]] = json.loads(Path(sys.argv[1]).read_text("utf-8"))
    out = []
    for entry in PO.read_text("utf-8").split("\n\n"):
        match = re.search(r'^msgid ((?:".*"\n?)+)', entry, re.M)
        source = "".join(re.findall(r'"(.*)"', match.group(1))) if match else ""
        source = source.replace('\\"', '"')
        context = re.search(r'^msgctxt "(.*)"$', entry, re.M)
        if source and context:
            source = context.group(1) + "\x04" + source
        if source and source in table:
            lines = [
                line
                for line in entry.splitlines()
                if not line.startswith("#|")
                and not line.startswith("msgstr")
                and not (line.startswith('"') and seen_msgstr(entry, line))
            ]
            lines = [line.replace("#, fuzzy, ", "#, ") for line in lines if line != "#, fuzzy"]
            english = table[source]
            if isinstance(english, list):
                lines += [f"msgstr[{i}] {_quote(text)}" for i, text in enumerate(english)]
            else:
                lines.append(f"msgstr {_quote(english)}")
            entry = "\n".join(lines)
        out.append(entry.rstrip("\n"))
    PO.write_text("\n\n".join(out).rstrip("\n") + "\n", "utf-8")


def seen_msgstr(entry: str, line: str) -> bool:
    """True for a continuation line that belongs to a msgstr (it follows msgstr)."""
    lines = entry.splitlines()
    index = lines.index(line)
    for previous in reversed(lines[:index]):
        if not previous.startswith('"'):
            return previous.startswith("msgstr")
    return False


if __name__ == "__main__":
    main()
