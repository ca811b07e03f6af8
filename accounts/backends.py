"""Authentication backend: Django's model backend with the lockout in front, and full
permissions in the admin site for the administrator role."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from ctms.request_context import client_ip
from ctms.scope import is_admin

from .lockout import is_locked_out


class LockoutModelBackend(ModelBackend):
    """Refuses every sign-in (even with the right password) of a locked username + address,
    for every caller of `authenticate()`: the login form, the API token endpoint, the admin."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        ip_address = client_ip(request) if request is not None else None
        if username is not None and is_locked_out(username=username, ip_address=ip_address):
            # PermissionDenied stops authenticate() at once and is reported as a failure.
            raise PermissionDenied
        return super().authenticate(request, username=username, password=password, **kwargs)

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        # SPEC: administrators manage users, agencies and reference data (through the admin).
        return is_admin(user_obj) or super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj, app_label) -> bool:
        return is_admin(user_obj) or super().has_module_perms(user_obj, app_label)
