"""Duplicates (SPEC section 8): `merged_into` / `merged_at`, and the match keys of every
existing victim, computed in batches before their indexes are built (a million rows on
PostgreSQL: one UPDATE … FROM (VALUES …) per batch)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from victims.names import match_keys

BATCH = 5000
KEYS = ("match_given", "match_family", "match_khmer", "match_year")


def fill_match_keys(apps, schema_editor):
    Victim = apps.get_model("victims", "Victim")
    connection = schema_editor.connection
    rows = Victim.objects.order_by("pk").values_list(
        "pk", "given_name", "family_name", "name_khmer", "date_of_birth", "birth_year"
    )
    last = None
    while True:
        batch = list((rows.filter(pk__gt=last) if last else rows)[:BATCH])
        if not batch:
            return
        last = batch[-1][0]
        values = [
            (pk, *match_keys(given_name=g, family_name=f, name_khmer=k, date_of_birth=d,
                             birth_year=y).values())
            for pk, g, f, k, d, y in batch
        ]  # fmt: skip
        if connection.vendor == "postgresql":
            _update_postgresql(connection, Victim._meta.db_table, values)
        else:
            Victim.objects.bulk_update(
                [Victim(pk=v[0], **dict(zip(KEYS, v[1:], strict=True))) for v in values], KEYS
            )


def _update_postgresql(connection, table, values):
    from psycopg2.extras import execute_values  # PostgreSQL only

    with connection.cursor() as cursor:
        execute_values(
            cursor.cursor if hasattr(cursor, "cursor") else cursor,
            f"UPDATE {table} AS v SET match_given = d.g, match_family = d.f, "
            f"match_khmer = d.k, match_year = d.y::smallint "
            f"FROM (VALUES %s) AS d (id, g, f, k, y) WHERE v.id = d.id::uuid",
            [(str(pk), g, f, k, y) for pk, g, f, k, y in values],
            page_size=BATCH,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0001_initial"),
        ("victims", "0002_victim_name_trigram_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="victim",
            name="match_family",
            field=models.CharField(blank=True, editable=False, max_length=100),
        ),
        migrations.AddField(
            model_name="victim",
            name="match_given",
            field=models.CharField(blank=True, editable=False, max_length=100),
        ),
        migrations.AddField(
            model_name="victim",
            name="match_khmer",
            field=models.CharField(blank=True, editable=False, max_length=200),
        ),
        migrations.AddField(
            model_name="victim",
            name="match_year",
            field=models.PositiveSmallIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="victim",
            name="merged_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="victim",
            name="merged_into",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="merged_duplicates",
                to="victims.victim",
            ),
        ),
        migrations.RunPython(fill_match_keys, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="victim",
            index=models.Index(fields=["match_family", "match_given"], name="victim_match_names"),
        ),
        migrations.AddIndex(
            model_name="victim",
            index=models.Index(
                fields=["match_given", "match_year"], name="victim_match_given_year"
            ),
        ),
        migrations.AddIndex(
            model_name="victim",
            index=models.Index(
                fields=["match_family", "match_year"], name="victim_match_family_year"
            ),
        ),
        migrations.AddIndex(
            model_name="victim",
            index=models.Index(fields=["match_khmer"], name="victim_match_khmer"),
        ),
    ]
