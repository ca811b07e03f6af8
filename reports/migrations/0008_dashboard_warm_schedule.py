"""The beat schedule (django-celery-beat, editable in the admin): every 15 minutes, rebuild the
dashboard's figures of this quarter and the previous one, for the country and each province
with records (reports.dashboard.warm; DASHBOARD_WARM_EVERY_SECONDS says the same interval)."""

from django.db import migrations

TASK_NAME = "Dashboard warm-up"


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    interval, _ = IntervalSchedule.objects.get_or_create(every=15, period="minutes")
    PeriodicTask.objects.update_or_create(
        name=TASK_NAME,
        defaults={
            "task": "reports.tasks.warm_dashboard",
            "interval": interval,
            "crontab": None,
            "enabled": True,
            "description": "Rebuilds the dashboard's figures of this quarter and the previous "
            "one, for the country and each province with records, skipping fresh ones.",
        },
    )


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0007_report_period_first_indexes"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
