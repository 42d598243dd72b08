"""Forms of the back-office 维权 pages. They only collect input and turn it
into Python values; rights.services decides, and its Chinese messages are put
back on the field they name. Every message a form gives itself names its
field too, so a cadre never reads a bare "这个字段是必填项"."""

import copy
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from unfold.widgets import (
    UnfoldAdminCheckboxSelectMultipleWidget,
    UnfoldAdminDecimalFieldWidget,
    UnfoldAdminIntegerFieldWidget,
    UnfoldAdminSelectWidget,
    UnfoldAdminSingleDateWidget,
    UnfoldAdminTextareaWidget,
    UnfoldAdminTextInputWidget,
    UnfoldBooleanSwitchWidget,
)

from gonghui.finance.forms import ServiceForm
from gonghui.members.models import Member
from gonghui.orgs.models import Union
from gonghui.rights.models import (
    Claim,
    ConsultationOutcome,
    ContractKind,
    Outcome,
    SupervisionArea,
    Topic,
)


def _text(label, *, required=True, max_length=120, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=UnfoldAdminTextInputWidget,
    )


def _area(label, *, required=True, max_length=None, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=UnfoldAdminTextareaWidget,
    )


def _date(label, *, required=True, today=True, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=UnfoldAdminSingleDateWidget,
        initial=date.today if today else None,
    )


def _choice(label, choices, *, required=True):
    return forms.ChoiceField(
        label=label, choices=choices, required=required, widget=UnfoldAdminSelectWidget
    )


def _count(label, *, required=True):
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=0,
        max_value=10_000_000,
        widget=UnfoldAdminIntegerFieldWidget,
    )


def _switch(label, *, help_text=""):
    return forms.BooleanField(
        label=label, required=False, help_text=help_text, widget=UnfoldBooleanSwitchWidget
    )


def _union():
    return forms.ModelChoiceField(
        label="工会", queryset=Union.objects.none(), widget=UnfoldAdminSelectWidget
    )


def _member(help_text):
    return forms.CharField(
        label="会员工号",
        required=False,
        max_length=30,
        help_text=help_text,
        widget=UnfoldAdminTextInputWidget,
    )


class RightsForm(ServiceForm):
    """Field messages that name the field; union and member choices limited to
    the unions given (the ones where the user holds rights.change)."""

    def __init__(self, *args, unions=None, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            _name_the_field(field)
        if unions is None:
            return
        if "union" in self.fields:
            self.fields["union"].queryset = unions
            if unions.count() == 1:
                self.fields["union"].initial = unions.first()
                self.fields["union"].widget = forms.HiddenInput()


class MemberByNumber:
    """Turns the typed 工号 into the member of the chosen union (a roll of
    thousands does not fit a drop-down)."""

    def clean(self):
        data = super().clean()
        number = (data.get("member") or "").strip()
        data["member"] = None
        union = data.get("union")
        if number and union is not None:
            found = list(Member.objects.filter(union=union, employee_number=number)[:2])
            if not found:
                self.add_error("member", f"{union.name}没有工号为“{number}”的会员")
            elif len(found) > 1:
                self.add_error("member", f"工号“{number}”对应多名会员，请留空工号、直接填写姓名")
            else:
                data["member"] = found[0]
        return data


def _name_the_field(field) -> None:
    label = field.label
    choose = isinstance(field, forms.ChoiceField | forms.ModelChoiceField)
    messages = {
        "required": f"请{'选择' if choose else '填写'}{label}",
        "invalid_choice": f"所选{label}不在可选范围内",
        "invalid": f"{label}格式不正确",
        "min_value": f"{label}不能为负数",
        "max_value": f"{label}过大",
        "max_digits": f"{label}位数过多",
        "max_decimal_places": f"{label}最多保留两位小数",
    }
    if isinstance(field, forms.DateField):
        messages["invalid"] = f"{label}不是有效日期，请按“年-月-日”填写，如 2026-03-01"
    elif isinstance(field, forms.IntegerField):
        messages["invalid"] = f"{label}须填写整数"
    elif isinstance(field, forms.DecimalField):
        messages["invalid"] = f"{label}须填写数字"
    if isinstance(field, forms.CharField) and field.max_length:
        messages["max_length"] = f"{label}不能超过{field.max_length}个字"
    # Validators are shared between copies of a declared field: reword copies.
    validators = []
    for validator in field.validators:
        code = getattr(validator, "code", "")
        if code in messages:
            validator = copy.copy(validator)
            validator.message = messages[code]
        validators.append(validator)
    field.validators = validators
    field.error_messages.update(messages)


# Collective contracts ------------------------------------------------------------------


class ContractForm(RightsForm):
    union = _union()
    kind = _choice("合同类别", ContractKind.choices)
    title = _text("合同名称", help_text="如“2027年度工资专项集体合同”")
    employer = _text("用人单位（甲方）")
    union_chief = _text("职工方首席代表", max_length=40, help_text="一般由工会主席担任")
    employer_chief = _text("企业方首席代表", max_length=40)
    starts_on = _date("期限起", today=False)
    ends_on = _date("期限止", today=False, help_text="集体合同期限一至三年")
    workers_covered = _count("覆盖职工人数")
    wage_increase = forms.DecimalField(
        label="约定工资增长幅度（%）",
        required=False,
        max_digits=5,
        decimal_places=2,
        widget=UnfoldAdminDecimalFieldWidget,
        help_text="工资专项或综合集体合同填写，如 5.5；其他类别留空",
    )


class RoundForm(RightsForm):
    held_on = _date("协商日期")
    union_side = _area(
        "职工方参加人员", max_length=1000, help_text="姓名和职务，每行一人或用顿号分隔"
    )
    employer_side = _area("企业方参加人员", max_length=1000)
    issues = _area("协商议题", max_length=4000)
    minutes = _area("会议纪要", required=False, max_length=20000)
    agreed = _area("达成一致的事项", required=False, max_length=4000)


class DraftForm(RightsForm):
    prepared_on = _date("形成日期")
    text = _area("草案文本", max_length=100_000)
    note = _text("修改说明", required=False, max_length=300, help_text="与上一稿相比改了什么")


class VoteForm(RightsForm):
    """Either a decided resolution of the congress (counts come from it) or the
    counts typed in from the congress's minutes."""

    resolution = forms.ModelChoiceField(
        label="职代会决议表决",
        queryset=None,
        required=False,
        widget=UnfoldAdminSelectWidget,
        help_text="职代会已在“民主管理”中表决的，选择该决议，日期和票数从决议取得",
    )
    on = _date("表决日期", required=False)
    votes_for = _count("赞成票", required=False)
    votes_against = _count("反对票", required=False)
    votes_abstain = _count("弃权票", required=False)

    def __init__(self, *args, resolutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resolution"].queryset = resolutions
        self.fields["resolution"].label_from_instance = lambda r: (
            f"{r.session.date:%Y-%m-%d} {r}（{r.get_state_display()}，"
            f"赞成{r.votes_for}/反对{r.votes_against}/弃权{r.votes_abstain}）"
        )
        if not resolutions.exists():
            del self.fields["resolution"]

    def clean(self):
        data = super().clean()
        if data.get("resolution") is not None:
            typed = [
                self.fields[f].label
                for f in ("votes_for", "votes_against", "votes_abstain")
                if data.get(f) is not None
            ]
            if typed:
                raise ValidationError(
                    {
                        "resolution": "已选择职代会决议表决，票数以决议为准，请清空"
                        + "、".join(typed)
                    }
                )
        return data


class SignForm(RightsForm):
    on = _date("签署日期")


class FilingForm(RightsForm):
    filed_with = _text("备案机关", max_length=80, help_text="如“XX区人力资源和社会保障局”")
    on = _date("备案日期")


class ExecutionCheckForm(RightsForm):
    checked_on = _date("检查日期")
    clause = _text("检查条款", max_length=200, help_text="如“第八条 工资增长幅度”")
    finding = _area("履行情况", max_length=4000)
    fulfilled = _choice("是否履行", [("yes", "已履行"), ("no", "未履行或未完全履行")])
    follow_up = _area("整改跟进", required=False, max_length=4000, help_text="未履行时必须填写")

    def clean_fulfilled(self):
        return self.cleaned_data["fulfilled"] == "yes"


# Dispute mediation ----------------------------------------------------------------------


class DisputeForm(MemberByNumber, RightsForm):
    union = _union()
    applicant = _text("申请人", required=False, max_length=40)
    member = _member("申请人是本会会员时填写工号，申请人姓名可留空")
    respondent = _text("被申请人", help_text="一般为用人单位")
    claims = forms.MultipleChoiceField(
        label="争议事项", choices=Claim.choices, widget=UnfoldAdminCheckboxSelectMultipleWidget
    )
    claim_detail = _area("请求事项和理由", max_length=4000)
    amount_claimed = forms.DecimalField(
        label="请求金额（元）",
        required=False,
        max_digits=14,
        decimal_places=2,
        widget=UnfoldAdminDecimalFieldWidget,
    )
    received_on = _date("受理日期")
    mediators = _text("调解员", required=False, max_length=120)


class SessionForm(RightsForm):
    held_on = _date("调解日期")
    attendees = _text("参加人员", required=False, max_length=200)
    notes = _area("调解记录", max_length=10000)


class CloseForm(RightsForm):
    outcome = _choice(
        "结案结果", [("", "请选择")] + [c for c in Outcome.choices if c[0] != Outcome.OPEN]
    )
    on = _date("结案日期")
    agreement = _area("调解协议", required=False, max_length=10000, help_text="调解成功时必须填写")
    applicant_confirmed = _switch("申请人签字确认", help_text="调解成功须双方当事人签字确认")
    respondent_confirmed = _switch("被申请人签字确认")
    note = _text(
        "结案说明",
        required=False,
        max_length=300,
        help_text="调解不成的，写明已告知申请人可向劳动人事争议仲裁委员会申请仲裁；撤回的写明原因",
    )


# Consultations and legal aid --------------------------------------------------------------


class ConsultationForm(MemberByNumber, RightsForm):
    union = _union()
    asker = _text("咨询人", required=False, max_length=40)
    member = _member("咨询人是本会会员时填写工号，咨询人姓名可留空")
    asked_on = _date("咨询日期")
    topic = _choice("咨询类别", [("", "请选择"), *Topic.choices])
    question = _area("咨询内容", max_length=4000)
    outcome = _choice("处理结果", ConsultationOutcome.choices)
    answer = _area("解答意见", required=False, max_length=10000, help_text="已解答时必须填写")
    referred_to = _text(
        "转介机构", required=False, max_length=120, help_text="转介时必须填写，如法律援助中心"
    )
    handled_by = _text("解答人", required=False, max_length=40)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].initial = ConsultationOutcome.PENDING


class AnswerForm(RightsForm):
    outcome = _choice(
        "处理结果",
        [("", "请选择")]
        + [c for c in ConsultationOutcome.choices if c[0] != ConsultationOutcome.PENDING],
    )
    answer = ConsultationForm.base_fields["answer"]
    referred_to = ConsultationForm.base_fields["referred_to"]
    handled_by = ConsultationForm.base_fields["handled_by"]


# Labour-law supervision ---------------------------------------------------------------------


class SupervisionForm(RightsForm):
    union = _union()
    area = _choice("监督事项", [("", "请选择"), *SupervisionArea.choices])
    checked_on = _date("检查日期")
    finding = _area("检查情况", max_length=4000)
    compliant = _choice("检查结论", [("yes", "符合规定"), ("no", "发现问题")])
    recommendation = _area(
        "监督意见书",
        required=False,
        max_length=10000,
        help_text="发现问题时，写明存在的问题、法律依据和整改要求",
    )
    recommended_on = _date("意见书送达日期", required=False, today=False)

    def clean_compliant(self):
        return self.cleaned_data["compliant"] == "yes"


class ResponseForm(RightsForm):
    response = _area("用人单位答复", max_length=10000)
    responded_on = _date("答复日期")
    resolved_on = _date("问题解决日期", required=False, today=False, help_text="已整改到位的填写")


class ResolveForm(RightsForm):
    on = _date("问题解决日期")
