from django.apps import AppConfig


class ExportsConfig(AppConfig):
    """Anonymised secretariat exports (CTDC layout). A small app inside `reports/` so that its
    model has its own migrations and never collides with the statistics report's."""

    name = "reports.exports"
    label = "exports"
    verbose_name = "Exports"
