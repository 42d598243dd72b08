"""Back-office forms of open affairs. They only collect input; the rules are
disclosure.services', whose messages are put back on the fields."""

from datetime import date

from django import forms
from unfold.widgets import (
    UnfoldAdminSelectWidget,
    UnfoldAdminSingleDateWidget,
    UnfoldAdminTextareaWidget,
    UnfoldAdminTextInputWidget,
    UnfoldBooleanSwitchWidget,
)

from gonghui.disclosure.models import Audience, Category
from gonghui.finance.forms import ServiceForm
from gonghui.finance.models import FiscalYear
from gonghui.orgs.models import Union


class UnionForm(ServiceForm):
    """Limits the union choice to the given unions (hidden when only one)."""

    def __init__(self, *args, unions, **kwargs):
        super().__init__(*args, **kwargs)
        if "union" in self.fields:
            self.fields["union"].queryset = unions
            if unions.count() == 1:
                self.fields["union"].initial = unions.first()
                self.fields["union"].widget = forms.HiddenInput()


def _union():
    return forms.ModelChoiceField(
        label="工会",
        queryset=Union.objects.none(),
        widget=UnfoldAdminSelectWidget,
        error_messages={"required": "请选择工会", "invalid_choice": "所选工会不在您的管理范围内"},
    )


class PostForm(UnionForm):
    union = _union()
    category = forms.ChoiceField(
        label="公开类别", choices=Category.choices, widget=UnfoldAdminSelectWidget
    )
    title = forms.CharField(label="标题", max_length=120, widget=UnfoldAdminTextInputWidget)
    body = forms.CharField(
        label="正文",
        widget=UnfoldAdminTextareaWidget(attrs={"rows": 14}),
        help_text="可使用段落、加粗、列表、表格和链接等格式（HTML）；脚本、样式等会被自动清除。",
    )
    audience = forms.ChoiceField(
        label="公开范围", choices=Audience.choices, widget=UnfoldAdminSelectWidget
    )
    publish_on = forms.DateField(
        label="发布日期", widget=UnfoldAdminSingleDateWidget, initial=date.today
    )
    withdraw_on = forms.DateField(
        label="撤下日期",
        required=False,
        widget=UnfoldAdminSingleDateWidget,
        help_text="留空则一直公开",
    )


class WithdrawForm(ServiceForm):
    on = forms.DateField(label="撤下日期", widget=UnfoldAdminSingleDateWidget, initial=date.today)
    reason = forms.CharField(label="撤下原因", max_length=200, widget=UnfoldAdminTextInputWidget)


class ReplyForm(ServiceForm):
    reply = forms.CharField(label="答复内容", widget=UnfoldAdminTextareaWidget)
    public = forms.BooleanField(
        label="公开答复",
        required=False,
        initial=True,
        widget=UnfoldBooleanSwitchWidget,
        help_text="公开答复能看到该事项的会员都能看到（不显示提问人姓名）；关闭则只有提问人能看到",
    )


class BudgetPostForm(ServiceForm):
    fiscal_year = forms.ModelChoiceField(
        label="年度",
        queryset=FiscalYear.objects.none(),
        widget=UnfoldAdminSelectWidget,
        error_messages={"required": "请选择年度", "invalid_choice": "所选年度不在您的管理范围内"},
    )
    what = forms.ChoiceField(
        label="公开内容",
        choices=[("budget", "年度经费预算"), ("statement", "经费收支情况")],
        widget=UnfoldAdminSelectWidget,
    )

    def __init__(self, *args, unions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].queryset = (
            FiscalYear.objects.filter(union__in=unions)
            .select_related("union")
            .order_by("union__path", "-year")
        )
