"""factory_boy factories for every record type."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from agencies.models import Agency, User
from cases.models import Case, Operation, Prosecution, Rescue, Suspect
from handovers.models import Handover
from referrals.models import Referral, Service
from reports.models import Activity, DeporteeReport
from victims.models import FollowUp, Repatriation, Victim


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("acronym",)

    name = factory.LazyAttribute(lambda o: f"Agency {o.acronym}")
    acronym = factory.Sequence(lambda n: f"AG{n}")
    kind = "ngo"
    province = "12"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    agency = factory.SubFactory(AgencyFactory)
    role = "case_worker"
    password = factory.django.Password("correct-horse-battery")


class VictimFactory(DjangoModelFactory):
    class Meta:
        model = Victim

    agency = factory.SubFactory(AgencyFactory)
    given_name = factory.Sequence(lambda n: f"Sokha{n}")
    family_name = "Chan"
    sex = "female"
    date_of_birth = None
    # A known date of birth or an estimated year, never both (Victim.clean).
    birth_year = factory.LazyAttribute(lambda victim: None if victim.date_of_birth else 1995)
    citizenship = "KHM"
    consent_services = True
    consent_data_sharing = True


class SuspectFactory(DjangoModelFactory):
    class Meta:
        model = Suspect

    given_name = factory.Sequence(lambda n: f"Dara{n}")
    family_name = "Keo"
    sex = "male"
    citizenship = "KHM"
    role = "recruiter_or_intermediary"


class CaseFactory(DjangoModelFactory):
    class Meta:
        model = Case

    agency = factory.SubFactory(AgencyFactory)
    opened_on = dt.date(2010, 3, 1)
    exploitation_types = factory.LazyFunction(lambda: ["forced_labour"])


class OperationFactory(DjangoModelFactory):
    class Meta:
        model = Operation

    agency = factory.SubFactory(AgencyFactory, kind="police_unit")
    date = dt.date(2010, 3, 2)
    kind = "raid"
    province = "12"


class RescueFactory(DjangoModelFactory):
    class Meta:
        model = Rescue

    operation = factory.SubFactory(OperationFactory)
    victim = factory.SubFactory(VictimFactory)
    placement = "dosvy"


class ProsecutionFactory(DjangoModelFactory):
    class Meta:
        model = Prosecution

    court = factory.SubFactory(AgencyFactory, kind="court")
    filed_on = dt.date(2010, 5, 1)
    court_case_number = factory.Sequence(lambda n: f"PP-{n}/2010")


class ReferralFactory(DjangoModelFactory):
    class Meta:
        model = Referral

    victim = factory.SubFactory(VictimFactory)
    from_agency = factory.SelfAttribute("victim.agency")
    to_agency = factory.SubFactory(AgencyFactory, accepts_referrals=True)
    created_on = dt.date(2010, 4, 1)
    services_requested = factory.LazyFunction(lambda: ["shelter"])


class ServiceFactory(DjangoModelFactory):
    class Meta:
        model = Service

    victim = factory.SubFactory(VictimFactory)
    agency = factory.SubFactory(AgencyFactory)
    date = dt.date(2010, 4, 2)
    service = "shelter"


class RepatriationFactory(DjangoModelFactory):
    class Meta:
        model = Repatriation

    victim = factory.SubFactory(VictimFactory)
    kind = "victim"
    from_country = "THA"
    received_on = dt.date(2010, 6, 1)
    receiving_agency = factory.SubFactory(AgencyFactory)


class FollowUpFactory(DjangoModelFactory):
    class Meta:
        model = FollowUp

    victim = factory.SubFactory(VictimFactory)
    agency = factory.SubFactory(AgencyFactory)
    date = dt.date(2010, 7, 1)
    kind = "monitoring"


class ActivityFactory(DjangoModelFactory):
    class Meta:
        model = Activity

    agency = factory.SubFactory(AgencyFactory)
    date = dt.date(2010, 8, 1)
    kind = "awareness_raising"
    participants_total = 100
    participants_female = 40


class DeporteeReportFactory(DjangoModelFactory):
    class Meta:
        model = DeporteeReport

    agency = factory.SubFactory(AgencyFactory)
    month = "2010-09"
    from_country = "THA"
    total = 100
    female = 30
    children = 10


class HandoverFactory(DjangoModelFactory):
    class Meta:
        model = Handover

    victim = factory.SubFactory(VictimFactory)
    from_agency = factory.SelfAttribute("victim.agency")
    to_agency = factory.SubFactory(AgencyFactory, kind="provincial_department")
    kind = "transfer"
    created_on = dt.date(2010, 4, 1)
