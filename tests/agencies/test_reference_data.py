"""`manage.py load_reference_data`: the working groups and agencies of the reference file."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from agencies.models import Agency, WorkingGroup
from ctms.models import AuditEvent


def load() -> str:
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    return out.getvalue()


def snapshot() -> list[tuple]:
    return list(Agency.objects.order_by("acronym").values_list()) + list(
        WorkingGroup.objects.order_by("code").values_list()
    )


@pytest.mark.django_db
def test_loads_the_working_groups_with_their_lead_ministries():
    load()

    leads = dict(WorkingGroup.objects.values_list("code", "lead_agency__acronym"))
    assert leads == {
        "prevention": "MoWA",
        "law_enforcement": "NPC",
        "victim_protection": "MoSVY",
        "justice": "MoJ",
        "cooperation": "MoWA",
        "child_affairs": "MoSVY",
    }


@pytest.mark.django_db
def test_one_dosvy_per_province_under_mosvy_and_the_partners_take_referrals():
    load()

    dosvys = Agency.objects.filter(kind="provincial_department", parent__acronym="MoSVY")
    assert sorted(dosvys.values_list("province", flat=True)) == [f"{n:02}" for n in range(1, 26)]
    bmc = Agency.objects.get(acronym="DoSVY-BMC")
    assert bmc.province == "01"
    assert bmc.name_khmer == "មន្ទីរសង្គមកិច្ច អតីតយុទ្ធជន និងយុវនីតិសម្បទាខេត្តបន្ទាយមានជ័យ"
    partners = ["WNU/CPN", "Friends", "WHI", "AFESIP", "HCC", "CCPCR", "Our-Home", "Hagar", "CWCC"]
    assert set(
        Agency.objects.filter(acronym__in=partners, accepts_referrals=True).values_list(
            "acronym", flat=True
        )
    ) == set(partners)
    assert Agency.objects.get(acronym="AFESIP").offers("shelter")
    assert Agency.objects.get(acronym="AHTJP-SVR").parent.acronym == "AHTJP"
    assert Agency.objects.get(acronym="Court-PP").kind == "court"


@pytest.mark.django_db
def test_running_it_twice_changes_nothing():
    # given the reference data loaded once
    first_output = load()
    before = snapshot()
    events = AuditEvent.objects.count()

    # when it is loaded again
    second_output = load()

    # then no row changed (not even updated_at) and nothing was audited
    assert "0 unchanged" in first_output
    assert second_output.startswith("Reference data: 0 created, 0 updated, ")
    assert snapshot() == before
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_an_edited_reference_agency_is_put_back():
    load()
    Agency.objects.filter(acronym="HCC").update(accepts_referrals=False)

    output = load()

    assert "0 created, 1 updated" in output
    assert Agency.objects.get(acronym="HCC").accepts_referrals is True
