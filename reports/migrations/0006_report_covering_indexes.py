"""Covering indexes for the statistics report on PostgreSQL (issue 17): each quarter's figures
read the period's rows from an index in date order and reach a victim's sex and age by primary
key from an index alone (index-only scans), instead of scanning whole tables. SQLite (tests,
small installs) has no INCLUDE and no need: nothing is done there."""

from django.db import migrations

INDEXES = {
    "report_victim_id_age": "victims_victim (id) INCLUDE (sex, date_of_birth, birth_year)",
    "report_followup_date": "victims_followup (date, kind, victim_id)",
    "report_referral_created": "referrals_referral (created_on, to_agency_id)",
    "report_rescue_operation": "cases_rescue (operation_id) INCLUDE (victim_id, placement)",
    "report_repatriation_received": (
        "victims_repatriation (received_on, kind) INCLUDE (victim_id, from_country)"
    ),
    "report_case_opened": "cases_case (opened_on) INCLUDE (closed_on)",
    "report_defendant_prosecution": "cases_defendant (prosecution_id) INCLUDE (suspect_id)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, definition in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0005_data_rules"),
        ("victims", "0004_data_rules"),
        ("cases", "0003_data_rules"),
        ("referrals", "0003_webhook_delivery_given_up_at"),
    ]

    operations = [migrations.RunPython(create, drop)]
