"""App config that installs django.contrib.admin with the CTMS admin site."""

from __future__ import annotations

from django.contrib.admin.apps import AdminConfig


class CTMSAdminConfig(AdminConfig):
    """django.contrib.admin with the CTMS admin site (role admin + second factor)."""

    default_site = "accounts.admin_site.CTMSAdminSite"
