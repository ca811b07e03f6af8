from django.conf import settings
from django.db import migrations, models
from django.db.models import F, Q


def mark_given_up(apps, schema_editor):
    """Deliveries whose retries ran out before this field existed are given up now."""
    delivery = apps.get_model("referrals", "WebhookDelivery")
    delivery.objects.filter(delivered_at__isnull=True).filter(
        Q(attempts__gt=settings.WEBHOOK_MAX_RETRIES) | Q(last_error__startswith="refused:")
    ).update(given_up_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [("referrals", "0002_webhook_log_and_inbox_indexes")]

    operations = [
        migrations.AddField(
            model_name="webhookdelivery",
            name="given_up_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(mark_given_up, migrations.RunPython.noop),
    ]
