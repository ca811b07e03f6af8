"""Template tags with which other apps' pages show case work (the victim list's latest risk
level), applying casework's own scope rule, so those apps need not import it."""

from __future__ import annotations

from django import template

from casework.choices import RiskLevel
from casework.selectors import risk_assessments_visible_to

register = template.Library()


@register.simple_tag(takes_context=True)
def risk_levels(context, victims) -> dict:
    """The latest risk level the user may see of each victim of a page, in one query."""
    ids = [victim.pk for victim in victims]
    rows = (
        risk_assessments_visible_to(context["request"].user)
        .filter(victim_id__in=ids)
        .order_by("victim_id", "-date", "-created_at")
        .values_list("victim_id", "level")
    )
    levels: dict = {}
    for victim_id, level in rows:
        levels.setdefault(victim_id, level)
    return levels


@register.inclusion_tag("casework/_risk_badge.html")
def risk_badge(levels: dict, victim) -> dict:
    level = levels.get(victim.pk)
    return {"level": level, "label": RiskLevel(level).label if level else ""}
