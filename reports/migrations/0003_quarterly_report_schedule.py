"""The beat schedule (django-celery-beat, editable in the admin): on the first day of each
quarter at 06:00 Phnom Penh time, ask for the report of the quarter that has just ended."""

from django.db import migrations

from ctms.schedules import beat_schedule


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_report_run_comparison_files_timings"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        beat_schedule(
            "Quarterly statistics report",
            "reports.tasks.request_previous_quarter_report",
            "Asks for the previous quarter's NC/S.T.S.L.S statistics report.",
            crontab={"minute": "0", "hour": "6", "day_of_month": "1", "month_of_year": "1,4,7,10"},
        )
    ]
