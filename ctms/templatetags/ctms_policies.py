"""`{% can "cases.can_link_case" case as may_link %}`: templates decide which buttons to show by
asking the same policy functions the services enforce (see ctms.policies)."""

from __future__ import annotations

from django import template

from ctms.policies import ask

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, name: str, *objects) -> bool:
    """Whether the signed-in user may take the action `name` (on `objects`)."""
    request = context.get("request")
    return request is not None and ask(name, request.user, *objects)
