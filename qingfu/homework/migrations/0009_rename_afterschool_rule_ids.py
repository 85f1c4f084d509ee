"""Exceptions name rules by their current ids (``asvc.*`` → ``afterschool.*``, see
``qingfu.policy.renames``). Exceptions are asked for homework rules, so this normally
changes nothing; it is here so that no stored id is left under an old name."""

from django.db import migrations

from qingfu.policy.renames import rule_ids_renamed


def _rename(apps, schema_editor, *, backwards=False):
    LoadException = apps.get_model("homework", "LoadException")
    changed = []
    for exception in LoadException.objects.only("id", "rule_ids").iterator():
        rule_ids = rule_ids_renamed(exception.rule_ids or [], backwards=backwards)
        if rule_ids != exception.rule_ids:
            exception.rule_ids = rule_ids
            changed.append(exception)
    LoadException.objects.bulk_update(changed, ["rule_ids"], batch_size=500)


def forwards(apps, schema_editor):
    _rename(apps, schema_editor)


def backwards(apps, schema_editor):
    _rename(apps, schema_editor, backwards=True)


class Migration(migrations.Migration):
    dependencies = [("homework", "0008_timelog_drop_repeated_indexes")]

    operations = [migrations.RunPython(forwards, backwards)]
