"""The district federation's report collection in the school demo (scale s):
the half-year summary was requested in June, drafted, locked and returned by
the school before the deadline, and the district drafted its consolidated
report; the annual summary is requested now, not yet returned, with a
reminder on the school's dashboard."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from gonghui.collection import services
from gonghui.collection.models import Submission
from gonghui.demo import plans
from gonghui.demo.logins import DISTRICT_USERNAME
from gonghui.orgs.models import Union
from gonghui.reports import services as reports
from gonghui.reports.models import ReportKind

SHANGHAI = ZoneInfo("Asia/Shanghai")


def fill(*, school: Union, chair, today: date) -> None:
    district = Union.objects.get(code=plans.DISTRICT.code)
    staff = get_user_model().objects.get(username=DISTRICT_USERNAME)
    year = today.year
    if today >= date(year, 7, 16):
        half = services.issue_request(
            union=district,
            kind=ReportKind.HALF_YEAR,
            start=date(year, 1, 1),
            end=date(year, 6, 30),
            deadline=date(year, 7, 15),
            note="请各基层工会对照年初工作计划，于7月15日前报送上半年工作总结和统计数据。",
            everyone=True,
            actor=staff,
            today=date(year, 6, 20),
        )
        report = reports.draft_report(
            union=school,
            start=date(year, 1, 1),
            end=date(year, 6, 30),
            kind=ReportKind.HALF_YEAR,
            actor=chair,
        )
        reports.submit_report(report=report, actor=chair)
        services.submit_return(
            submission=Submission.objects.get(request=half, union=school),
            report=report,
            actor=chair,
            now=datetime.combine(date(year, 7, 10), time(16, 30), tzinfo=SHANGHAI),
        )
        services.draft_consolidated(request=half, actor=staff, today=date(year, 7, 16))
    annual = services.issue_request(
        union=district,
        kind=ReportKind.ANNUAL,
        start=date(year, 1, 1),
        end=date(year, 12, 31),
        deadline=date(year + 1, 1, 15),
        note="请于次年1月15日前报送年度工作总结（须先在系统中提交定稿）及全年统计数据。",
        everyone=True,
        actor=staff,
        today=today,
    )
    services.remind(
        request=annual, actor=staff, note="年底将至，请提前起草年度工作总结，核对台账数据。"
    )
