"""`seed_demo` hands rescued persons over as the field does: most DoSVY and NGO placements
accepted within days, a few still waiting, some of them on the demo case worker's desk."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.management import call_command

from agencies.models import User
from cases.models import Rescue
from handovers.models import Handover
from handovers.selectors import handovers_waiting

pytestmark = pytest.mark.django_db(
    transaction=settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
)


def test_demo_placements_are_handed_over_and_the_demo_case_worker_has_some_waiting():
    call_command("load_reference_data", stdout=io.StringIO())
    call_command(
        "seed_demo", "--until", "2026-11-23", "--scale", "400", stdout=io.StringIO(),
        stderr=io.StringIO(),
    )  # fmt: skip

    placed = Rescue.objects.filter(placement__in=["dosvy", "ngo"])
    assert placed.exists()
    assert not placed.filter(placed_with__isnull=True).exists()
    assert not Rescue.objects.filter(placement="family", placed_with__isnull=False).exists()
    handovers = Handover.objects.filter(kind="rescue_placement")
    assert handovers.count() == placed.count()
    accepted = handovers.filter(status="accepted")
    pending = handovers.filter(status="pending")
    assert accepted.count() + pending.count() == handovers.count()
    assert accepted.count() >= 0.8 * handovers.count()
    assert 0 < pending.count() <= 0.2 * handovers.count()
    for handover in accepted.select_related("victim"):
        days = (handover.status_changed_at.date() - handover.created_on).days
        assert 0 <= days <= 6
        assert handover.victim.agency_id == handover.to_agency_id  # the agency took them in
    for handover in pending.select_related("victim"):
        assert handover.victim.agency_id == handover.from_agency_id  # still the police unit's
    caseworker = User.objects.get(username="demo-caseworker")
    assert handovers_waiting(caseworker).count() >= 1
