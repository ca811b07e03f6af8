"""The beat schedule (django-celery-beat, editable in the admin) as data migrations write it:
one `RunPython` per periodic task, which puts the task on the schedule under its name (or
updates it there) and takes it off when the migration is reversed. Migrations import this
module: keep its behaviour as it is."""

from __future__ import annotations

from django.db import migrations

TIMEZONE = "Asia/Phnom_Penh"


def beat_schedule(
    name: str,
    task: str,
    description: str,
    *,
    crontab: dict[str, str] | None = None,
    interval: tuple[int, str] | None = None,
) -> migrations.RunPython:
    """`task` on the beat schedule as `name`: at the `crontab` given (CrontabSchedule fields,
    every day, month and weekday unless given, Phnom Penh time) or every `interval`
    (`(every, period)`, e.g. `(15, "minutes")`)."""
    if (crontab is None) == (interval is None):
        raise ValueError("give a crontab or an interval")

    def create(apps, schema_editor) -> None:
        defaults = {"task": task, "enabled": True, "description": description}
        if crontab is not None:
            fields = {"day_of_week": "*", "day_of_month": "*", "month_of_year": "*", **crontab}
            schedules = apps.get_model("django_celery_beat", "CrontabSchedule").objects
            defaults["crontab"], _ = schedules.get_or_create(timezone=TIMEZONE, **fields)
            defaults["interval"] = None
        else:
            every, period = interval
            schedules = apps.get_model("django_celery_beat", "IntervalSchedule").objects
            defaults["interval"], _ = schedules.get_or_create(every=every, period=period)
            defaults["crontab"] = None
        tasks = apps.get_model("django_celery_beat", "PeriodicTask").objects
        tasks.update_or_create(name=name, defaults=defaults)

    def remove(apps, schema_editor) -> None:
        apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=name).delete()

    return migrations.RunPython(create, remove)
