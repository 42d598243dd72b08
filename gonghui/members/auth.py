"""Members sign in to the portal with their mobile number and password."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.hashers import make_password
from django_scopes import scopes_disabled

from gonghui import encryption, phone
from gonghui.members.models import Member, Status


class PhoneBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        number = phone.normalise(username or "")
        if not number or phone.error_in(number) or not password:
            return None
        with scopes_disabled():
            member = (
                Member.objects.filter(
                    phone_digest=encryption.digest(number), status=Status.ACTIVE, user__isnull=False
                )
                .select_related("user")
                .first()
            )
        if member is None:
            # Run the hasher anyway so timing does not tell which numbers exist.
            make_password(password)
            return None
        user = member.user
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
