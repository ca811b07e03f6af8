from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The role home pages (the work waiting for each role)."""

    name = "dashboard"
    verbose_name = "Home pages"
