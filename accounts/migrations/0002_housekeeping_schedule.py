"""The beat schedule (django-celery-beat, editable in the admin): every hour, delete stored API
answers past their 24 hours (they hold personal data) and TOTP enrolments never confirmed."""

from django.db import migrations

from ctms.schedules import beat_schedule


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_login_failure"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        beat_schedule(
            "Expired idempotency keys",
            "ctms.tasks.delete_expired_idempotency_keys",
            "Deletes stored API answers (Idempotency-Key) older than their 24 hours.",
            interval=(1, "hours"),
        ),
        beat_schedule(
            "Expired two-factor enrolments",
            "accounts.tasks.delete_expired_enrolments",
            "Deletes TOTP devices not confirmed within ten minutes.",
            interval=(1, "hours"),
        ),
    ]
