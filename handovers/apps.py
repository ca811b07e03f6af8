from django.apps import AppConfig


class HandoversConfig(AppConfig):
    name = "handovers"

    def ready(self) -> None:
        # Registers this app's action policies for the {% can %} template tag.
        from . import policies  # noqa: F401
