"""The database itself refuses data that breaks the record's rules."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from tests.factories import (
    CourtCaseFactory,
    DesignationListFactory,
    GrantAwardFactory,
    JurisdictionFactory,
    LetterFactory,
    LetterRecipientFactory,
    OfficialFactory,
    PolicyFactory,
    RulingFactory,
)

pytestmark = pytest.mark.django_db


def assert_refused(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_it_refuses_a_negative_grant_amount():
    assert_refused(lambda: GrantAwardFactory(amount=Decimal("-1.00")))


def test_it_refuses_a_second_grant_row_for_the_same_program_and_year():
    grant = GrantAwardFactory()
    assert_refused(lambda: GrantAwardFactory(jurisdiction=grant.jurisdiction, program=grant.program, fiscal_year=2017))


def test_it_allows_another_fiscal_year_for_the_same_program():
    grant = GrantAwardFactory()
    GrantAwardFactory(jurisdiction=grant.jurisdiction, fiscal_year=2018)


def test_it_refuses_a_duplicate_docket_in_the_same_court():
    case = CourtCaseFactory(court="ilnd", docket_number="1:17-cv-05720")
    assert_refused(lambda: CourtCaseFactory(court=case.court, docket_number=case.docket_number))


def test_it_allows_the_same_docket_number_in_another_court():
    CourtCaseFactory(court="ilnd", docket_number="17-2991")
    CourtCaseFactory(court="ca7", docket_number="17-2991")


def test_it_refuses_a_ruling_dated_before_its_case_was_filed():
    case = CourtCaseFactory(filed_on=datetime.date(2017, 8, 7))
    assert_refused(lambda: RulingFactory(case=case, decided_on=datetime.date(2017, 8, 6)))


def test_it_refuses_moving_a_ruling_before_its_case_was_filed():
    ruling = RulingFactory(case__filed_on=datetime.date(2017, 8, 7), decided_on=datetime.date(2017, 9, 15))
    ruling.decided_on = datetime.date(2017, 1, 1)
    assert_refused(ruling.save)


def test_it_refuses_moving_a_case_filing_after_its_rulings():
    ruling = RulingFactory(case__filed_on=datetime.date(2017, 8, 7), decided_on=datetime.date(2017, 9, 15))
    ruling.case.filed_on = datetime.date(2017, 10, 1)
    assert_refused(ruling.case.save)


def test_it_accepts_a_ruling_on_the_day_the_case_was_filed():
    case = CourtCaseFactory(filed_on=datetime.date(2017, 8, 7))
    RulingFactory(case=case, decided_on=case.filed_on)


def test_it_refuses_to_delete_a_jurisdiction_that_letters_point_at():
    recipient = LetterRecipientFactory()
    with pytest.raises(ProtectedError):
        recipient.jurisdiction.delete()


def test_it_refuses_a_letter_due_before_it_was_sent():
    assert_refused(lambda: LetterFactory(sent_on=datetime.date(2018, 1, 24), response_due=datetime.date(2018, 1, 1)))


def test_it_refuses_a_term_that_ends_before_it_starts():
    assert_refused(lambda: OfficialFactory(term_start=datetime.date(2018, 1, 23), term_end=datetime.date(2018, 1, 1)))


def test_it_refuses_a_policy_that_ends_before_it_was_enacted():
    assert_refused(lambda: PolicyFactory(enacted_on=datetime.date(2017, 10, 5), ended_on=datetime.date(2017, 1, 1)))


def test_it_refuses_a_list_withdrawn_before_it_was_published():
    assert_refused(
        lambda: DesignationListFactory(published_on=datetime.date(2025, 5, 29), withdrawn_on=datetime.date(2025, 5, 1))
    )


def test_it_refuses_the_same_letter_twice_to_one_jurisdiction():
    recipient = LetterRecipientFactory()
    assert_refused(lambda: LetterRecipientFactory(letter=recipient.letter, jurisdiction=recipient.jurisdiction))


def test_it_refuses_a_known_fips_code_twice_but_allows_many_unknown():
    JurisdictionFactory(fips="17031")
    JurisdictionFactory(fips="")
    JurisdictionFactory(fips="")
    assert_refused(lambda: JurisdictionFactory(fips="17031"))
