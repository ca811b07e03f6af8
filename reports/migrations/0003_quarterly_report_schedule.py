"""The beat schedule (django-celery-beat, editable in the admin): on the first day of each
quarter at 06:00 Phnom Penh time, ask for the report of the quarter that has just ended."""

from django.db import migrations

TASK_NAME = "Quarterly statistics report"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour="6",
        day_of_week="*",
        day_of_month="1",
        month_of_year="1,4,7,10",
        timezone="Asia/Phnom_Penh",
    )
    PeriodicTask.objects.update_or_create(
        name=TASK_NAME,
        defaults={
            "task": "reports.tasks.request_previous_quarter_report",
            "crontab": crontab,
            "enabled": True,
            "description": "Asks for the previous quarter's NC/S.T.S.L.S statistics report.",
        },
    )


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_report_run_comparison_files_timings"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
