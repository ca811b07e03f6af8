"""Idempotency rows keep the rendered answer (bytes) and what it revealed, not a JSON copy."""

from django.db import migrations, models


def forget_stored_answers(apps, schema_editor):
    # Rows completed before this migration hold no rendered bytes to replay: they go (a key is
    # kept 24 hours at most anyway).
    apps.get_model("ctms", "IdempotencyKey").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("ctms", "0005_audit_append_only_sqlite")]

    operations = [
        migrations.RunPython(forget_stored_answers, migrations.RunPython.noop),
        migrations.RemoveField(model_name="idempotencykey", name="response_body"),
        migrations.AddField(
            model_name="idempotencykey",
            name="response_content",
            field=models.BinaryField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="idempotencykey",
            name="response_content_type",
            field=models.CharField(blank=True, max_length=100),
        ),
        migrations.AddField(
            model_name="idempotencykey",
            name="record_id",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name="idempotencykey",
            name="revealed",
            field=models.JSONField(blank=True, default=list),
        ),
    ]
