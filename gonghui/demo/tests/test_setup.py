"""`gonghui setup` on an empty database; kept apart from the module that
shares one built school, since these need a database without one."""

from io import StringIO

import pytest
from django.core.management import call_command

from gonghui.demo.logins import demo_member, print_logins
from gonghui.members.models import Member


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_setup_twice_keeps_the_demo_and_prints_the_member_phone_each_time(db):
    first, second = StringIO(), StringIO()
    call_command("setup", stdout=first)
    members = Member.objects.count()
    call_command("setup", stdout=second)
    assert Member.objects.count() == members > 100
    phone = demo_member().phone
    assert phone in first.getvalue() and phone in second.getvalue()
    assert "chair" in second.getvalue() and "生成演示数据" not in second.getvalue()


def test_print_logins_says_nothing_on_a_database_without_demo_data(db):
    out = StringIO()
    print_logins(out)
    assert out.getvalue() == ""
