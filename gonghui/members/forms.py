"""Back-office forms of the roster. They validate with the roster service's own
rules and write through it, so an error reads the same here as in the importer."""

from django import forms
from django.core.exceptions import ValidationError
from unfold.widgets import (
    UnfoldAdminSelectWidget,
    UnfoldAdminSingleDateWidget,
    UnfoldAdminTextareaWidget,
    UnfoldAdminTextInputWidget,
    UnfoldBooleanSwitchWidget,
)

from gonghui.members import services
from gonghui.members.models import Member, Status
from gonghui.orgs.models import Group

SENSITIVE = ("id_number", "phone")


def add_service_errors(form: forms.Form, error: ValidationError, field_map=None) -> None:
    """Show a service's ValidationError next to the fields it names."""
    field_map = field_map or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, messages in error.message_dict.items():
        target = field_map.get(key, key)
        for message in messages:
            form.add_error(target if target in form.fields else None, message)


class MemberForm(forms.ModelForm):
    """Create or edit a member through members.services.

    On an existing member the ID number and phone inputs start empty (the
    stored values are shown masked above them); left empty they stay as they are.
    """

    id_number = forms.CharField(
        label="身份证号", required=False, max_length=30, widget=UnfoldAdminTextInputWidget
    )
    phone = forms.CharField(
        label="手机号码", required=False, max_length=30, widget=UnfoldAdminTextInputWidget
    )

    # Set by MemberAdmin.get_form.
    actor = None

    class Meta:
        model = Member
        # The union, department and group selects are added by MemberAdmin,
        # inside the request's scope, limited to the user's unions.
        fields = [f for f in services.EDITABLE_FIELDS if f not in ("department", "group")]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("gender", "birth_date"):
            if name in self.fields:
                self.fields[name].required = False
                self.fields[name].help_text = "可不填，按身份证号自动得出"
        editing = self.instance.pk is not None
        for name in SENSITIVE:
            if name in self.fields:
                if editing:
                    # Never put a stored plain value into the page.
                    self.initial[name] = ""
                    self.fields[name].label = "新" + self.fields[name].label
                    self.fields[name].help_text = "留空则不修改"
                elif name == "id_number":
                    self.fields[name].required = True

    def _union(self):
        if self.instance.pk:
            return self.instance.union
        return self.cleaned_data.get("union")

    def _service_fields(self) -> dict:
        data = {k: self.cleaned_data.get(k) for k in services.EDITABLE_FIELDS if k in self.fields}
        for name in SENSITIVE:
            if self.instance.pk and not data.get(name):
                data.pop(name, None)
        for name in ("gender", "birth_date"):
            if not data.get(name):
                data.pop(name, None)
        return data

    def clean(self):
        cleaned = super().clean()
        union = self._union()
        if union is None:
            if "union" not in self.errors:
                self.add_error("union" if "union" in self.fields else None, "请选择所属工会")
            return cleaned
        data = self._service_fields()
        if self.instance.pk:
            current = {k: getattr(self.instance, k) for k in services.EDITABLE_FIELDS}
            current.update(data)
            data = current
        try:
            services.clean_member_fields(
                union=union, data=data, instance=self.instance if self.instance.pk else None
            )
        except ValidationError as e:
            add_service_errors(self, e)
        return cleaned

    def _post_clean(self):
        # The service decided validity in clean(); the model's own field checks
        # would see an empty ID number on an edit that keeps the stored one.
        pass

    def save(self, commit=True):
        data = self._service_fields()
        if self.instance.pk:
            self.instance = services.update_member(member=self.instance, actor=self.actor, **data)
        else:
            self.instance = services.create_member(union=self._union(), actor=self.actor, **data)
        return self.instance

    def save_m2m(self):
        pass


class RevealForm(forms.Form):
    reason = forms.CharField(
        label="查看理由",
        max_length=200,
        widget=UnfoldAdminTextInputWidget(attrs={"placeholder": "例如：办理会员医疗互助保障登记"}),
        help_text="查看完整号码会记入敏感信息查看记录",
    )


class StatusChangeForm(forms.Form):
    to = forms.ChoiceField(label="变更为", widget=UnfoldAdminSelectWidget)
    on = forms.DateField(label="变动日期", widget=UnfoldAdminSingleDateWidget)
    reason = forms.CharField(label="原因", max_length=200, widget=UnfoldAdminTextInputWidget)

    LABELS = {
        Status.TRANSFERRED: "调出",
        Status.RETIRED: "退休",
        Status.WITHDRAWN: "退会",
        Status.DECEASED: "去世",
        Status.ACTIVE: "恢复在册",
    }

    def __init__(self, *args, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [
            (value, label) for value, label in self.LABELS.items() if value != member.status
        ]


class ApproveForm(forms.Form):
    group = forms.ModelChoiceField(
        label="编入工会小组",
        queryset=Group.objects.none(),
        required=False,
        empty_label="暂不分组",
        widget=UnfoldAdminSelectWidget,
    )

    def __init__(self, *args, union, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = Group.objects.filter(union=union)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="未批准原因", max_length=200, widget=UnfoldAdminTextareaWidget(attrs={"rows": 3})
    )


class ExportForm(forms.Form):
    reveal = forms.BooleanField(
        label="导出完整身份证号和手机号码",
        required=False,
        widget=UnfoldBooleanSwitchWidget,
        help_text="不勾选时导出打码后的号码；勾选需要查看敏感信息的权限，并记入查看记录",
    )
    reason = forms.CharField(
        label="导出理由", max_length=200, required=False, widget=UnfoldAdminTextInputWidget
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reveal") and len((cleaned.get("reason") or "").strip()) < 2:
            self.add_error("reason", "导出完整号码时请填写理由（至少2个字）")
        return cleaned


# Transfers (会员关系转移接续) -----------------------------------------------------------


def _open_unions():
    from gonghui.orgs.models import Union

    return Union.objects.filter(archived_on__isnull=True).order_by("path")


class UnionNameField(forms.CharField):
    """Another union of the tree, named by its exact name or code.

    The form never lists the unions of the tree: a union sees only its own
    data, and other unions' names are part of it (the tenancy sweep checks)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 120)
        kwargs.setdefault("widget", UnfoldAdminTextInputWidget)
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value).strip()
        if not text:
            return None
        found = list(_open_unions().filter(code__iexact=text)[:1]) or list(
            _open_unions().filter(name=text)[:2]
        )
        if not found:
            raise ValidationError(f"未找到名称或编码为“{text}”的工会，请核对工会全称或编码")
        if len(found) > 1:
            raise ValidationError(f"有多个名为“{text}”的工会，请填写工会编码")
        return found[0]


class TransferStartForm(forms.Form):
    to_union = UnionNameField(
        label="转入工会",
        help_text="会员新就业单位工会的全称或编码；转入工会接收后生效",
    )
    on = forms.DateField(
        label="转移日期",
        widget=UnfoldAdminSingleDateWidget,
        help_text="自该日起会员计入转入工会，本工会保留此前的记录",
    )
    reason = forms.CharField(
        label="转移原因",
        max_length=200,
        widget=UnfoldAdminTextInputWidget(attrs={"placeholder": "例如：调入乙公司工作"}),
    )

    def __init__(self, *args, member: Member, **kwargs):
        super().__init__(*args, **kwargs)


class _OwnUnionField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class TransferRequestForm(forms.Form):
    to_union = _OwnUnionField(
        label="转入工会（本工会）", queryset=Group.objects.none(), widget=UnfoldAdminSelectWidget
    )
    from_union = UnionNameField(label="转出工会", help_text="会员原就业单位工会的全称或编码")
    name = forms.CharField(label="会员姓名", max_length=40, widget=UnfoldAdminTextInputWidget)
    id_number = forms.CharField(label="身份证号", max_length=30, widget=UnfoldAdminTextInputWidget)
    on = forms.DateField(label="转移日期", widget=UnfoldAdminSingleDateWidget)
    reason = forms.CharField(label="转移原因", max_length=200, widget=UnfoldAdminTextInputWidget)

    def __init__(self, *args, own_unions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_union"].queryset = _open_unions().filter(pk__in=own_unions)


class TransferAcceptForm(forms.Form):
    department = forms.ModelChoiceField(
        label="编入部门",
        queryset=Group.objects.none(),
        required=False,
        empty_label="暂不指定",
        widget=UnfoldAdminSelectWidget,
    )
    group = forms.ModelChoiceField(
        label="编入工会小组",
        queryset=Group.objects.none(),
        required=False,
        empty_label="暂不分组",
        widget=UnfoldAdminSelectWidget,
    )
    employee_number = forms.CharField(
        label="工号", max_length=30, required=False, widget=UnfoldAdminTextInputWidget
    )

    def __init__(self, *args, union, **kwargs):
        from gonghui.orgs.models import Department

        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(union=union)
        self.fields["group"].queryset = Group.objects.filter(union=union)


class TransferReasonForm(forms.Form):
    reason = forms.CharField(
        label="原因", max_length=200, widget=UnfoldAdminTextareaWidget(attrs={"rows": 3})
    )
