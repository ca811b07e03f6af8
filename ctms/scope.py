"""Building blocks of the visibility rules (SPEC section 1). The rules themselves live in one
selector per record type (`victims.selectors.victims_visible_to`, …); this module only answers
questions about the user that several of them share."""

from __future__ import annotations

from django.db.models import Q

from ctms.choices import Role


def is_admin(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and (user.role == Role.ADMIN or user.is_superuser)
    )


def has_role(user, *roles: str) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.agency_id is not None
        and user.role in roles
    )


def owning_agency_q(user, field: str = "agency") -> Q:
    """Records owned by the user's agency or by an agency whose parent is the user's agency
    (MoSVY sees what its provincial departments hold; a DoSVY does not see another's)."""
    return Q(**{f"{field}_id": user.agency_id}) | Q(**{f"{field}__parent_id": user.agency_id})
