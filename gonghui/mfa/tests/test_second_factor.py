"""The second sign-in step in the back office: who is asked, enrolment,
codes, recovery codes, the lock after wrong codes."""

import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from gonghui.mfa import services
from gonghui.mfa.tests.factories import code_for, enrol
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import UnionFactory, user_with_role

PASSWORD = "pass-word-123"
ADMIN = "/admin/"


@pytest.fixture
def mfa_on(settings, db):
    settings.GONGHUI_MFA_ROLES = ["chair", "committee", "audit", "women", "upper_staff"]
    settings.GONGHUI_MFA_REQUIRED_FOR_SUPERUSERS = True
    settings.GONGHUI_MFA_FAILURE_LIMIT = 5


@pytest.fixture
def chair(db):
    return user_with_role(UnionFactory(), Role.CHAIR)


def sign_in(client, user):
    response = client.post(
        "/admin/login/", {"username": user.username, "password": PASSWORD, "next": ADMIN}
    )
    assert response.status_code == 302, "password sign-in failed"
    return response


def test_a_cadre_who_opens_the_sign_in_page_directly_lands_on_the_back_office(client, chair):
    response = client.post("/admin/login/", {"username": chair.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == ADMIN
    assert client.get(response["Location"]).status_code == 200


def test_a_chair_without_an_authenticator_is_sent_to_enrol_after_the_password(
    client, chair, mfa_on
):
    sign_in(client, chair)
    response = client.get(ADMIN)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa:setup"))


def test_a_chair_cannot_reach_any_back_office_page_without_the_second_factor(client, chair, mfa_on):
    enrol(chair)
    sign_in(client, chair)
    for path in (ADMIN, "/admin/roster/", "/admin/orgs/union/", "/admin/finance/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("mfa:verify")), path


def test_a_force_logged_in_chair_is_stopped_too(client, chair, mfa_on):
    client.force_login(chair)
    assert client.get("/admin/orgs/union/")["Location"].startswith(reverse("mfa:setup"))


def test_a_liaison_is_not_asked_for_a_second_factor(client, mfa_on):
    liaison = user_with_role(UnionFactory(), Role.LIAISON)
    sign_in(client, liaison)
    assert client.get(ADMIN).status_code == 200


def test_a_superuser_without_roles_is_asked(client, mfa_on, db):
    from gonghui.orgs.tests.factories import UserFactory

    root = UserFactory(is_staff=True, is_superuser=True)
    sign_in(client, root)
    assert client.get(ADMIN)["Location"].startswith(reverse("mfa:setup"))


@pytest.mark.parametrize("role", [Role.CHAIR, Role.AUDIT, Role.WOMEN, Role.UPPER_STAFF])
def test_each_privileged_role_is_asked(client, mfa_on, db, role):
    user = user_with_role(UnionFactory(), role)
    client.force_login(user)
    assert client.get(ADMIN).status_code == 302


def test_the_enrolment_page_shows_a_qr_code_and_the_secret(client, chair, mfa_on):
    sign_in(client, chair)
    response = client.get(reverse("mfa:setup"))
    device = TOTPDevice.objects.get(user=chair, confirmed=False)
    text = response.content.decode()
    assert "<svg" in text
    assert services.secret_of(device)[:4] in text


def test_reloading_the_enrolment_page_keeps_the_same_secret(client, chair, mfa_on):
    sign_in(client, chair)
    client.get(reverse("mfa:setup"))
    client.get(reverse("mfa:setup"))
    assert TOTPDevice.objects.filter(user=chair).count() == 1


def test_enrolling_with_the_right_code_shows_ten_recovery_codes_and_opens_the_back_office(
    client, chair, mfa_on
):
    sign_in(client, chair)
    client.get(reverse("mfa:setup"))
    device = TOTPDevice.objects.get(user=chair)
    response = client.post(reverse("mfa:setup"), {"code": code_for(device), "next": ADMIN})
    assert response.status_code == 200
    codes = re.findall(r"<li>([a-z2-7]{4}-[a-z2-7]{4})</li>", response.content.decode())
    assert len(codes) == 10
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get(ADMIN).status_code == 200


def test_recovery_codes_are_stored_as_digests_not_as_the_codes(chair, mfa_on):
    _, codes = enrol(chair)
    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert not stored & {services.normalise(c) for c in codes}
    assert stored == {services.recovery_digest(c) for c in codes}


def test_enrolling_with_a_wrong_code_says_so_in_chinese_and_binds_nothing(client, chair, mfa_on):
    sign_in(client, chair)
    client.get(reverse("mfa:setup"))
    device = TOTPDevice.objects.get(user=chair)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("mfa:setup"), {"code": wrong})
    assert response.status_code == 400
    assert "验证码不正确" in response.content.decode()
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get(ADMIN).status_code == 302


def test_the_right_code_opens_the_back_office_and_returns_to_the_page_asked_for(
    client, chair, mfa_on
):
    device, _ = enrol(chair)
    sign_in(client, chair)
    response = client.post(
        reverse("mfa:verify"), {"code": code_for(device), "next": "/admin/orgs/union/"}
    )
    assert response["Location"] == "/admin/orgs/union/"
    assert client.get("/admin/orgs/union/").status_code == 200


def test_a_wrong_code_is_refused_with_a_chinese_message(client, chair, mfa_on):
    device, _ = enrol(chair)
    sign_in(client, chair)
    wrong = f"{(int(code_for(device)) + 500_000) % 1_000_000:06d}"
    response = client.post(reverse("mfa:verify"), {"code": wrong})
    assert response.status_code == 400
    assert "验证码不正确" in response.content.decode()
    assert "再输错4次将锁定" in response.content.decode()
    assert client.get(ADMIN).status_code == 302


@pytest.mark.parametrize("typed", ["", "12345", "abc", "1234567", "<script>", "x" * 25])
def test_malformed_codes_are_refused_without_a_server_error(client, chair, mfa_on, typed):
    enrol(chair)
    sign_in(client, chair)
    response = client.post(reverse("mfa:verify"), {"code": typed})
    assert response.status_code == 400
    assert "<script>" not in response.content.decode().split("</form>")[0].split("csrf")[-1]
    assert client.get(ADMIN).status_code == 302


def test_a_code_cannot_be_used_twice(client, chair, mfa_on):
    device, _ = enrol(chair)
    code = code_for(device)
    assert services.verify(user=chair, code=code) == device
    with pytest.raises(services.ValidationError):
        services.verify(user=chair, code=code)


def test_a_recovery_code_signs_in_once_and_is_then_used_up(client, chair, mfa_on):
    _, codes = enrol(chair)
    sign_in(client, chair)
    response = client.post(reverse("mfa:verify"), {"code": codes[0].upper(), "next": ADMIN})
    assert response["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200
    assert StaticToken.objects.filter(device__user=chair).count() == 9

    client.post("/admin/logout/")
    sign_in(client, chair)
    response = client.post(reverse("mfa:verify"), {"code": codes[0]})
    assert response.status_code == 400
    assert client.get(ADMIN).status_code == 302


def test_the_fifth_wrong_code_locks_the_second_step_even_for_the_right_code(client, chair, mfa_on):
    device, _ = enrol(chair)
    sign_in(client, chair)
    wrong = f"{(int(code_for(device)) + 500_000) % 1_000_000:06d}"
    for _ in range(5):
        response = client.post(reverse("mfa:verify"), {"code": wrong})
    assert "已锁定至" in response.content.decode()
    response = client.post(reverse("mfa:verify"), {"code": code_for(device)})
    assert response.status_code == 400
    assert "验证码连续输错5次" in response.content.decode()
    assert client.get(ADMIN).status_code == 302


def test_a_right_code_clears_the_count_of_wrong_ones(chair, mfa_on):
    device, _ = enrol(chair)
    wrong = f"{(int(code_for(device)) + 500_000) % 1_000_000:06d}"
    for _ in range(4):
        with pytest.raises(services.ValidationError):
            services.verify(user=chair, code=wrong)
    services.verify(user=chair, code=code_for(device))
    for _ in range(4):
        with pytest.raises(services.ValidationError, match="验证码不正确"):
            services.verify(user=chair, code=wrong)


def test_the_lock_shows_on_the_code_page_before_anything_is_typed(client, chair, mfa_on):
    device, _ = enrol(chair)
    wrong = f"{(int(code_for(device)) + 500_000) % 1_000_000:06d}"
    for _ in range(5):
        with pytest.raises(services.ValidationError):
            services.verify(user=chair, code=wrong)
    sign_in(client, chair)
    assert "验证码连续输错5次" in client.get(reverse("mfa:verify")).content.decode()


def test_a_chair_with_an_authenticator_cannot_replace_it_without_a_code(client, chair, mfa_on):
    enrol(chair)
    sign_in(client, chair)
    response = client.get(reverse("mfa:setup"))
    assert response["Location"].startswith(reverse("mfa:verify"))


def test_new_recovery_codes_replace_the_old_ones(client, chair, mfa_on):
    device, old = enrol(chair)
    sign_in(client, chair)
    client.post(reverse("mfa:verify"), {"code": code_for(device)})
    response = client.post(reverse("mfa:recovery_codes"))
    new = re.findall(r"<li>([a-z2-7]{4}-[a-z2-7]{4})</li>", response.content.decode())
    assert len(new) == 10
    with pytest.raises(services.ValidationError):
        services.verify(user=chair, code=old[1])
    assert services.verify(user=chair, code=new[1]).name == services.RECOVERY_NAME


def test_a_member_may_turn_the_second_factor_on_and_is_then_asked(client, mfa_on):
    liaison = user_with_role(UnionFactory(), Role.LIAISON)
    sign_in(client, liaison)
    assert "未开启" in client.get(reverse("mfa:manage")).content.decode()
    device, _ = enrol(liaison)
    client.post("/admin/logout/")
    sign_in(client, liaison)
    assert client.get(ADMIN)["Location"].startswith(reverse("mfa:verify"))


def test_verify_does_not_redirect_to_another_site(client, chair, mfa_on):
    device, _ = enrol(chair)
    sign_in(client, chair)
    response = client.post(
        reverse("mfa:verify"), {"code": code_for(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("admin:index")


def test_the_reset_command_makes_the_chair_enrol_again(client, chair, mfa_on):
    from django.core.management import call_command

    enrol(chair)
    call_command("mfa_reset", chair.username, stdout=open("/dev/null", "w"))
    sign_in(client, chair)
    assert client.get(ADMIN)["Location"].startswith(reverse("mfa:setup"))


def test_the_code_pages_need_a_back_office_sign_in(client, db):
    for name in ("mfa:verify", "mfa:setup", "mfa:manage"):
        response = client.get(reverse(name))
        assert response["Location"].startswith("/admin/login/"), name


def test_the_demo_sign_ins_say_which_accounts_bind_an_authenticator_first(mfa_on):
    from io import StringIO

    from django.core.management.base import OutputWrapper

    from gonghui.demo.logins import print_logins

    union = UnionFactory()
    user_with_role(union, Role.CHAIR, username="chair")
    user_with_role(union, Role.LIAISON, username="liaison")
    out = StringIO()
    print_logins(OutputWrapper(out))
    lines = out.getvalue().splitlines()
    assert next(line for line in lines if "用户名 chair" in line).endswith(" *")
    assert not next(line for line in lines if "用户名 liaison" in line).endswith(" *")
    assert any("首次进入后台时须绑定手机身份验证器" in line for line in lines)


def test_no_admin_screen_shows_an_authenticator_key(client, db):
    from gonghui.orgs.tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert client.get("/admin/otp_static/staticdevice/").status_code == 404


@pytest.mark.parametrize("typed", ["", "12 34", "abcdefgh", "1" * 21, "１２３４５６"])
def test_malformed_enrolment_codes_are_refused_and_bind_nothing(client, chair, mfa_on, typed):
    sign_in(client, chair)
    client.get(reverse("mfa:setup"))
    response = client.post(reverse("mfa:setup"), {"code": typed})
    assert response.status_code == 400
    assert not TOTPDevice.objects.filter(user=chair, confirmed=True).exists()


def test_the_reset_command_names_an_unknown_account(db):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="找不到账号“nobody”"):
        call_command("mfa_reset", "nobody")


def test_a_code_typed_in_full_width_digits_is_accepted(chair, mfa_on):
    device, _ = enrol(chair)
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code_for(device))
    assert services.verify(user=chair, code=full_width) == device
