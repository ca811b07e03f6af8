"""The beat schedule (django-celery-beat, editable in the admin): every 15 minutes, rebuild the
dashboard's figures of this quarter and the previous one, for the country and each province
with records (reports.dashboard.warm; DASHBOARD_WARM_EVERY_SECONDS says the same interval)."""

from django.db import migrations

from ctms.schedules import beat_schedule


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0007_report_period_first_indexes"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        beat_schedule(
            "Dashboard warm-up",
            "reports.tasks.warm_dashboard",
            "Rebuilds the dashboard's figures of this quarter and the previous one, for the "
            "country and each province with records, skipping fresh ones.",
            interval=(15, "minutes"),
        )
    ]
