"""The registry of action policies: who may DO something (SPEC section 1).

Each app states its rules in its own `policies.py`, one function per action
(`cases.policies.can_edit_case(user, case)`), and registers them with `@policy`. Services
enforce them, views and serializers ask them, and templates ask them through the one `{% can %}`
tag (`ctms/templatetags/ctms_policies.py`), by the name `<app>.<function>`. The core only keeps
the registry, so it imports no feature app.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

from .scope import is_admin

_POLICIES: dict[str, Callable[..., bool]] = {}


def policy(function: Callable[..., bool]) -> Callable[..., bool]:
    """Register `function` under `<app>.<name>` for the `{% can %}` tag; returns it unchanged."""
    app = function.__module__.split(".")[0]
    _POLICIES[f"{app}.{function.__name__}"] = function
    return function


def ask(name: str, user, *objects) -> bool:
    """Whether `user` may take the action registered as `name` (on `objects`, if any)."""
    try:
        function = _POLICIES[name]
    except KeyError:
        raise ImproperlyConfigured(f"No policy is registered as {name!r}.") from None
    return bool(function(user, *objects))


@policy
def can_administer(user) -> bool:
    """Users, agencies and reference data, in the admin site (which also wants the second
    factor): the `admin` role and superusers."""
    return is_admin(user)
