"""Evidence is kept as messages and figures (``qingfu.inspections.wording``) and written in
the reader's language when read. A line stored before holds only its words, in the language
of whoever refreshed it: it is kept as it was (a plain string node), since a completed
visit's evidence must read as it did on the day; a draft visit gets the new form on its
next refresh."""

from django.db import migrations, models


def _text_to_data(apps, schema_editor):
    for name in ("ChecklistItem", "InstitutionItem"):
        model = apps.get_model("inspections", name)
        items = list(model.objects.only("id", "evidence"))
        for item in items:
            item.evidence_data = item.evidence or ""
        model.objects.bulk_update(items, ["evidence_data"], batch_size=500)


def _data_to_text(apps, schema_editor):
    from qingfu.inspections.wording import render

    for name in ("ChecklistItem", "InstitutionItem"):
        model = apps.get_model("inspections", name)
        items = list(model.objects.only("id", "evidence_data"))
        for item in items:
            item.evidence = render(item.evidence_data)
        model.objects.bulk_update(items, ["evidence"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("inspections", "0003_institution_inspections")]

    operations = [
        migrations.AddField(
            model_name="checklistitem",
            name="evidence_data",
            field=models.JSONField(blank=True, default=str, verbose_name="记录显示"),
        ),
        migrations.AddField(
            model_name="institutionitem",
            name="evidence_data",
            field=models.JSONField(blank=True, default=str, verbose_name="记录显示"),
        ),
        migrations.RunPython(_text_to_data, _data_to_text),
        migrations.RemoveField(model_name="checklistitem", name="evidence"),
        migrations.RemoveField(model_name="institutionitem", name="evidence"),
    ]
