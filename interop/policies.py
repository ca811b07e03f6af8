"""Who may do what with the external systems of SPEC section 11: one function per action."""

from __future__ import annotations

from ctms.policies import policy
from ctms.scope import is_admin


@policy
def can_manage_external_systems(user) -> bool:
    """Registering an OSCaR, Primero or OpenFn job, reading its exchanges, changing its
    password or switching it off: administrators only (a system acts for a whole agency)."""
    return is_admin(user)
