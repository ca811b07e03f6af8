"""Template tags with which pages of other apps show referrals: the referrals app contributes
its own panel (and applies its own scope rule), so those apps need not import it."""

from __future__ import annotations

from django import template

from referrals.selectors import referrals_visible_to

register = template.Library()


@register.inclusion_tag("referrals/_victim_referrals.html", takes_context=True)
def victim_referrals(context, victim) -> dict:
    """The referrals of a victim that the signed-in user may see (none: no panel)."""
    user = context["request"].user
    return {
        "referrals": referrals_visible_to(user).filter(victim=victim).select_related("to_agency")
    }
