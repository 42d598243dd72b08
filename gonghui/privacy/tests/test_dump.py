"""A dump of the demo database and everything logged while it was built hold
no plaintext ID number, phone number or health detail of any member (DESIGN.md:
"a grep of a database dump for a known ID number finds nothing")."""

import logging

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django_scopes import scopes_disabled

from gonghui.care.models import HardshipCase
from gonghui.demo import scales
from gonghui.demo.tests.dates import SEED, TODAY
from gonghui.members.models import Application, Member
from gonghui.privacy.models import Consent
from gonghui.privacy.purposes import Category
from gonghui.women.models import ProtectionRecord

pytestmark = pytest.mark.django_db


class Everything(logging.Handler):
    """Keeps every log line, formatted with its arguments, at any level."""

    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))


@pytest.fixture(scope="module")
def dumped(django_db_setup, django_db_blocker):
    """Build the school demo with every log line captured, dump the database in
    the same transaction, collect the plaintext it must not contain, roll back."""
    handler = Everything()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        with django_db_blocker.unblock(), scopes_disabled():
            with override_settings(
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
            ):
                with transaction.atomic():
                    scales.build_small(seed=SEED, today=TODAY)
                    secrets = _plaintexts()
                    dump = _dump()
                    names = list(Member.objects.order_by("pk").values_list("name", flat=True)[:5])
                    unconsented = _stored_without_consent()
                    transaction.set_rollback(True)
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    return {
        "dump": dump,
        "log": "\n".join(handler.lines),
        "secrets": secrets,
        "names": names,
        "unconsented": unconsented,
    }


def _plaintexts() -> dict[str, set[str]]:
    members = list(Member.objects.order_by("pk"))
    cases = [c for c in HardshipCase.objects.all() if c.health_details]
    records = list(ProtectionRecord.objects.all())
    return {
        "身份证号": {m.id_number for m in members}
        | {a.id_number for a in Application.objects.all()},
        "手机号码": {m.phone for m in members if m.phone},
        "健康状况": {c.health_details for c in cases},
        "四期保护": {r.arrangements for r in records if r.arrangements},
    }


def _stored_without_consent() -> dict[str, list]:
    """Sensitive records of the demo whose member had not consented by the day
    the record starts."""

    def consented(member_id, category, day) -> bool:
        return Consent.objects.filter(
            member_id=member_id,
            category=category,
            withdrawn_at=None,
            given_at__date__lte=day,
        ).exists()

    cases = list(HardshipCase.objects.all())
    records = list(ProtectionRecord.objects.all())
    return {
        "cases": [c.pk for c in cases if not consented(c.member_id, Category.HARDSHIP, c.filed_on)],
        "health": [
            c.pk
            for c in cases
            if c.health_details and not consented(c.member_id, Category.HEALTH, c.filed_on)
        ],
        "four_period": [
            r.pk for r in records if not consented(r.member_id, Category.FOUR_PERIOD, r.starts_on)
        ],
        "counts": [len(cases), len(records)],
    }


def _dump() -> str:
    """Every row of every table, read on the connection that wrote them."""
    if connection.vendor == "sqlite":
        return "\n".join(connection.connection.iterdump())
    if connection.vendor == "postgresql":
        parts = []
        with connection.cursor() as cursor:
            for table in connection.introspection.table_names(cursor):
                quoted = connection.ops.quote_name(table)
                with cursor.cursor.copy(f"COPY {quoted} TO STDOUT") as copy:
                    parts.extend(bytes(block).decode() for block in copy)
        return "".join(parts)
    pytest.skip(f"no dump for {connection.vendor}")


def test_the_demo_holds_the_values_the_dump_is_searched_for(dumped):
    secrets = dumped["secrets"]
    assert len(secrets["身份证号"]) > 50 and len(secrets["手机号码"]) > 50
    assert secrets["健康状况"] and secrets["四期保护"]


def test_the_dump_is_readable_plain_text_with_the_members_names(dumped):
    # The search below would find a plaintext value: names are stored in clear.
    assert all(name in dumped["dump"] for name in dumped["names"])


@pytest.mark.parametrize("kind", ["身份证号", "手机号码", "健康状况", "四期保护"])
def test_the_database_dump_holds_no_plaintext(dumped, kind):
    found = sorted(v for v in dumped["secrets"][kind] if v in dumped["dump"])
    assert found == [], f"{kind}在数据库导出中以明文出现：{found[:3]}"


@pytest.mark.parametrize("kind", ["身份证号", "手机号码", "健康状况", "四期保护"])
def test_the_log_output_holds_no_plaintext(dumped, kind):
    found = sorted(v for v in dumped["secrets"][kind] if v in dumped["log"])
    assert found == [], f"{kind}在日志中以明文出现：{found[:3]}"


def test_the_demo_records_a_consent_before_every_sensitive_record(dumped):
    unconsented = dumped["unconsented"]
    assert all(unconsented["counts"])
    assert unconsented["cases"] == unconsented["health"] == unconsented["four_period"] == []
