"""Portal forms. They check the shape of what was typed (present, not too
long, a well-formed ID and mobile number) with the same parsers the services
use; the services remain the authority on every rule."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm

from gonghui import idcard, phone
from gonghui.members import names

WRONG_CREDENTIALS = "手机号或密码不正确"


class PhoneSignInForm(AuthenticationForm):
    """Sign-in by mobile number. One message for every failure, so the page
    never tells whether a number belongs to a member."""

    username = forms.CharField(
        label="手机号码",
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "username",
                "inputmode": "tel",
                "placeholder": "11位手机号码",
            }
        ),
        error_messages={"required": "请填写手机号码"},
    )
    password = forms.CharField(
        label="密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "请填写密码"},
    )
    error_messages = {"invalid_login": WRONG_CREDENTIALS, "inactive": WRONG_CREDENTIALS}

    def clean_username(self):
        # "138 0000 1111", "138-0000-1111" and "+8613800001111" are one number,
        # so the lockout counter (keyed by username) counts them together.
        raw = self.cleaned_data["username"]
        number = phone.normalise(raw)
        return raw.strip() if phone.error_in(number) else number


class PortalPasswordChangeForm(PasswordChangeForm):
    """Django's own form; only the widgets get hints for phones' password managers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].widget.attrs["autocomplete"] = "current-password"
        self.fields["old_password"].widget.attrs.pop("autofocus", None)
        for name in ("new_password1", "new_password2"):
            self.fields[name].widget.attrs["autocomplete"] = "new-password"


def _plain_name(value: str) -> None:
    problem = names.error_in(value)
    if problem:
        raise forms.ValidationError(problem)


class JoinForm(forms.Form):
    """网上入会. Field names match the keys of submit_application's errors."""

    name = forms.CharField(
        label="姓名",
        max_length=40,
        validators=[_plain_name],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "请填写姓名", "max_length": "姓名不能超过40个字"},
    )
    id_number = forms.CharField(
        label="身份证号",
        max_length=25,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        error_messages={"required": "请填写身份证号", "max_length": "身份证号应为18位"},
    )
    phone = forms.CharField(
        label="手机号码",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        error_messages={
            "required": "请填写手机号码",
            "max_length": "手机号码格式不正确，应为11位大陆手机号",
        },
    )
    department = forms.ModelChoiceField(
        label="部门",
        queryset=None,
        empty_label="请选择部门",
        error_messages={
            "required": "请选择部门",
            "invalid_choice": "所选部门不在本工会的部门列表中",
        },
    )
    consent = forms.BooleanField(
        label="我已阅读并同意《个人信息使用说明》",
        error_messages={"required": "请阅读并同意个人信息使用说明"},
    )

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        # A union that has not set up departments yet still takes applications.
        self.has_departments = departments.exists()
        self.fields["department"].required = self.has_departments

    def clean_id_number(self):
        try:
            number, _, _ = idcard.parse(self.cleaned_data["id_number"])
        except idcard.IdNumberError as e:
            raise forms.ValidationError(str(e)) from e
        return number

    def clean_phone(self):
        number = phone.normalise(self.cleaned_data["phone"])
        problem = phone.error_in(number)
        if problem:
            raise forms.ValidationError(problem)
        return number

    def submission(self) -> dict:
        """Keyword arguments for members.services.submit_application."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "id_number": data["id_number"],
            "phone_number": data["phone"],
            "department": data.get("department"),
            "consent": data["consent"],
        }
