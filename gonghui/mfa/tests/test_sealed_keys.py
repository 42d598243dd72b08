"""Authenticator (TOTP) keys are stored encrypted: neither django-otp's key
column, nor any table, nor a dump of the database holds one a database
administrator could type into an authenticator app."""

import importlib
from base64 import b32encode
from binascii import Error as NotHex
from binascii import hexlify

import pytest
from django.apps import apps
from django.db import connection
from django_otp.plugins.otp_totp.models import TOTPDevice

from gonghui.mfa import services
from gonghui.mfa.models import SEALED, Authenticator, AuthenticatorKey
from gonghui.mfa.tests.factories import code_for, enrol
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import UnionFactory, user_with_role
from gonghui.privacy.tests.test_dump import _dump

pytestmark = pytest.mark.django_db

migration = importlib.import_module("gonghui.mfa.migrations.0002_sealed_authenticator_keys")


@pytest.fixture
def chair():
    return user_with_role(UnionFactory(), Role.CHAIR)


def _spellings(key: bytes) -> set[str]:
    """Every way the key could be written down: hex as django-otp stores it,
    either case, and base32 as an authenticator app is given it."""
    hex_key = hexlify(key).decode()
    base32 = b32encode(key).decode()
    return {hex_key, hex_key.upper(), base32, base32.lower(), base32.rstrip("=")}


def test_django_otp_s_key_column_holds_the_marker_not_the_key(chair):
    device, _ = enrol(chair)
    assert TOTPDevice.objects.get(pk=device.pk).key == SEALED
    assert len(services.key_of(device)) == 20


def test_the_sealed_row_holds_ciphertext_not_the_key(chair):
    device, _ = enrol(chair)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT key FROM {AuthenticatorKey._meta.db_table} WHERE device_id = %s", [device.pk]
        )
        (stored,) = cursor.fetchone()
    assert not _spellings(services.key_of(device)) & {stored}
    assert hexlify(services.key_of(device)).decode() not in stored


def test_a_database_dump_holds_no_authenticator_key_in_any_spelling(chair):
    others = [user_with_role(UnionFactory(), Role.WOMEN) for _ in range(2)]
    keys = [services.key_of(enrol(user)[0]) for user in [chair, *others]]
    pending = services.begin_enrolment(user=user_with_role(UnionFactory(), Role.AUDIT))
    keys.append(services.key_of(pending))
    dump = _dump()
    # The dump is of the tables the keys were in (quoted in SQLite's dump,
    # tab-separated in PostgreSQL's COPY output).
    assert SEALED in dump
    found = sorted(s for key in keys for s in _spellings(key) if s in dump)
    assert found == [], f"身份验证器密钥在数据库导出中以明文出现：{found[:2]}"


def test_a_sealed_authenticator_still_signs_in_with_its_code(chair):
    device, _ = enrol(chair)
    assert services.verify(user=chair, code=code_for(device)).pk == device.pk


def test_the_qr_code_address_carries_the_decrypted_key(chair):
    device = services.begin_enrolment(user=chair)
    assert f"secret={services.secret_of(device)}" in device.config_url.replace("%3D", "=")


def test_django_otp_reading_the_column_as_a_key_fails_instead_of_checking_codes(chair):
    device, _ = enrol(chair)
    plain = TOTPDevice.objects.get(pk=device.pk)
    with pytest.raises(NotHex):
        plain.verify_token(code_for(device))


def test_a_device_without_a_sealed_key_accepts_no_code(chair):
    device, _ = enrol(chair)
    AuthenticatorKey.objects.filter(device=device).delete()
    with pytest.raises(LookupError):
        Authenticator.objects.get(pk=device.pk).bin_key  # noqa: B018
    assert services._accept_totp(device=device, code="123456") is False


def test_removing_an_authenticator_removes_its_sealed_key(chair):
    enrol(chair)
    services.reset(user=chair)
    assert not AuthenticatorKey.objects.exists()


def _plain_device(user) -> TOTPDevice:
    """An authenticator as django-otp stored it before keys were sealed."""
    return TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=True)


def test_the_migration_seals_a_plain_key_that_then_still_gives_the_same_codes(chair):
    device = _plain_device(chair)
    key = device.bin_key
    migration.seal(apps, None)
    assert TOTPDevice.objects.get(pk=device.pk).key == SEALED
    assert services.key_of(device) == key
    assert services.verify(user=chair, code=code_for(device)).pk == device.pk


def test_sealing_twice_changes_nothing(chair):
    device = _plain_device(chair)
    migration.seal(apps, None)
    migration.seal(apps, None)
    assert AuthenticatorKey.objects.filter(device=device).count() == 1


def test_reversing_the_migration_writes_the_key_back_unchanged(chair):
    device, _ = enrol(chair)
    key = services.key_of(device)
    migration.unseal(apps, None)
    assert TOTPDevice.objects.get(pk=device.pk).bin_key == key
    assert not AuthenticatorKey.objects.exists()
