"""Every 15 minutes, sync each external system that has a url (django-celery-beat)."""

from django.db import migrations

from ctms.schedules import beat_schedule


class Migration(migrations.Migration):
    dependencies = [
        ("interop", "0001_external_systems"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        beat_schedule(
            "Sync external systems (OSCaR)",
            "interop.tasks.sync_all",
            "Pulls from and pushes to every external system with a url.",
            interval=(15, "minutes"),
        )
    ]
