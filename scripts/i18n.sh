#!/usr/bin/env bash
# Refresh the English catalog after changing user-facing strings, then compile it.
# Needs GNU gettext (apt-get install gettext). Fill the new empty msgstr entries in
# qingfu/locale/en/LC_MESSAGES/django.po before compiling; the .mo is committed so the
# app needs no gettext at run time.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python manage.py makemessages -l en --ignore='.venv/*' --ignore='tests/*' --no-obsolete
untranslated=$(msgattrib --untranslated --no-obsolete qingfu/locale/en/LC_MESSAGES/django.po | grep -c '^msgid' || true)
[ "$untranslated" -le 1 ] || echo "warning: $((untranslated - 1)) strings still need English" >&2
msgfmt --check-format -o qingfu/locale/en/LC_MESSAGES/django.mo qingfu/locale/en/LC_MESSAGES/django.po
