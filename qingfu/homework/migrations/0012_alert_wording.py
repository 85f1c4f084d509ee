"""Alerts keep what they say as messages and figures (``qingfu.core.wording``), so the
nightly check's alert reads in the language of whoever opens it, its counts agreeing with
their nouns ("1 day", "3 days").

Alerts stored as a message id and its values (``message`` / ``params``) become the same
message with ``{name}`` placeholders, their class and date as nodes written out when read,
and the late-finishing week's days as a counted phrase. Alerts from before values were
kept hold only their words: they stay readable as they were written.
"""

import re

from django.db import migrations, models

LATE = "%(student)s 在 %(date)s起的一周有 %(n)d 天晚于就寝时间完成作业。"


def wording_of(message: str, params: dict) -> object:
    """The stored message and values as a wording node; an alert without values is its text."""
    if not params:
        return message
    figures = {k: v for k, v in params.items() if k not in ("grade", "number", "date")}
    figures["date"] = {"day": params["date"]}
    if params.get("grade") is not None:
        figures["class"] = {"class": [params["grade"], params["number"]]}
    if message == LATE:
        n = figures.pop("n")
        figures["days"] = {"m": "{n} 天", "p": "{n} 天", "n": n}
        return {"m": "{student} 在 {date}起的一周有 {days}晚于就寝时间完成作业。", "a": figures}
    text = re.sub(r"%\((\w+)\)[sd]", r"{\1}", message).replace("%%", "%")
    return {"m": text, "a": figures}


def forward(apps, schema_editor):
    Alert = apps.get_model("homework", "Alert")
    alerts = list(Alert.objects.only("id", "message", "params"))
    for alert in alerts:
        alert.wording = wording_of(alert.message, alert.params)
    Alert.objects.bulk_update(alerts, ["wording"], batch_size=500)


def backward(apps, schema_editor):
    """Back to the words, in Chinese (what the older code shows of an alert without values)."""
    from django.utils import translation

    from qingfu.core.wording import render
    from qingfu.schools.naming import class_display_name

    Alert = apps.get_model("homework", "Alert")
    alerts = list(Alert.objects.only("id", "wording"))
    with translation.override("zh-hans"):
        for alert in alerts:
            alert.message = render(
                alert.wording,
                kinds={
                    "day": lambda iso: "{}月{}日".format(*map(int, iso.split("-")[1:])),
                    "class": lambda grade_number: class_display_name(*grade_number),
                },
            )[:300]
            alert.params = {}
    Alert.objects.bulk_update(alerts, ["message", "params"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("homework", "0011_timelog_student_retention"),
    ]

    operations = [
        migrations.AddField(
            model_name="alert",
            name="wording",
            field=models.JSONField(blank=True, default=str),
        ),
        migrations.RunPython(forward, backward),
        migrations.RemoveField(model_name="alert", name="message"),
        migrations.RemoveField(model_name="alert", name="params"),
    ]
