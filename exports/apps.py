from django.apps import AppConfig


class ExportsConfig(AppConfig):
    """Anonymised secretariat exports (CTDC layout), beside `reports/` (its pages stay under
    /reports/exports/). The label is unchanged since the app sat inside `reports/`."""

    name = "exports"
    label = "exports"
    verbose_name = "Exports"

    def ready(self) -> None:
        # Registers this app's action policies for the {% can %} template tag.
        from . import policies  # noqa: F401
