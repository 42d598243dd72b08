"""The enterprise demo's wage contract takes its congress vote from the
resolution the demo congress passed on the wage agreement."""

import pytest
from django.test import override_settings

from gonghui.demo import scales
from gonghui.demo.tests.dates import TODAY
from gonghui.rights.models import Contract

pytestmark = pytest.mark.django_db


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
def test_the_demo_wage_contract_is_voted_through_the_congress_resolution():
    union = scales.build_medium(seed=1, today=TODAY, members=600)
    wage = Contract.objects.get(union=union, kind="wage")
    resolution = wage.resolution
    assert resolution is not None
    assert "工资专项集体协议" in str(resolution)
    assert wage.vote_on == resolution.session.date
    assert (wage.votes_for, wage.votes_against) == (
        resolution.votes_for,
        resolution.votes_against,
    )
    assert wage.signed_on > wage.vote_on
    assert Contract.objects.filter(union=union, resolution__isnull=False).count() == 1
