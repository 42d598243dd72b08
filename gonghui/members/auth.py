"""Sign-in with one password hash: staff by username, members by mobile number.

Argon2 is deliberately expensive (about a quarter of a CPU-second here), so a
sign-in must run it exactly once, whether the account exists or not:

- the account is looked up first, by username, then (when the text is a
  well-formed mobile number) by the active member with that number;
- found: its password is checked (one hash); not found: a throwaway hash of the
  typed password is made, so an unknown number costs the same time as a known
  one and the timing tells nobody which numbers belong to members;
- either way this backend has the last word: a failure raises PermissionDenied,
  which makes `django.contrib.auth.authenticate` stop (and report the failure to
  django-axes) instead of asking `ModelBackend` after it, whose own throwaway
  hash for the unknown username would be the second computation.

`ModelBackend` stays in AUTHENTICATION_BACKENDS after this one for the sessions
it signed in and for `force_login(..., backend=...)`; it no longer sees a password.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied
from django_scopes import scopes_disabled

from gonghui import encryption, phone
from gonghui.members.models import Member, Status


class PhoneBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        User = get_user_model()
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None  # not a username-and-password sign-in
        user = self._account(username)
        if user is None:
            make_password(password)  # the one hash, as if the account existed
            raise PermissionDenied
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        raise PermissionDenied

    def _account(self, username: str):
        User = get_user_model()
        try:
            return User._default_manager.get_by_natural_key(username)
        except User.DoesNotExist:
            pass
        number = phone.normalise(username)
        if not number or phone.error_in(number):
            return None
        with scopes_disabled():
            member = (
                Member.objects.filter(
                    phone_digest=encryption.digest(number), status=Status.ACTIVE, user__isnull=False
                )
                .select_related("user")
                .first()
            )
        return member.user if member is not None else None
