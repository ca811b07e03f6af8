from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"

    def ready(self) -> None:
        # Registers this app's action policies for the {% can %} template tag.
        from . import policies  # noqa: F401
