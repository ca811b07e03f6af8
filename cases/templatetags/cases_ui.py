"""Template tags with which pages of other apps show cases: the cases app contributes its own
panel (and applies its own scope rule), so those apps need not import it."""

from __future__ import annotations

from django import template

from cases.selectors import cases_visible_to

register = template.Library()


@register.inclusion_tag("cases/_victim_cases.html", takes_context=True)
def victim_cases(context, victim) -> dict:
    """The cases of a victim that the signed-in user may see (none: no panel)."""
    return {"cases": cases_visible_to(context["request"].user).filter(victims=victim)}
