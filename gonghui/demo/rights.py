"""Two years of a demo union's rights work: the wage contract negotiated in
four rounds, voted by the congress, signed and filed (seed 篇五: 四轮协商…职代会
表决…签署…备案), the comprehensive and special contracts, yearly execution
checks, dispute mediation cases, legal consultations and quarterly labour-law
supervision. Rows are bulk-inserted with the invariants rights.services keeps:
rounds numbered in date order before the vote, signing after a passing vote,
filing after signing, a settled case confirmed by both parties, days to close
kept on every closed case, a finding with its written recommendation.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from gonghui.democracy.models import Resolution, ResolutionState
from gonghui.members.models import Member, Status
from gonghui.orgs.models import Union, UnionKind
from gonghui.rights.models import (
    Consultation,
    Contract,
    DisputeCase,
    Draft,
    ExecutionCheck,
    MediationSession,
    NegotiationRound,
    SupervisionCheck,
)

SCHOOL_KINDS = {UnionKind.SCHOOL, UnionKind.KINDERGARTEN}
ISSUES = [
    "年度工资增长幅度和调整时间",
    "最低工资标准以上的岗位工资档差",
    "加班工资计发基数、高温津贴",
    "绩效奖金分配办法和福利待遇",
]
QUESTIONS = [
    (
        "contract",
        "劳动合同到期不续签有没有经济补偿？",
        "answered",
        "依法应支付经济补偿，按工作年限计算。",
    ),
    (
        "social_insurance",
        "试用期单位不缴社保是否合法？",
        "answered",
        "试用期包含在劳动合同期限内，应依法缴纳。",
    ),
    (
        "wages",
        "加班工资按什么基数计算？",
        "answered",
        "按劳动合同约定的本人工资标准计算，不得低于最低工资。",
    ),
    ("injury", "上下班途中发生交通事故能否认定工伤？", "referred", ""),
    (
        "women",
        "哺乳期每天有多少哺乳时间？",
        "answered",
        "每天两次、每次30分钟，多胞胎每多一个增加30分钟。",
    ),
    ("dismissal", "单位以业绩差为由辞退，如何维权？", "aid", "已提供法律援助，指导申请劳动仲裁。"),
    ("hours", "综合计算工时制需要审批吗？", "answered", "须经劳动行政部门审批。"),
]
AREAS = ["wages_on_time", "hours", "social_insurance", "women", "safety"]


def _day(rng, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


@transaction.atomic
def fill(*, union: Union, rng: random.Random, today: date, actor) -> None:
    school = union.kind in SCHOOL_KINDS
    members = list(
        Member.objects.filter(union=union, status=Status.ACTIVE).only("id", "name").order_by("pk")
    )
    if not members:
        return
    last = today.year - 1
    employer = union.name.removesuffix("工会").removesuffix("委员会") or union.name
    people = rng.sample(members, min(len(members), 12))
    chief = people[0].name
    reps = "、".join(m.name for m in people[1:5]) or chief

    contracts = []
    kinds = [("wage", "工资专项集体合同", Decimal(rng.choice(("4.50", "5.00", "5.50", "6.00"))))]
    kinds.append(("comprehensive", "集体合同", None))
    if not school or rng.random() < 0.5:
        kinds.append(("women", "女职工权益保护专项集体合同", None))
    if not school:
        kinds.append(("safety", "劳动安全卫生专项集体合同", None))
    # Where the congress voted the wage agreement (demo.democracy), the wage
    # contract takes its vote from that resolution.
    congress_vote = (
        Resolution.objects.filter(
            union=union,
            state=ResolutionState.PASSED,
            agenda_item__title__contains="工资专项集体协议",
            session__date__year=last,
            session__date__gt=date(last, 2, 22),
        )
        .select_related("session")
        .first()
    )
    for i, (kind, name, increase) in enumerate(kinds):
        vote = date(last, 3, rng.randint(5, 20) - i)
        linked = congress_vote if kind == "wage" else None
        if linked is not None:
            vote = linked.session.date
        signed = vote + timedelta(days=rng.randint(3, 10))
        filed = signed + timedelta(days=rng.randint(5, 15))
        contracts.append(
            Contract(
                union=union,
                kind=kind,
                title=f"{employer}{last}—{last + 2}年{name}",
                employer=employer,
                union_chief=chief,
                employer_chief="行政负责人",
                starts_on=date(last, 4, 1),
                ends_on=date(last + 2, 3, 31),
                workers_covered=len(members),
                wage_increase=increase,
                vote_on=vote,
                votes_for=linked.votes_for if linked else max(1, len(members) // 20) * 9,
                votes_against=linked.votes_against if linked else rng.randint(0, 2),
                votes_abstain=linked.votes_abstain if linked else rng.randint(0, 3),
                vote_passed=True,
                resolution=linked,
                signed_on=signed if signed <= today else None,
                filed_with="区人力资源和社会保障局" if filed <= today else "",
                filed_on=filed if filed <= today and signed <= today else None,
                created_by=actor,
            )
        )
    Contract.objects.bulk_create(contracts)
    rounds, drafts, checks = [], [], []
    for contract in contracts:
        number_of_rounds = 4 if contract.kind == "wage" else rng.randint(2, 3)
        for n in range(1, number_of_rounds + 1):
            held = date(last, 1, 8) + timedelta(days=14 * (n - 1) + rng.randint(0, 3))
            rounds.append(
                NegotiationRound(
                    union=union,
                    contract=contract,
                    number=n,
                    held_on=held,
                    union_side=f"首席代表{chief}，职工代表{reps}",
                    employer_side="行政负责人、人力资源部负责人、财务部负责人",
                    issues=ISSUES[(n - 1) % len(ISSUES)],
                    minutes=f"第{n}轮协商，双方就{ISSUES[(n - 1) % len(ISSUES)]}充分交换意见。",
                    agreed="工资年增幅按约定执行" if n == number_of_rounds else "",
                    created_by=actor,
                )
            )
        for v in (1, 2):
            drafts.append(
                Draft(
                    union=union,
                    contract=contract,
                    version=v,
                    prepared_on=date(last, 2, 20 + v),
                    text=f"{contract.title}（第{v}稿）",
                    note="根据职工代表意见修改" if v == 2 else "",
                    created_by=actor,
                )
            )
        for year in (last, today.year):
            checked = date(year, 12, 15) if year == last else date(year, 6, 20)
            if contract.signed_on is None or checked > today or checked < contract.signed_on:
                continue
            fulfilled = rng.random() < 0.85
            checks.append(
                ExecutionCheck(
                    union=union,
                    contract=contract,
                    year=year,
                    checked_on=checked,
                    clause="工资支付与增长条款" if contract.kind == "wage" else "休息休假条款",
                    finding="已按合同约定执行" if fulfilled else "个别部门未按时落实",
                    fulfilled=fulfilled,
                    follow_up="" if fulfilled else "已发函督促，限期一个月整改",
                    created_by=actor,
                )
            )
    NegotiationRound.objects.bulk_create(rounds)
    Draft.objects.bulk_create(drafts)
    ExecutionCheck.objects.bulk_create(checks)

    cases, sessions = [], []
    yearly_cases = 0 if school and rng.random() < 0.6 else max(1, min(12, len(members) // 400))
    for year in (last, today.year):
        end = date(year, 12, 31) if year == last else today
        for _ in range(yearly_cases):
            received = _day(rng, date(year, 1, 5), end)
            applicant = rng.choice(members)
            outcome = rng.choices(["settled", "failed", "withdrawn"], [7, 2, 1])[0]
            days = rng.choice((3, 5, 7, 9, 12, 14, 18))
            closed = received + timedelta(days=days)
            if closed > today:
                outcome, closed, days = "open", None, None
            settled = outcome == "settled"
            cases.append(
                DisputeCase(
                    union=union,
                    applicant=applicant.name,
                    member=applicant,
                    respondent=employer,
                    claims=rng.sample(
                        ["wages", "hours", "social_insurance", "dismissal", "injury"], 1
                    ),
                    claim_detail="要求补发加班工资及相应补偿",
                    amount_claimed=Decimal(rng.randrange(1000, 30000, 100)),
                    received_on=received,
                    mediators="劳动争议调解委员会",
                    outcome=outcome,
                    closed_on=closed,
                    days_to_close=days,
                    agreement="单位于十日内支付争议款项，申请人放弃其他请求" if settled else "",
                    applicant_confirmed=settled,
                    respondent_confirmed=settled,
                    arbitration_advised=outcome == "failed",
                    close_note="申请人与单位自行和解后撤回" if outcome == "withdrawn" else "",
                    created_by=actor,
                )
            )
    DisputeCase.objects.bulk_create(cases)
    for case in cases:
        sessions.append(
            MediationSession(
                union=union,
                case=case,
                held_on=min(today, case.received_on + timedelta(days=2)),
                attendees=f"{case.applicant}、单位代表、调解员",
                notes="听取双方陈述，释明相关法律规定",
                created_by=actor,
            )
        )
    MediationSession.objects.bulk_create(sessions)

    consultations = []
    per_year = 6 if school else max(8, min(60, len(members) // 100))
    for year in (last, today.year):
        end = date(year, 12, 31) if year == last else today
        for _ in range(per_year if year == last else per_year * today.timetuple().tm_yday // 366):
            topic, question, outcome, answer = rng.choice(QUESTIONS)
            asker = rng.choice(members)
            consultations.append(
                Consultation(
                    union=union,
                    asker=asker.name,
                    member=asker,
                    asked_on=_day(rng, date(year, 1, 2), end),
                    topic=topic,
                    question=question,
                    answer=answer,
                    referred_to="区职工法律援助工作站" if outcome == "referred" else "",
                    outcome=outcome,
                    handled_by="工会法律服务志愿者",
                    created_by=actor,
                )
            )
    Consultation.objects.bulk_create(consultations)

    supervision = []
    for year in (last, today.year):
        for quarter in range(4):
            checked = date(year, quarter * 3 + 2, rng.randint(10, 25))
            if checked > today:
                continue
            compliant = rng.random() < 0.75
            resolved = checked + timedelta(days=rng.randint(10, 40))
            supervision.append(
                SupervisionCheck(
                    union=union,
                    area=AREAS[quarter % len(AREAS)] if year == last else rng.choice(AREAS),
                    checked_on=checked,
                    finding="抽查未发现问题" if compliant else "个别岗位存在未按时足额落实的情况",
                    compliant=compliant,
                    recommendation="" if compliant else "请于一个月内整改并书面答复工会",
                    recommended_on=None if compliant else checked + timedelta(days=2),
                    response="" if compliant or resolved > today else "已整改完毕",
                    responded_on=None if compliant or resolved > today else resolved,
                    resolved_on=None if compliant or resolved > today else resolved,
                    created_by=actor,
                )
            )
    SupervisionCheck.objects.bulk_create(supervision)
