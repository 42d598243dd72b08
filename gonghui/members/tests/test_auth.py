"""A sign-in costs exactly one password hash, found account or not."""

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import RequestFactory

from gonghui.members import services
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "Lanhua-2024-yuan"
HASHES: list[str] = []


class CountingHasher(MD5PasswordHasher):
    """Every hash computed (a check, a throwaway or a new password) calls encode once."""

    algorithm = "counting"

    def encode(self, password, salt):
        HASHES.append(password)
        return super().encode(password, salt)  # MD5's verify calls encode too


@pytest.fixture
def hashes(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    HASHES.clear()
    return HASHES


@pytest.fixture
def member(hashes):
    member = MemberFactory(phone="13912345678")
    services.create_portal_account(member=member, password=PASSWORD)
    hashes.clear()
    return member


def _sign_in(username, password=PASSWORD):
    return authenticate(RequestFactory().post("/login/"), username=username, password=password)


def test_a_member_signing_in_with_the_right_password_costs_one_hash(member, hashes):
    assert _sign_in("13912345678") == member.user
    assert len(hashes) == 1


def test_a_wrong_password_for_a_known_number_costs_one_hash(member, hashes):
    assert _sign_in("13912345678", "not-the-password") is None
    assert len(hashes) == 1


def test_an_unknown_number_costs_one_hash_like_a_known_one(member, hashes):
    assert _sign_in("13700000000", "whatever-123") is None
    assert hashes == ["whatever-123"]


def test_text_that_is_neither_a_username_nor_a_number_costs_one_hash(member, hashes):
    assert _sign_in("nobody-here", "whatever-123") is None
    assert len(hashes) == 1


def test_staff_sign_in_by_username_costs_one_hash(hashes):
    user = User.objects.create_user(username="zhangchair", password=PASSWORD)
    hashes.clear()
    assert _sign_in("zhangchair") == user
    assert len(hashes) == 1


def test_a_member_who_is_not_active_is_refused_after_one_hash(member, hashes):
    member.user.is_active = False
    member.user.save(update_fields=["is_active"])
    assert _sign_in("13912345678") is None
    assert len(hashes) == 1
