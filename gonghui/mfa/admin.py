"""django-otp's own admin screens are taken out: they show any account's
authenticator key and QR code to a superuser, and they sit outside the
union access rule. Resetting a lost phone is `gonghui mfa_reset <username>`."""

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
