from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteropConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "interop"
    verbose_name = _("Exchange with OSCaR and Primero")

    def ready(self) -> None:
        # Registers this app's action policies for the {% can %} template tag.
        from . import policies  # noqa: F401
