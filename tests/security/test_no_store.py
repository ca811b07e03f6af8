"""Item 14 of issue 12: pages and API answers that hold personal data are never cached."""

from __future__ import annotations

from tests.api_support import client_for
from tests.factories import VictimFactory


def test_victim_page_and_api_answer_are_no_store(world, client):
    victim = VictimFactory(agency=world.agencies.dosvy_bmc)
    client.force_login(world.users.alice)

    page = client.get(f"/victims/{victim.pk}/")
    listing = client.get("/victims/")
    api = client_for(world.users.alice).get(f"/api/v1/victims/{victim.pk}/")

    for response in (page, listing, api):
        assert response.status_code == 200
        directives = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"no-store", "private"} <= directives
