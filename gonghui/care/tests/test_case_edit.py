"""Correcting a hardship case after filing: its facts change, its level does
not (that is a review's job), and a closed case stays as it was."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gonghui.care import services
from gonghui.care.models import HardshipCase, HardshipCause, ReviewOutcome
from gonghui.care.tests.factories import case
from gonghui.care.tests.test_pages import signed_in
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import UnionFactory

pytestmark = pytest.mark.django_db


def corrected(filed, **changes):
    facts = {
        "causes": filed.causes,
        "household_size": filed.household_size,
        "income_per_capita": filed.income_per_capita,
        "above_threshold_reason": filed.above_threshold_reason,
        "filed_on": filed.filed_on,
        **changes,
    }
    return services.update_case(case=filed, **facts)


def test_a_case_is_corrected_with_its_new_household_and_causes():
    filed = case(MemberFactory())
    corrected(
        filed,
        causes=[HardshipCause.ILLNESS, HardshipCause.SCHOOLING],
        household_size=4,
        income_per_capita=Decimal("750.50"),
    )
    filed.refresh_from_db()
    assert filed.household_size == 4
    assert filed.income_per_capita == Decimal("750.50")
    assert filed.causes == [HardshipCause.ILLNESS, HardshipCause.SCHOOLING]


def test_empty_health_details_keep_the_ones_on_file():
    filed = case(MemberFactory(), health_details="胃癌术后")
    corrected(filed, health_details="")
    filed.refresh_from_db()
    assert filed.health_details == "胃癌术后"


def test_new_health_details_replace_the_old_ones():
    filed = case(MemberFactory(), health_details="胃癌术后")
    corrected(filed, health_details="胃癌术后，化疗中")
    filed.refresh_from_db()
    assert filed.health_details == "胃癌术后，化疗中"


def test_raising_the_income_above_the_line_needs_a_reason():
    filed = case(MemberFactory())
    with pytest.raises(ValidationError) as error:
        corrected(filed, income_per_capita=Decimal("99999.00"))
    assert "收入线" in error.value.message_dict["above_threshold_reason"][0]
    filed.refresh_from_db()
    assert filed.income_per_capita == Decimal("900.00")


def test_a_closed_case_cannot_be_corrected():
    filed = case(MemberFactory())
    services.close_case(case=filed, on=date(2025, 6, 1), reason="家庭收入好转")
    with pytest.raises(ValidationError) as error:
        corrected(filed, household_size=5)
    assert "已于2025-06-01解除" in error.value.message_dict["case"][0]


def test_the_filing_date_may_not_move_after_the_first_review():
    filed = case(MemberFactory())
    services.review_case(case=filed, on=date(2025, 3, 1), outcome=ReviewOutcome.CONTINUE)
    with pytest.raises(ValidationError) as error:
        corrected(filed, filed_on=date(2025, 4, 1))
    assert "2025-03-01" in error.value.message_dict["filed_on"][0]


def test_the_edit_page_saves_through_the_service(client):
    filed = case(MemberFactory())
    signed_in(client, filed.union)
    response = client.post(
        reverse("care:edit_case", args=[filed.pk]),
        {
            "causes": [HardshipCause.DISABILITY],
            "household_size": "2",
            "income_per_capita": "650.00",
            "above_threshold_reason": "",
            "health_details": "",
            "filed_on": "2025-01-15",
        },
    )
    assert response.status_code == 302
    filed.refresh_from_db()
    assert (filed.household_size, filed.causes) == (2, [HardshipCause.DISABILITY])


def test_the_edit_page_of_another_unions_case_is_not_found(client):
    filed = case(MemberFactory())
    signed_in(client, UnionFactory())
    response = client.get(reverse("care:edit_case", args=[filed.pk]))
    assert response.status_code == 404
    assert HardshipCase.objects.get(pk=filed.pk).household_size == 3
