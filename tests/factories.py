"""factory_boy factories: the test data of the suite, built in code."""

import datetime
from decimal import Decimal

import factory

from cities.models import Jurisdiction, Official, Policy
from letters.models import (
    CaseParty,
    CourtCase,
    Designation,
    DesignationList,
    Event,
    EventParticipant,
    GrantAward,
    Letter,
    LetterRecipient,
    Ruling,
)
from tracker.models import Source


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ["url"]

    url = factory.Sequence(lambda n: f"https://example.org/source/{n}")
    title = factory.Sequence(lambda n: f"Source {n}")
    publisher = "Example Publisher"
    published_on = datetime.date(2018, 1, 24)
    kind = Source.Kind.NEWS


class SourcedFactory(factory.django.DjangoModelFactory):
    """Gives every record one source, as the data rules require."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    @factory.post_generation
    def sources(self, create, extracted, **kwargs):
        if create:
            self.sources.set(extracted if extracted is not None else [SourceFactory()])


class JurisdictionFactory(SourcedFactory):
    class Meta:
        model = Jurisdiction
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"City {n}")
    slug = factory.Sequence(lambda n: f"city-{n}-il")
    kind = Jurisdiction.Kind.CITY
    state = "IL"


class OfficialFactory(SourcedFactory):
    class Meta:
        model = Official

    slug = factory.Sequence(lambda n: f"official-{n}")
    jurisdiction = factory.SubFactory(JurisdictionFactory)
    name = factory.Sequence(lambda n: f"Official {n}")
    role = Official.Role.MAYOR
    term_start = datetime.date(2015, 1, 1)


class PolicyFactory(SourcedFactory):
    class Meta:
        model = Policy

    slug = factory.Sequence(lambda n: f"policy-{n}")
    jurisdiction = factory.SubFactory(JurisdictionFactory)
    title = factory.Sequence(lambda n: f"Welcoming ordinance {n}")
    kind = Policy.Kind.DETAINER_LIMITS
    enacted_on = datetime.date(2012, 9, 12)


class LetterFactory(SourcedFactory):
    class Meta:
        model = Letter

    slug = factory.Sequence(lambda n: f"letter-{n}")
    sent_on = datetime.date(2018, 1, 24)
    sender_office = "Bureau of Justice Assistance"
    sender_name = "Director"
    kind = Letter.Kind.DOCUMENT_DEMAND
    subject = factory.Sequence(lambda n: f"Document demand {n}")
    response_due = datetime.date(2018, 2, 23)


class LetterRecipientFactory(SourcedFactory):
    class Meta:
        model = LetterRecipient

    letter = factory.SubFactory(LetterFactory)
    jurisdiction = factory.SubFactory(JurisdictionFactory)


class GrantAwardFactory(SourcedFactory):
    class Meta:
        model = GrantAward

    jurisdiction = factory.SubFactory(JurisdictionFactory)
    program = GrantAward.Program.BYRNE_JAG
    fiscal_year = 2017
    amount = Decimal("100000.00")
    status = GrantAward.Status.WITHHELD
    status_date = datetime.date(2018, 7, 18)


class CourtCaseFactory(SourcedFactory):
    class Meta:
        model = CourtCase

    slug = factory.Sequence(lambda n: f"case-{n}")
    caption = factory.Sequence(lambda n: f"City {n} v. Sessions")
    court = "ilnd"
    docket_number = factory.Sequence(lambda n: f"1:17-cv-{n:05d}")
    filed_on = datetime.date(2017, 8, 7)
    status = CourtCase.Status.CLOSED

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        # Tests name a court by its id, as the API does; the courts come with the migrations.
        if isinstance(kwargs.get("court"), str):
            kwargs["court_id"] = kwargs.pop("court")
        return kwargs


class CasePartyFactory(SourcedFactory):
    class Meta:
        model = CaseParty

    case = factory.SubFactory(CourtCaseFactory)
    jurisdiction = factory.SubFactory(JurisdictionFactory)
    role = CaseParty.Role.PLAINTIFF


class RulingFactory(SourcedFactory):
    class Meta:
        model = Ruling

    slug = factory.Sequence(lambda n: f"ruling-{n}")
    case = factory.SubFactory(CourtCaseFactory)
    decided_on = datetime.date(2017, 9, 15)
    kind = Ruling.Kind.PRELIMINARY_INJUNCTION
    judge = "Judge"
    outcome = Ruling.Outcome.FOR_JURISDICTION
    scope = Ruling.Scope.NATIONWIDE


class EventFactory(SourcedFactory):
    class Meta:
        model = Event

    slug = factory.Sequence(lambda n: f"event-{n}")
    date = datetime.date(2018, 1, 24)
    title = factory.Sequence(lambda n: f"Meeting {n}")
    kind = Event.Kind.MEETING


class EventParticipantFactory(SourcedFactory):
    class Meta:
        model = EventParticipant

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Mayor {n}")
    participation = EventParticipant.Participation.DECLINED


class DesignationListFactory(SourcedFactory):
    class Meta:
        model = DesignationList

    slug = factory.Sequence(lambda n: f"list-{n}")
    authority = "U.S. Department of Justice"
    title = factory.Sequence(lambda n: f"List {n}")
    published_on = datetime.date(2025, 8, 5)


class DesignationFactory(SourcedFactory):
    class Meta:
        model = Designation

    designation_list = factory.SubFactory(DesignationListFactory)
    jurisdiction = factory.SubFactory(JurisdictionFactory)
    label = "sanctuary jurisdiction"
