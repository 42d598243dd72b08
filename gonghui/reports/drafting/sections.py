"""One writer per area. Each returns a Section, or None when the period holds
no records of that area (a section is never filled with filler).

Writers only ask the registry (through the Context) for figures, and look at
the records behind a figure for the names the seeds quote: the largest
activities, results, campaigns, resolutions, elections, honours.
"""

from django.db.models import Sum

from gonghui.reports.drafting.core import Context, Section, names, quoted


def _clause(ctx: Context, key: str, *before_after) -> list:
    """[before, fig, after] when the metric is installed and positive, else []."""
    if not ctx.positive(key):
        return []
    before, after = (before_after + ("",))[:2]
    return [before, ctx.fig(key), after]


def members(ctx: Context) -> Section | None:
    if not ctx.positive("members.at_end"):
        return None
    s = Section(
        ctx.pick(
            "加强组织建设，夯实工会工作基础",
            "健全组织体系，扩大工会组织覆盖面",
            "抓好自身建设，增强工会组织凝聚力",
        )
    )
    p = [
        ctx.pick("截至", "到"),
        f"{ctx.period.end.month}月底" if ctx.period.end.day >= 28 else "本期末",
        "，本会共有会员",
        ctx.fig("members.at_end"),
    ]
    p += ctx.yoy("members.at_end")
    if ctx.positive("members.women"):
        p += [
            "，其中女会员",
            ctx.fig("members.women"),
            "，占会员总数的",
            ctx.fig("members.women_share"),
        ]
    if ctx.positive("members.membership_rate"):
        p += [
            ctx.pick(f"；{ctx.staff_word}入会率达到", "；入会率为"),
            ctx.fig("members.membership_rate"),
        ]
    p.append("。")
    s.points.append(p)
    if ctx.positive("members.joined") or ctx.positive("members.left"):
        q = []
        if ctx.positive("members.joined"):
            q += [
                ctx.pick("本期新吸收会员", "坚持应入尽入，本期发展新会员", "新入会会员"),
                ctx.fig("members.joined"),
            ]
        if ctx.positive("members.left"):
            q += [
                "，" if q else "",
                ctx.pick("因调出、退休等原因减少会员", "办理会员调出、退休等手续"),
                ctx.fig("members.left"),
            ]
        q.append(ctx.pick("，会员名册做到及时更新。", "，会籍管理动态更新、账实相符。"))
        s.points.append(q)
    return s


def democracy(ctx: Context) -> Section | None:
    keys = (
        "democracy.sessions_held",
        "democracy.proposals_submitted",
        "democracy.elections_held",
        "democracy.evaluations_held",
    )
    if not any(ctx.positive(k) for k in keys):
        return None
    congress = "教代会" if ctx.school else "职代会"
    s = Section(
        ctx.pick(
            f"坚持和完善{congress}制度，推进民主管理",
            "加强民主管理，落实职工的知情权、参与权、表达权和监督权",
            f"以{congress}为载体，扎实推进民主管理",
        )
    )
    if ctx.positive("democracy.sessions_held"):
        p = [
            ctx.pick("本期共召开", "一年来先后召开", "全年召开"),
            congress,
            "会议",
            ctx.fig("democracy.sessions_held"),
        ]
        if ctx.positive("democracy.attendance_rate"):
            p += ["，代表出席率", ctx.fig("democracy.attendance_rate")]
        resolutions = list(ctx.records("democracy.resolutions_passed")[:3])
        if resolutions:
            p += [
                ctx.pick("。会议审议通过了", "。会上代表们认真审议，表决通过了"),
                names(resolutions),
                "等决议",
                ctx.fig("democracy.resolutions_passed"),
            ]
        p.append(ctx.pick("，充分体现了民主。", "，重大事项均提交大会审议。", "。"))
        s.points.append(p)
    if ctx.positive("democracy.elections_held"):
        elections = list(ctx.records("democracy.elections_held")[:2])
        p = [
            ctx.pick("依照《工会法》和《基层工会选举条例》，", "严格按照选举程序，"),
            "以无记名投票方式进行了",
            names(elections),
            "，共举行选举",
            ctx.fig("democracy.elections_held"),
        ]
        if ctx.positive("democracy.election_turnout"):
            p += ["，投票率", ctx.fig("democracy.election_turnout")]
        p.append("。")
        s.points.append(p)
    if ctx.positive("democracy.proposals_submitted"):
        p = [
            ctx.pick("抓好提案工作，", "重视代表提案的征集和督办，", "提案工作有序推进，"),
            "本期共收到代表提案",
            ctx.fig("democracy.proposals_submitted"),
        ]
        p += ctx.yoy("democracy.proposals_submitted")
        p += _clause(ctx, "democracy.proposals_accepted", "，立案")
        p += _clause(ctx, "democracy.proposals_replied", "，已书面答复")
        p += _clause(ctx, "democracy.proposal_on_time_rate", "，按期答复率")
        p += _clause(ctx, "democracy.proposals_completed", "，办结")
        p += _clause(ctx, "democracy.proposal_satisfaction_rate", "，代表满意率")
        p.append("。")
        s.points.append(p)
    if ctx.positive("democracy.evaluations_held"):
        p = ["组织开展民主评议领导干部", ctx.fig("democracy.evaluations_held")]
        p += _clause(ctx, "democracy.evaluation_raters", "，参加评议", "")
        p += _clause(ctx, "democracy.evaluation_excellent_rate", "，评议优秀率")
        p.append(ctx.pick("，评议结果向全体代表通报。", "。"))
        s.points.append(p)
    return s


def disclosure(ctx: Context) -> Section | None:
    if not ctx.positive("disclosure.posts"):
        return None
    word = "校务公开" if ctx.school else "厂务公开"
    s = Section(
        ctx.pick(
            f"深化{word}，自觉接受会员监督",
            f"推进{word}和会务公开，促进管理透明化",
        )
    )
    kinds = [name for name, _ in ctx.by("disclosure.posts", 4)]
    p = [
        ctx.pick("通过公开栏、网上平台等渠道，", "依托公开专栏和手机平台，"),
        "本期公开",
        "、".join(kinds) if kinds else "各类",
        "等事项",
        ctx.fig("disclosure.posts"),
    ]
    p += _clause(ctx, "disclosure.reads", "，会员阅读")
    p += _clause(ctx, "disclosure.read_rate", "，阅读率")
    p.append("。")
    s.points.append(p)
    if ctx.positive("disclosure.feedback"):
        q = ["会员对公开内容提出问题和意见", ctx.fig("disclosure.feedback")]
        q += _clause(ctx, "disclosure.feedback_answered", "，已答复")
        q += _clause(ctx, "disclosure.answer_rate", "，答复率")
        q.append(ctx.pick("，做到件件有回音。", "。"))
        s.points.append(q)
    return s


def voice(ctx: Context) -> Section | None:
    if not ctx.positive("voice.collected"):
        return None
    s = Section(
        ctx.pick(
            "畅通职工诉求渠道，倾听职工心声",
            "广泛征集意见建议，发挥职工主人翁作用",
            "拓宽职工建言渠道，做职工的贴心人",
        )
    )
    p = [
        ctx.pick("依托工会小组联络员，", "通过意见箱、小组会和手机端，"),
        "共收集",
        ctx.staff_word,
        "意见和建议",
        ctx.fig("voice.collected"),
    ]
    p += ctx.yoy("voice.collected")
    p += _clause(ctx, "voice.valid", "，其中有效意见")
    p += _clause(ctx, "voice.implemented", "，已落实")
    p += _clause(ctx, "voice.implementation_rate", "，落实率")
    p.append("。")
    s.points.append(p)
    if ctx.positive("voice.suggestions"):
        q = [
            ctx.pick("开展合理化建议和“金点子”征集，收到建议", "“金点子”活动收到合理化建议"),
            ctx.fig("voice.suggestions"),
        ]
        q += _clause(ctx, "voice.rewarded", "，对其中", "给予奖励")
        q += _clause(ctx, "voice.reward_amount", "，发放奖励")
        q.append("。")
        s.points.append(q)
    return s


def safety(ctx: Context) -> Section | None:
    keys = (
        "safety.hazards_reported",
        "safety.drills",
        "safety.contests",
        "safety.inspections_done",
    )
    if not any(ctx.positive(k) for k in keys):
        return None
    s = Section(
        ctx.pick(
            "落实劳动保护，筑牢安全生产防线",
            "发挥群众安全监督作用，守护职工生命安全和职业健康",
            "坚持安全第一，扎实开展群众性安全工作",
        )
    )
    if ctx.positive("safety.hazards_reported"):
        p = [
            ctx.pick("群监员和职工填写隐患卡，", "坚持隐患“发现—整改—验收”闭环管理，"),
            "本期共上报隐患",
            ctx.fig("safety.hazards_reported"),
        ]
        p += ctx.yoy("safety.hazards_reported")
        p += _clause(ctx, "safety.hazards_rectified", "，完成整改")
        p += _clause(ctx, "safety.rectification_rate", "，整改率")
        p += _clause(ctx, "safety.hazards_verified", "，验收通过")
        p.append("。")
        s.points.append(p)
    if ctx.positive("safety.inspections_done"):
        p = ["劳动保护监督检查委员会按月深入现场检查", ctx.fig("safety.inspections_done")]
        p += _clause(ctx, "safety.inspection_findings", "，发现问题", "，及时反馈行政督促整改")
        p.append("。")
        s.points.append(p)
    if ctx.positive("safety.drills"):
        kinds = [name for name, _ in ctx.by("safety.drills", 3)]
        p = ["组织", "、".join(kinds) + "等" if kinds else "", "安全演练", ctx.fig("safety.drills")]
        p += _clause(ctx, "safety.drill_participants", "，参加", "")
        p += _clause(ctx, "safety.drill_participation", "，参与率")
        p.append("。")
        s.points.append(p)
    if ctx.positive("safety.contests"):
        p = ["举办安全知识竞赛", ctx.fig("safety.contests")]
        p += _clause(ctx, "safety.contest_participants", "，参赛")
        p += _clause(ctx, "safety.contest_coverage", "，覆盖率")
        p.append(ctx.pick("，营造了人人讲安全、事事讲安全的氛围。", "。"))
        s.points.append(p)
    return s


def rights(ctx: Context) -> Section | None:
    keys = (
        "rights.rounds_held",
        "rights.contracts_signed",
        "rights.disputes_received",
        "rights.consultations",
        "rights.supervision_checks",
    )
    if not any(ctx.positive(k) for k in keys):
        return None
    s = Section(
        ctx.pick(
            "依法履行维护职能，构建和谐劳动关系",
            "深化集体协商，切实维护职工合法权益",
        )
    )
    if ctx.positive("rights.rounds_held") or ctx.positive("rights.contracts_signed"):
        p = ["推进工资集体协商"]
        p += _clause(ctx, "rights.rounds_held", "，召开协商会议")
        contracts = list(ctx.records("rights.contracts_signed")[:2])
        if contracts:
            p += ["，签订", names(contracts), "，新签集体合同", ctx.fig("rights.contracts_signed")]
        p += _clause(ctx, "rights.wage_increase", "，约定工资增长幅度")
        p.append("。")
        s.points.append(p)
    if ctx.positive("rights.disputes_received"):
        p = ["劳动争议调解委员会受理争议", ctx.fig("rights.disputes_received")]
        p += _clause(ctx, "rights.disputes_settled", "，调解成功")
        p += _clause(ctx, "rights.dispute_success_rate", "，调解成功率")
        p.append("。")
        s.points.append(p)
    if ctx.positive("rights.consultations") or ctx.positive("rights.legal_aid"):
        p = ["为职工提供法律咨询"]
        p += [ctx.fig("rights.consultations")] if ctx.positive("rights.consultations") else ["服务"]
        p += _clause(ctx, "rights.legal_aid", "，提供法律援助")
        p.append("。")
        s.points.append(p)
    if ctx.positive("rights.supervision_checks"):
        p = ["开展劳动法律监督检查", ctx.fig("rights.supervision_checks")]
        p += _clause(ctx, "rights.supervision_findings", "，发现问题")
        p += _clause(ctx, "rights.supervision_resolved", "，已解决")
        p.append("。")
        s.points.append(p)
    return s


def learning(ctx: Context) -> Section | None:
    keys = (
        "learning.trainings",
        "learning.exam_sittings",
        "learning.contests",
        "learning.daily_answers",
    )
    if not any(ctx.positive(k) for k in keys):
        return None
    s = Section(
        ctx.pick(
            "开展学习培训和岗位练兵，提升职工素质",
            "打响素质提升攻坚战，建设学习型组织",
            "加强学习培训，促进职工业务素质提高",
        )
    )
    if ctx.positive("learning.trainings"):
        kinds = [name for name, _ in ctx.by("learning.trainings", 3)]
        p = [
            "举办",
            "、".join(kinds) + "等" if kinds else "",
            "培训",
            ctx.fig("learning.trainings"),
        ]
        p += _clause(ctx, "learning.training_hours", "，累计")
        p += _clause(ctx, "learning.attendances", "，参训")
        p.append("。")
        s.points.append(p)
    if ctx.positive("learning.daily_answers"):
        s.points.append(
            [
                "坚持“每日一题”，答题",
                ctx.fig("learning.daily_answers"),
                ctx.pick("，用时短、记得牢。", "。"),
            ]
        )
    if ctx.positive("learning.exam_sittings"):
        p = ["组织应知应会考试，参考", ctx.fig("learning.exam_sittings")]
        p += _clause(ctx, "learning.pass_rate", "，合格率")
        p += _clause(ctx, "learning.awareness_rate", "，知晓率")
        p.append("。")
        s.points.append(p)
    if ctx.positive("learning.contests"):
        p = ["开展技能竞赛", ctx.fig("learning.contests")]
        p += _clause(ctx, "learning.contest_entrants", "，参赛")
        p += _clause(ctx, "learning.qualifications", "，职工取得资格证书")
        p.append("。")
        s.points.append(p)
    return s


def activities(ctx: Context) -> Section | None:
    if not ctx.positive("activities.held"):
        return None
    s = Section(
        ctx.pick(
            f"开展丰富多彩的文体活动，愉悦{ctx.staff_word}身心",
            "活跃职工文化生活，增强集体凝聚力",
            f"以活动为载体，丰富{ctx.staff_word}业余生活",
        )
    )
    kinds = [name for name, _ in ctx.by("activities.held", 4)]
    p = [
        ctx.pick("本期共组织", "围绕中心工作，先后开展", "全年组织"),
        "、".join(kinds) + "等" if kinds else "",
        "各类活动",
        ctx.fig("activities.held"),
    ]
    p += ctx.yoy("activities.held")
    p += _clause(ctx, "activities.participants", "，参加")
    p += _clause(ctx, "activities.participation_rate", "，参与率")
    p.append("。")
    s.points.append(p)
    largest = ctx.by("activities.participants", 3)
    if largest:
        s.points.append(
            [
                ctx.pick("其中", "影响较大的有", "规模较大的活动有"),
                names(name for name, _ in largest),
                ctx.pick("等，", "，"),
                "“" + largest[0][0] + "”" + ctx.pick("参加人数最多。", "反响最为热烈。"),
            ]
        )
    if ctx.positive("activities.results"):
        results = ctx.records("activities.results").select_related("activity", "group", "member")
        p = ["活动中评出获奖", ctx.fig("activities.results")]
        text = _results_text(results.order_by("activity__starts_at", "award_level", "pk")[:8])
        if text:
            p += ["。其中", text]
        p += _clause(ctx, "activities.prize_cost", "。奖品费用共计" if text else "，奖品支出")
        p.append("。")
        s.points.append(p)
    return s


def _results_text(results) -> str:
    """烹饪巧手赛中，张子获一等奖，许春芝、张花花获二等奖 — grouped by contest and award."""
    by_activity: dict = {}
    for r in results:
        levels = by_activity.setdefault(str(r.activity.title), {})
        levels.setdefault(r.get_award_level_display(), []).append(str(r.group or r.member))
    parts = []
    for title, levels in list(by_activity.items())[:2]:
        winners = "，".join(f"{'、'.join(names[:3])}获{level}" for level, names in levels.items())
        parts.append(f"{quoted(title)}中，{winners}")
    return "；".join(parts)


def honors(ctx: Context) -> Section | None:
    keys = ("honors.awards", "honors.model_workers_new", "honors.assessments_published")
    if not any(ctx.positive(k) for k in keys):
        return None
    s = Section(
        ctx.pick(
            "评先评优，发挥先进典型示范引领作用",
            "选树先进典型，营造学先进、当先进的氛围",
        )
    )
    if ctx.positive("honors.awards"):
        kinds = [name for name, _ in ctx.by("honors.awards", 3)]
        p = ["评选", "、".join(kinds) + "等" if kinds else "", "先进", ctx.fig("honors.awards")]
        p += _clause(ctx, "honors.individual_awards", "，其中先进个人")
        p.append("。")
        s.points.append(p)
    if ctx.positive("honors.model_workers_new"):
        workers = [str(w) for w in ctx.records("honors.model_workers_new")[:3]]
        p = ["新获劳模称号", ctx.fig("honors.model_workers_new")]
        if workers:
            p += ["（", "、".join(workers), "）"]
        p.append("，为企业赢得了荣誉。" if not ctx.school else "，为学校赢得了荣誉。")
        s.points.append(p)
    if ctx.positive("honors.assessments_published"):
        first = ctx.by("honors.groups_ranked_first", 2)
        p = ["按细则对各班组考核打分，公布考核结果", ctx.fig("honors.assessments_published")]
        if first:
            p += ["，", "、".join(n for n, _ in first), "多次位列第一"]
        p.append("。")
        s.points.append(p)
    return s


def care(ctx: Context) -> Section | None:
    keys = (
        "care.visits",
        "care.assistance_amount",
        "care.donations_total",
        "care.gifts_total",
        "care.school_aid_granted",
    )
    if not any(ctx.positive(k) for k in keys):
        return None
    s = Section(
        ctx.pick(
            "坚持实施送温暖工程，为职工办实事、解难事",
            "关心职工生活，做职工的贴心人",
            "情系职工，扎实做好帮扶慰问工作",
        )
    )
    if ctx.positive("care.visits"):
        kinds = [name for name, _ in ctx.by("care.visits", 3)]
        p = [
            ctx.pick("职工有红白喜事、生病住院，工会都及时上门看望。", "坚持“有事必访”。"),
            "本期开展",
            "、".join(kinds) + "等" if kinds else "",
            "慰问",
            ctx.fig("care.visits"),
        ]
        p += _clause(ctx, "care.members_visited", "，慰问会员")
        p += _clause(ctx, "care.visit_amount", "，送去慰问金")
        p.append("。")
        s.points.append(p)
    if ctx.positive("care.hardship_open") or ctx.positive("care.assistance_amount"):
        p = ["建立困难职工档案"]
        p += _clause(ctx, "care.hardship_open", "，在档")
        p += _clause(ctx, "care.hardship_review_coverage", "，复核率")
        p += _clause(ctx, "care.assistance_amount", "，发放帮扶金")
        p.append("。")
        s.points.append(p)
    if ctx.positive("care.donations_total"):
        campaigns = list(
            ctx.records("care.donations_total")
            .values("campaign__purpose")
            .annotate(total=Sum("amount"))
            .order_by("-total")[:2]
        )
        p = [ctx.pick("发出献爱心倡议，", "组织会员献爱心，")]
        if campaigns:
            p += ["为", names(c["campaign__purpose"] for c in campaigns), "等"]
        p += ["募集捐款", ctx.fig("care.donations_total")]
        p += _clause(ctx, "care.donors", "，捐款")
        p += _clause(ctx, "care.fund_contribution", "，工会经费资助")
        p += _clause(ctx, "care.delivered", "，已交付")
        p.append("。")
        s.points.append(p)
    if ctx.positive("care.gifts_total"):
        p = [
            ctx.pick(
                "在春节、中秋等传统节日为会员发放慰问品和慰问金", "逢年过节为会员发放节日慰问"
            ),
            ctx.fig("care.gifts_total"),
        ]
        p += _clause(ctx, "care.gift_recipients", "，惠及")
        p.append("。")
        s.points.append(p)
    if ctx.positive("care.school_aid_granted"):
        p = ["开展“金秋助学”，资助会员子女", ctx.fig("care.school_aid_granted")]
        p += _clause(ctx, "care.school_aid_amount", "，发放助学金")
        p.append("。")
        s.points.append(p)
    return s


def women(ctx: Context) -> Section | None:
    keys = ("women.checkups_done", "women.insured", "women.protection_open")
    if not any(ctx.positive(k) for k in keys):
        return None
    s = Section(
        ctx.pick(
            "维护女职工特殊权益，做好女职工工作",
            "突出女工组织特色，落实女职工专项劳动保护",
        )
    )
    if ctx.positive("women.women_members"):
        p = ["现有女会员", ctx.fig("women.women_members")]
        p += _clause(ctx, "women.women_share", "，占会员总数的")
        p.append("。")
        s.points.append(p)
    if ctx.positive("women.checkups_done"):
        p = ["组织女职工健康体检和妇科病普查", ctx.fig("women.checkups_done")]
        p += _clause(ctx, "women.checkup_coverage", "，覆盖率")
        p.append("，帮助女职工及时掌握身体状况。")
        s.points.append(p)
    if ctx.positive("women.insured"):
        p = ["为女职工办理专项保险", ctx.fig("women.insured")]
        p += _clause(ctx, "women.insurance_premium", "，工会支付保费")
        p.append("。")
        s.points.append(p)
    if ctx.positive("women.protection_open"):
        s.points.append(
            [
                "落实“四期”保护，在册保护",
                ctx.fig("women.protection_open"),
                "，协调做好岗位和工作安排。",
            ]
        )
    return s


def finance(ctx: Context) -> Section | None:
    if not (ctx.positive("finance.expenditure_total") or ctx.positive("finance.income_total")):
        return None
    s = Section(
        ctx.pick(
            "管好用好工会经费，把每一分钱花在必要之处",
            "规范经费管理，保障各项工作开展",
        )
    )
    if ctx.positive("finance.income_total"):
        p = ["本期工会经费收入", ctx.fig("finance.income_total")]
        p += _clause(ctx, "finance.expenditure_total", "，支出")
    else:
        p = ["本期工会经费支出", ctx.fig("finance.expenditure_total")]
    p += _clause(ctx, "finance.expenditure.activities", "，其中职工活动支出")
    p += _clause(ctx, "finance.budget_execution", "，预算执行率")
    p.append("。")
    s.points.append(p)
    if ctx.positive("finance.dues_collected"):
        q = ["收缴会费", ctx.fig("finance.dues_collected")]
        q += _clause(ctx, "finance.dues_collection_rate", "，收缴率")
        q.append("，经费收支接受经审委员会审查并向会员公开。")
        s.points.append(q)
    return s


WRITERS = {
    "members": members,
    "democracy": democracy,
    "disclosure": disclosure,
    "voice": voice,
    "safety": safety,
    "rights": rights,
    "learning": learning,
    "activities": activities,
    "honors": honors,
    "care": care,
    "women": women,
    "finance": finance,
}
