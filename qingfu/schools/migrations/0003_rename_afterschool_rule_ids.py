"""Stored overrides name the after-school rules by their new ids (``asvc.*`` →
``afterschool.*``, see ``qingfu.policy.renames``)."""

from django.db import migrations

from qingfu.policy.renames import thresholds_renamed


def _rename(apps, schema_editor, *, backwards=False):
    PolicyOverride = apps.get_model("schools", "PolicyOverride")
    changed = []
    for override in PolicyOverride.objects.only("id", "thresholds"):
        thresholds = thresholds_renamed(override.thresholds or {}, backwards=backwards)
        if thresholds != override.thresholds:
            override.thresholds = thresholds
            changed.append(override)
    PolicyOverride.objects.bulk_update(changed, ["thresholds"], batch_size=500)


def forwards(apps, schema_editor):
    _rename(apps, schema_editor)


def backwards(apps, schema_editor):
    _rename(apps, schema_editor, backwards=True)


class Migration(migrations.Migration):
    dependencies = [("schools", "0002_units")]

    operations = [migrations.RunPython(forwards, backwards)]
