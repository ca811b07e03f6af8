"""The beat schedule (django-celery-beat, editable in the admin): every morning at 07:00
Phnom Penh time, tell assignees of care-plan tasks that went past due."""

from django.db import migrations

from ctms.schedules import beat_schedule


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        beat_schedule(
            "Care-plan tasks past due",
            "casework.tasks.notify_overdue_tasks",
            "Notifies each assignee once of each open care-plan task past due.",
            crontab={"minute": "0", "hour": "7"},
        )
    ]
