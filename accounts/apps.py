from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Account security: sign-in with lockout, TOTP second factor, session lifetimes."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"

    def ready(self) -> None:
        # Django reports sign-ins only through its auth signals: connect the audit receivers.
        from . import signals  # noqa: F401
