#!/usr/bin/env bash
# Refresh the English catalog after changing user-facing strings, then compile it.
#
# After this runs, the translator fills every new empty msgstr (and msgstr[0]/[1] for
# plurals) in qingfu/locale/en/LC_MESSAGES/django.po, removes any "#, fuzzy" flags,
# and runs this script again so the committed django.mo matches. (scripts/po_fill.py
# can write entries from a JSON file of source → English.) The .mo is committed so the
# app needs no gettext at run time; this script needs GNU gettext (apt-get install gettext).
set -euo pipefail
cd "$(dirname "$0")/.."
PO=qingfu/locale/en/LC_MESSAGES/django.po

# qingfu/core/management/commands/makemessages.py adds the project's aliases (_lazy) to the
# keywords, so form labels marked with gettext_lazy as _lazy reach the catalogue.
# --no-wrap keeps one line per string, so `grep -c 'msgstr ""$'` counts only the header.
.venv/bin/python manage.py makemessages -l en --ignore='.venv/*' --ignore='tests/*' --no-obsolete --no-wrap

untranslated=$(msgattrib --untranslated --no-obsolete "$PO" | grep -c '^msgid' || true)
[ "$untranslated" -le 1 ] || echo "warning: $((untranslated - 1)) strings still need English" >&2
fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$PO" | grep -c '^msgid' || true)
[ "$fuzzy" -le 1 ] || echo "warning: $((fuzzy - 1)) fuzzy entries need review" >&2

# Compile from qingfu/ so compilemessages does not walk into .venv's own catalogs.
(cd qingfu && ../.venv/bin/python ../manage.py compilemessages -l en)
msgfmt --check-format -o /dev/null "$PO"
