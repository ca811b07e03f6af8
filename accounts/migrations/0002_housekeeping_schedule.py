"""The beat schedule (django-celery-beat, editable in the admin): every hour, delete stored API
answers past their 24 hours (they hold personal data) and TOTP enrolments never confirmed."""

from django.db import migrations

TASKS = {
    "Expired idempotency keys": (
        "ctms.tasks.delete_expired_idempotency_keys",
        "Deletes stored API answers (Idempotency-Key) older than their 24 hours.",
    ),
    "Expired two-factor enrolments": (
        "accounts.tasks.delete_expired_enrolments",
        "Deletes TOTP devices not confirmed within ten minutes.",
    ),
}


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    hourly, _ = IntervalSchedule.objects.get_or_create(every=1, period="hours")
    for name, (task, description) in TASKS.items():
        PeriodicTask.objects.update_or_create(
            name=name,
            defaults={
                "task": task,
                "interval": hourly,
                "enabled": True,
                "description": description,
            },
        )


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=TASKS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_login_failure"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
