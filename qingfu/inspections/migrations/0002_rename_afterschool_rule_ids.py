"""Checklists and notices name the after-school rules by their new ids (``asvc.*`` →
``afterschool.*``, see ``qingfu.policy.renames``), and the checklist's area ``asvc`` is
``afterschool``."""

from django.db import migrations

from qingfu.policy.renames import rule_id_renamed, rule_ids_renamed


def _rename(apps, schema_editor, *, backwards=False):
    ChecklistItem = apps.get_model("inspections", "ChecklistItem")
    Notice = apps.get_model("inspections", "Notice")
    items = []
    for item in ChecklistItem.objects.only("id", "area", "rules"):
        area = rule_id_renamed(item.area, backwards=backwards)
        rules = [
            {**r, "id": rule_id_renamed(r["id"], backwards=backwards)}
            if isinstance(r, dict) and isinstance(r.get("id"), str)
            else r
            for r in item.rules or []
        ]
        if area != item.area or rules != item.rules:
            item.area, item.rules = area, rules
            items.append(item)
    ChecklistItem.objects.bulk_update(items, ["area", "rules"], batch_size=500)
    notices = []
    for notice in Notice.objects.only("id", "rule_ids"):
        rule_ids = rule_ids_renamed(notice.rule_ids or [], backwards=backwards)
        if rule_ids != notice.rule_ids:
            notice.rule_ids = rule_ids
            notices.append(notice)
    Notice.objects.bulk_update(notices, ["rule_ids"], batch_size=500)


def forwards(apps, schema_editor):
    _rename(apps, schema_editor)


def backwards(apps, schema_editor):
    _rename(apps, schema_editor, backwards=True)


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
