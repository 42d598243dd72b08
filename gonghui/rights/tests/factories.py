"""Rights records made through rights.services, so tests start from real states."""

from datetime import date

from gonghui.orgs.tests.factories import UnionFactory
from gonghui.rights import services


def contract(union=None, **overrides):
    values = {
        "union": union or UnionFactory(),
        "kind": "wage",
        "title": "2025年度工资专项集体合同",
        "employer": "华东精密机械有限公司",
        "union_chief": "王建国",
        "employer_chief": "李志强",
        "starts_on": date(2025, 1, 1),
        "ends_on": date(2027, 12, 31),
        "workers_covered": 860,
        "wage_increase": "5.5",
    }
    values.update(overrides)
    return services.create_contract(**values)


def voted(union=None, on=date(2025, 1, 10), **overrides):
    found = contract(union, **overrides)
    services.add_draft(contract=found, prepared_on=date(2025, 1, 5), text="第一条 ……")
    return services.record_vote(
        contract=found, on=on, votes_for=120, votes_against=3, votes_abstain=2
    )


def signed(union=None, on=date(2025, 1, 12), **overrides):
    return services.sign(contract=voted(union, **overrides), on=on)


def dispute(union=None, **overrides):
    values = {
        "union": union or UnionFactory(),
        "applicant": "张伟",
        "respondent": "华东精密机械有限公司",
        "claims": ["wages", "hours"],
        "claim_detail": "拖欠加班工资3个月",
        "received_on": date(2025, 3, 1),
        "amount_claimed": "4800",
    }
    values.update(overrides)
    return services.open_dispute(**values)
