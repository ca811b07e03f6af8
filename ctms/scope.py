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


def acts_as(user, *roles: str) -> bool:
    """One of `roles`, or an administrator (who may do what those roles do; see the policies)."""
    return has_role(user, *roles) or is_admin(user)


def owns(user, agency_id) -> bool:
    """Whether a record held by `agency_id` is the user's agency's or one of its children's:
    the rule of `owning_agency_q`, for one row (the children are read once per user object)."""
    if user.agency_id is None or agency_id is None:
        return False
    return agency_id in owning_agency_ids(user)


def owning_agency_ids(user) -> frozenset:
    """The user's agency and its children: the agencies of `owning_agency_q`, as ids (read once
    per user object). A rule on a column `IN` these ids lets PostgreSQL read that column's index,
    where the join to the agency's parent does not."""
    if user.agency_id is None:
        return frozenset()
    if not hasattr(user, "_child_agency_ids"):
        user._child_agency_ids = frozenset(user.agency.children.values_list("pk", flat=True))
    return user._child_agency_ids | {user.agency_id}


def owning_agency_q(user, field: str = "agency") -> Q:
    """Records owned by the user's agency or by an agency whose parent is the user's agency
    (MoSVY sees what its provincial departments hold; a DoSVY does not see another's)."""
    return Q(**{f"{field}_id": user.agency_id}) | Q(**{f"{field}__parent_id": user.agency_id})
