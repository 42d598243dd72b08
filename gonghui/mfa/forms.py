from django import forms
from unfold.widgets import UnfoldAdminTextInputWidget


class CodeForm(forms.Form):
    """One code: six digits from the authenticator, or a recovery code."""

    code = forms.CharField(
        label="验证码",
        max_length=20,
        error_messages={
            "required": "请输入验证码。",
            "max_length": "验证码太长：请输入6位数字，或8位恢复码。",
        },
        widget=UnfoldAdminTextInputWidget(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "text",
                "autofocus": True,
                "autocapitalize": "off",
                "spellcheck": "false",
            }
        ),
        help_text="打开手机上的身份验证器，输入当前显示的6位数字；手机不在身边时可输入一个恢复码（每个只能用一次）。",
    )


class EnrolmentForm(forms.Form):
    code = forms.CharField(
        label="验证码",
        max_length=20,
        error_messages={
            "required": "请输入身份验证器上显示的6位数字。",
            "max_length": "验证码太长：请输入6位数字。",
        },
        widget=UnfoldAdminTextInputWidget(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text="扫码后，身份验证器会显示一个每30秒变化的6位数字，输入当前的数字完成绑定。",
    )
