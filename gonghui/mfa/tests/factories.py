import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from gonghui.mfa import services


def code_for(device: TOTPDevice, *, offset_steps: int = 0) -> str:
    """The code an authenticator app shows now (or `offset_steps` steps away)."""
    # An app knows only the clock: no drift (the server's drift estimate is its own).
    totp = TOTP(services.key_of(device), device.step, device.t0, device.digits, 0)
    totp.time = time.time() + offset_steps * device.step
    return f"{totp.token():06d}"


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    """A confirmed authenticator and its recovery codes, as after the setup page.

    The confirming code is from the previous time step, so the current code
    is still unused for the test to type.
    """
    device = services.begin_enrolment(user=user)
    codes = services.confirm_enrolment(
        user=user, device=device, code=code_for(device, offset_steps=-1)
    )
    device.refresh_from_db()
    return device, codes
