"""Forms of the activity screens. They only collect input; services decide."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from gonghui.activities import services
from gonghui.activities.models import AwardLevel
from gonghui.members.models import Member
from gonghui.orgs.models import Group, Union

ACTIVITY_FORM_FIELDS = [
    "union",
    "title",
    "type",
    "starts_at",
    "ends_at",
    "place",
    "organiser",
    "audience",
    "audience_groups",
    "capacity",
    "signup_opens_at",
    "signup_closes_at",
    "description",
    "cost",
    "club",
    "budget_line",
]


class ActivityForm(forms.ModelForm):
    """The admin's activity form; its checks are services.clean_activity's.

    No Meta here: the admin builds the model form per request, so choice
    fields are limited to the user's unions without querying at import.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        line = self.fields.get("budget_line")
        if line is not None and self.instance.pk:
            # An activity's prizes are paid from its own union's lines of its year.
            line.queryset = line.queryset.filter(
                union_id=self.instance.union_id,
                fiscal_year__year=timezone.localtime(self.instance.starts_at).year,
            )

    def clean(self):
        data = super().clean()
        union = data.get("union") or getattr(self.instance, "union", None)
        if union is None:
            return data
        fields = {k: data.get(k) for k in ACTIVITY_FORM_FIELDS if k != "union"}
        try:
            services.clean_activity(
                union=union, data=fields, instance=self.instance if self.instance.pk else None
            )
        except ValidationError as e:
            for field, messages in e.message_dict.items():
                target = field if field in self.fields else None
                for message in messages:
                    self.add_error(target, message)
        return data


class ResultForm(forms.Form):
    group = forms.ModelChoiceField(Group.objects.none(), label="获奖小组", required=False)
    member = forms.ModelChoiceField(Member.objects.none(), label="获奖个人", required=False)
    rank = forms.IntegerField(label="名次", required=False, min_value=1)
    award_level = forms.ChoiceField(label="奖项等级", choices=AwardLevel.choices)
    prize = forms.CharField(label="奖品", required=False, max_length=120)
    cost = forms.DecimalField(label="奖品费用（元）", required=False, decimal_places=2, min_value=0)
    voucher = forms.CharField(
        label="凭证号", required=False, max_length=40, help_text="活动有预算科目且奖品有费用时必填"
    )
    over_budget_reason = forms.CharField(
        label="超预算理由", required=False, max_length=200, help_text="超出预算科目时必填"
    )

    def __init__(self, *args, union: Union, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = Group.objects.filter(union=union)
        self.fields["member"].queryset = Member.objects.filter(union=union).order_by(
            "name_initials", "id"
        )
