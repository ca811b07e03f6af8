"""Agencies' full names in the interface language: `name_khmer` in Khmer."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("language", "shown", "hidden"),
    [
        ("km", "មន្ទីរសង្គមកិច្ចបន្ទាយមានជ័យ", "Banteay Meanchey DoSVY"),
        ("en", "Banteay Meanchey DoSVY", "មន្ទីរសង្គមកិច្ចបន្ទាយមានជ័យ"),
    ],
)
def test_home_page_names_the_agency_in_the_interface_language(
    world, client, settings, language, shown, hidden
):
    agency = world.agencies.dosvy_bmc
    agency.name, agency.name_khmer = "Banteay Meanchey DoSVY", "មន្ទីរសង្គមកិច្ចបន្ទាយមានជ័យ"
    agency.save(update_fields=["name", "name_khmer"])
    client.force_login(world.users.alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    page = client.get("/").content.decode()

    assert shown in page
    assert hidden not in page
