"""Each demand keeps how many receivers it has (units, schools), backfilled from its links:
the hours a year of demands placed come from the demands alone (bench/bench_burden.py)."""

from django.db import migrations, models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce


def backfill(apps, schema_editor):
    Demand = apps.get_model("burden", "Demand")
    counts = {}
    for field, through in (
        ("receiver_unit_count", Demand.receiver_units.through),
        ("receiver_school_count", Demand.receiver_schools.through),
    ):
        links = (
            through.objects.filter(demand_id=OuterRef("pk"))
            .order_by()
            .values("demand_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        counts[field] = Coalesce(Subquery(links), 0)
    Demand.objects.update(**counts)


class Migration(migrations.Migration):
    dependencies = [("burden", "0003_observation_reports")]

    operations = [
        migrations.AddField(
            model_name="demand",
            name="receiver_school_count",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="demand",
            name="receiver_unit_count",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
