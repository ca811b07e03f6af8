"""The policy registry and the one template tag that asks it (ctms.policies)."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template import Context, Template
from django.test import RequestFactory

from ctms.policies import ask

NAV = {
    "alice": ["/", "/victims/", "/victims/new/", "/cases/", "/referrals/", "/handovers/"],
    "officer": ["/", "/handovers/", "/operations/", "/operations/new/"],
    "partner": ["/", "/referrals/", "/handovers/"],
    "clerk": ["/", "/prosecutions/"],
    "analyst": ["/", "/reports/", "/reports/dashboard/", "/reports/exports/"],
    "admin": [
        "/",
        "/victims/",
        "/victims/new/",
        "/cases/",
        "/referrals/",
        "/handovers/",
        "/operations/",
        "/operations/new/",
        "/prosecutions/",
        "/reports/",
        "/reports/dashboard/",
        "/reports/exports/",
        "/admin/",
    ],
}


def test_an_unknown_policy_is_an_error_not_a_refusal(world):
    with pytest.raises(ImproperlyConfigured):
        ask("cases.can_fly", world.users.alice)


def test_the_tag_asks_the_policy_for_the_signed_in_user(world):
    template = Template('{% load ctms_policies %}{% can "cases.can_open_case" as may %}{{ may }}')
    request = RequestFactory().get("/")
    request.user = world.users.alice
    assert template.render(Context({"request": request})) == "True"
    request.user = world.users.officer
    assert template.render(Context({"request": request})) == "False"


@pytest.mark.parametrize("persona", sorted(NAV))
def test_the_navigation_offers_the_pages_the_policies_open(world, client, persona):
    client.force_login(getattr(world.users, persona))
    page = client.get("/").content.decode()
    navbar = page.split("<nav ", 1)[1].split("</nav>", 1)[0]
    links = re.findall(r'class="(?:nav-link|dropdown-item)" href="(/[^"]*)"', navbar)
    # Every role ends with its notifications (notifications/, the badge polls them); pages
    # this table does not know (e.g. the counts menu) may sit in between.
    expected = [*NAV[persona], "/notifications/"]
    known = {href for hrefs in NAV.values() for href in hrefs} | {"/notifications/"}
    assert [href for href in links if href in known] == expected
    for href in links:
        assert client.get(href).status_code == 200, href
