"""Write a month's newsletter (工会简报) from the records: one item per notable
record or kind of record, each a headline and a paragraph or two, a lead that
sums the month up, and the photos kept beside the records.

Figures come from the metrics registry through the drafting Context, so they
render as links to their records exactly as in a summary report. A writer
returns no item when the month holds no record of its kind: a month with no
records yields no items and a lead that says so.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, Sum
from django.utils import timezone

from gonghui.attachments.models import Attachment, FileType
from gonghui.periods import Period
from gonghui.reports.drafting.core import Context, Fig, Paragraph, day_text, names, quoted
from gonghui.reports.drafting.sections import _clause, _results_text

KIND = "newsletter"
PHOTOS_PER_ITEM = 3


@dataclass
class ItemDraft:
    area: str
    headline: str
    paragraphs: list[Paragraph]
    gist: Paragraph  # a clause of the lead, e.g. ["开展各类活动", fig]
    records: list = field(default_factory=list)  # (record, caption) whose photos may be shown


@dataclass
class NewsletterDraft:
    union: object
    month: date
    period: Period
    title: str
    lead: Paragraph
    items: list[ItemDraft]
    figures: list[Fig]
    empty: bool = False


def month_period(month: date) -> Period:
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return Period(first, following - timedelta(days=1))


def short_day(d: date) -> str:
    return f"{d.month}月{d.day}日"


def masthead(union) -> str:
    """《实验学校工会简报》: the union's name with 简报 (工会 added when the name lacks it)."""
    name = union.name
    return f"{name}简报" if name.endswith("工会") else f"{name}工会简报"


def sentence(text: str, limit: int = 60) -> str:
    """The first sentence of a free-text field, cut at `limit` characters."""
    text = " ".join((text or "").split())
    for mark in "。；！？\n":
        if mark in text:
            text = text.split(mark, 1)[0]
    text = text.rstrip("，,、；;：: ")
    return text if len(text) <= limit else text[:limit].rstrip("，,、") + "……"


def kinds_text(kinds: list[str]) -> str:
    """竞赛、文体等 for several kinds, 竞赛 for one, nothing for none."""
    return "、".join(kinds) + ("等" if len(kinds) > 1 else "")


# Writers ------------------------------------------------------------------------------


def democracy(ctx: Context) -> list[ItemDraft]:
    items = []
    congress = "教代会" if ctx.school else "职代会"
    if ctx.positive("democracy.sessions_held"):
        sessions = list(ctx.records("democracy.sessions_held").order_by("date", "pk")[:2])
        first = sessions[0]
        p = [
            f"{short_day(first.date)}，",
            str(first),
            f"在{first.place}召开" if first.place else "召开",
        ]
        p += _clause(ctx, "democracy.attendance_rate", "，代表出席率")
        resolutions = list(
            ctx.records("democracy.resolutions_passed").order_by("session__date")[:3]
        )
        if resolutions:
            p += [
                ctx.pick("。会议审议并表决通过了", "。与会代表认真审议，表决通过了"),
                names(resolutions),
                "等决议",
                ctx.fig("democracy.resolutions_passed"),
            ]
        p.append("。")
        paragraphs = [p]
        if len(sessions) > 1:
            paragraphs.append(
                ["本月共召开", congress, "会议", ctx.fig("democracy.sessions_held"), "。"]
            )
        if any(s.published_at for s in sessions):
            paragraphs.append(["会议表决结果已向全体代表和会员公开。"])
        items.append(
            ItemDraft(
                "democracy",
                ctx.pick(f"{first}胜利召开", f"{first}顺利召开"),
                paragraphs,
                ["召开", congress, "会议", ctx.fig("democracy.sessions_held")],
            )
        )
    if ctx.positive("democracy.elections_held"):
        elections = list(ctx.records("democracy.elections_held")[:2])
        p = [
            ctx.pick("依照《工会法》和《基层工会选举条例》，", "严格按照选举程序，"),
            "本月以无记名投票方式进行了",
            names(elections),
            "，共举行选举",
            ctx.fig("democracy.elections_held"),
        ]
        p += _clause(ctx, "democracy.election_turnout", "，投票率")
        p.append("，计票结果和回执码已公布，会员可自行核对。")
        items.append(
            ItemDraft(
                "democracy",
                f"{names(elections[:1])}顺利完成",
                [p],
                ["举行选举", ctx.fig("democracy.elections_held")],
            )
        )
    return items


def activities(ctx: Context) -> list[ItemDraft]:
    if not ctx.positive("activities.held"):
        return []
    held = (
        ctx.records("activities.held")
        .annotate(present=Count("attendances"))
        .order_by("-present", "starts_at", "pk")
    )
    largest = [a for a in held[:2] if a.present] or list(held[:1])
    results = ctx.records("activities.results").select_related("activity", "group", "member")
    items = []
    for i, activity in enumerate(largest):
        day = timezone.localtime(activity.starts_at).date()
        p = [f"{short_day(day)}，", ctx.we]
        if activity.place:
            p.append(f"在{activity.place}")
        p += ["举办", quoted(activity.title)]
        if activity.present:
            p.append(f"，{activity.present}名{ctx.staff_word}参加")
        won = _results_text(results.filter(activity=activity).order_by("award_level", "pk")[:8])
        p.append(f"。{won}。" if won else "。")
        paragraphs = [p]
        if i == 0:
            kinds = [name for name, _ in ctx.by("activities.held", 3)]
            q = ["本月共开展", kinds_text(kinds), "各类活动", ctx.fig("activities.held")]
            q += _clause(ctx, "activities.participants", "，参加")
            q += _clause(ctx, "activities.participation_rate", "，参与率")
            q += _clause(ctx, "activities.results", "，评出获奖")
            q.append("。")
            paragraphs.append(q)
        headline = ctx.pick(
            f"{quoted(activity.title)}成功举办",
            f"{quoted(activity.title)}圆满落幕",
            f"{ctx.we}举办{quoted(activity.title)}",
        )
        gist = ["开展各类活动", ctx.fig("activities.held")] if i == 0 else []
        if i == 0 and ctx.positive("activities.participants"):
            gist += ["、参加", ctx.fig("activities.participants")]
        items.append(
            ItemDraft("activities", headline, paragraphs, gist, [(activity, activity.title)])
        )
    return items


def honors(ctx: Context) -> list[ItemDraft]:
    if not ctx.positive("honors.awards"):
        return []
    awards = ctx.records("honors.awards").order_by("kind__name", "pk")
    by_kind: dict[str, list[str]] = {}
    for a in awards[:40]:
        winner = a.member.name if a.member_id else (a.group.name if a.group_id else a.team_name)
        if winner:
            by_kind.setdefault(a.kind.name, []).append(winner)
    kinds = list(by_kind)
    listed = "；".join(
        f"{quoted(kind)}{'、'.join(people[:6])}{'等' if len(people) > 6 else ''}"
        for kind, people in list(by_kind.items())[:3]
    )
    p = [
        ctx.pick("经推荐、评审和公示，", "经各部门推荐、工会评定，"),
        "本月共有",
        ctx.fig("honors.awards"),
        "先进受到表彰",
        f"：{listed}。" if listed else "。",
        ctx.pick("希望受表彰的先进再接再厉，发挥好示范带头作用。", ""),
    ]
    return [
        ItemDraft(
            "honors",
            f"{names(kinds[:2])}评选结果揭晓" if kinds else "本月评先评优结果揭晓",
            [p],
            ["评出先进", ctx.fig("honors.awards")],
        )
    ]


def care(ctx: Context) -> list[ItemDraft]:
    items = []
    if ctx.positive("care.visits"):
        kinds = [name for name, _ in ctx.by("care.visits", 3)]
        p = [
            ctx.pick("职工有难事、喜事，工会都及时上门看望。", "工会坚持“有事必访”。"),
            "本月开展",
            kinds_text(kinds),
            "慰问",
            ctx.fig("care.visits"),
        ]
        p += _clause(ctx, "care.members_visited", "，慰问会员")
        p += _clause(ctx, "care.visit_amount", "，送去慰问金")
        p.append("。")
        visits = list(ctx.records("care.visits").order_by("on", "pk")[:6])
        items.append(
            ItemDraft(
                "care",
                ctx.pick("慰问暖人心，工会在身边", "上门慰问，把关怀送到职工心坎上"),
                [p],
                ["慰问会员", ctx.fig("care.members_visited")]
                if ctx.positive("care.members_visited")
                else ["开展慰问", ctx.fig("care.visits")],
                [(v, f"{short_day(v.on)}{v.get_kind_display()}慰问") for v in visits],
            )
        )
    if ctx.positive("care.donations_total"):
        from gonghui.care.models import DonationCampaign

        totals = list(
            ctx.records("care.donations_total")
            .values("campaign")
            .annotate(total=Sum("amount"))
            .order_by("-total")[:2]
        )
        campaigns = {
            c.pk: c for c in DonationCampaign.objects.filter(pk__in=[t["campaign"] for t in totals])
        }
        drives = [campaigns[t["campaign"]] for t in totals if t["campaign"] in campaigns]
        p = [ctx.pick("工会发出献爱心倡议，", "一方有难、八方支援。"), "本月"]
        if drives:
            p += ["开展", names(d.purpose for d in drives), "爱心捐款，"]
        p += ["共募集善款", ctx.fig("care.donations_total")]
        p += _clause(ctx, "care.donors", "，", "参与捐款")
        p += _clause(ctx, "care.fund_contribution", "，工会经费资助")
        p += _clause(ctx, "care.delivered", "，已交付")
        p.append("。")
        items.append(
            ItemDraft(
                "care",
                ctx.pick("爱心捐款汇聚温暖", "一方有难，八方支援"),
                [p],
                ["募集爱心捐款", ctx.fig("care.donations_total")],
                [(d, d.purpose) for d in drives],
            )
        )
    if ctx.positive("care.school_aid_granted"):
        p = ["开展“金秋助学”，本月资助会员子女", ctx.fig("care.school_aid_granted")]
        p += _clause(ctx, "care.school_aid_amount", "，发放助学金")
        p.append("，帮助困难职工家庭的孩子安心上学。")
        items.append(
            ItemDraft(
                "care",
                "“金秋助学”送温暖",
                [p],
                ["金秋助学", ctx.fig("care.school_aid_granted")],
            )
        )
    if ctx.positive("care.gifts_total"):
        p = ["工会为会员发放节日慰问", ctx.fig("care.gifts_total")]
        p += _clause(ctx, "care.gift_recipients", "，惠及")
        p.append("。")
        items.append(
            ItemDraft(
                "care", "节日慰问送到会员手中", [p], ["发放节日慰问", ctx.fig("care.gifts_total")]
            )
        )
    return items


def safety(ctx: Context) -> list[ItemDraft]:
    items = []
    if ctx.positive("safety.hazards_rectified"):
        p = ["本月"]
        if ctx.positive("safety.hazards_reported"):
            p += ["职工上报安全隐患", ctx.fig("safety.hazards_reported"), "，"]
        p += [
            "完成整改" if len(p) > 1 else "完成安全隐患整改",
            ctx.fig("safety.hazards_rectified"),
        ]
        p += _clause(ctx, "safety.rectification_rate", "，隐患整改率")
        p.append("。")
        paragraphs = [p]
        rank = {"major": 0, "serious": 1, "minor": 2}
        rectified = sorted(
            ctx.records("safety.hazards_rectified").order_by("rectified_on", "pk")[:30],
            key=lambda h: rank.get(h.severity, 3),
        )[:3]
        example = next((h for h in rectified if h.rectification.strip()), None)
        if example is not None:
            paragraphs.append(
                [
                    f"如{example.place}发现的“{sentence(example.description, 30)}”隐患，",
                    f"{sentence(example.rectification, 50)}，",
                    f"于{short_day(example.rectified_on)}整改完毕。",
                ]
            )
        if ctx.positive("safety.hazards_overdue"):
            paragraphs.append(
                [
                    "目前仍有",
                    ctx.fig("safety.hazards_overdue"),
                    "隐患超过整改期限，工会将督促责任部门加快整改。",
                ]
            )
        items.append(
            ItemDraft(
                "safety",
                ctx.pick("隐患整改闭环，筑牢安全防线", "查隐患、抓整改，守护职工安全"),
                paragraphs,
                ["整改安全隐患", ctx.fig("safety.hazards_rectified")],
                [(h, f"{h.place}隐患整改") for h in rectified],
            )
        )
    if ctx.positive("safety.drills"):
        drills = list(ctx.records("safety.drills").order_by("held_on", "pk")[:3])
        kinds = [name for name, _ in ctx.by("safety.drills", 3)]
        named = kinds_text(kinds)
        p = ["本月组织", named if named.rstrip("等").endswith("演练") else named + "应急演练"]
        p.append(ctx.fig("safety.drills"))
        p += _clause(ctx, "safety.drill_participants", "，参加")
        p += _clause(ctx, "safety.drill_participation", "，参与率")
        p.append("，职工的应急处置能力得到检验。")
        items.append(
            ItemDraft(
                "safety",
                "开展应急演练，提升应急处置能力",
                [p],
                ["组织应急演练", ctx.fig("safety.drills")],
                [(d, f"{short_day(d.held_on)}{d.get_kind_display()}演练") for d in drills],
            )
        )
    return items


def learning(ctx: Context) -> list[ItemDraft]:
    if not ctx.positive("learning.trainings"):
        return []
    sessions = list(ctx.records("learning.trainings").order_by("on", "pk")[:3])
    p = ["本月举办", names(s.topic for s in sessions), "等培训", ctx.fig("learning.trainings")]
    p += _clause(ctx, "learning.training_hours", "，累计")
    p += _clause(ctx, "learning.attendances", "，参训")
    p.append("。")
    return [
        ItemDraft(
            "learning",
            ctx.pick("学习培训促提升", "开展职工培训，提升业务素质"),
            [p],
            ["举办培训", ctx.fig("learning.trainings")],
        )
    ]


def rights(ctx: Context) -> list[ItemDraft]:
    if not ctx.positive("rights.contracts_signed"):
        return []
    contracts = list(ctx.records("rights.contracts_signed")[:2])
    p = [
        "经过平等协商，本月签订",
        names(contracts),
        "，新签集体合同",
        ctx.fig("rights.contracts_signed"),
    ]
    p += _clause(ctx, "rights.wage_increase", "，约定工资增长幅度")
    p.append("，职工的合法权益有了制度保障。")
    return [
        ItemDraft(
            "rights",
            f"{names(contracts[:1])}签订",
            [p],
            ["签订集体合同", ctx.fig("rights.contracts_signed")],
        )
    ]


def voice(ctx: Context) -> list[ItemDraft]:
    if not ctx.positive("voice.implemented"):
        return []
    p = ["本月"]
    if ctx.positive("voice.collected"):
        p += ["收集职工意见和建议", ctx.fig("voice.collected"), "，"]
    p += ["落实职工意见", ctx.fig("voice.implemented")]
    p += _clause(ctx, "voice.rewarded", "，其中", "获得奖励")
    p.append("，落实情况已向提出人反馈。")
    return [
        ItemDraft(
            "voice",
            ctx.pick("职工意见件件有回音", "倾听职工心声，落实职工建议"),
            [p],
            ["落实职工意见", ctx.fig("voice.implemented")],
        )
    ]


def disclosure(ctx: Context) -> list[ItemDraft]:
    if not ctx.positive("disclosure.posts"):
        return []
    word = "校务公开" if ctx.school else "厂务公开"
    posts = list(ctx.records("disclosure.posts").order_by("publish_on", "pk")[:3])
    p = [f"本月通过{word}栏和手机平台公开", names(posts), "等事项", ctx.fig("disclosure.posts")]
    p += _clause(ctx, "disclosure.reads", "，会员阅读")
    p += _clause(ctx, "disclosure.feedback_answered", "，答复会员提问")
    p.append("。")
    return [
        ItemDraft(
            "disclosure",
            f"推进{word}，接受会员监督",
            [p],
            ["公开事项", ctx.fig("disclosure.posts")],
            [(post, post.title) for post in posts],
        )
    ]


WRITERS = (democracy, activities, honors, care, safety, learning, rights, voice, disclosure)


# The newsletter ------------------------------------------------------------------------


def _lead(ctx: Context, items: list[ItemDraft]) -> Paragraph:
    month = ctx.period.start
    gists = [item.gist for item in items if item.gist]
    lead = [f"{month.year}年{month.month}月，{ctx.we}"]
    lead.append(
        ctx.pick(
            "围绕中心工作，服务会员群众，",
            f"紧扣{ctx.staff_word}所需，扎实开展各项工作，",
            "",
        )
    )
    for i, gist in enumerate(gists):
        if i:
            lead.append("；" if i % 3 == 0 else "，")
        lead += gist
    lead.append("。本期简报摘要如下。")
    return lead


def write(*, union, month: date) -> NewsletterDraft:
    """The month's newsletter from the records (nothing is saved)."""
    period = month_period(month)
    ctx = Context(union=union, period=period, kind=KIND)
    items: list[ItemDraft] = []
    for writer in WRITERS:
        items += writer(ctx)
    title = f"{period.start.year}年{period.start.month}月工会工作动态"
    if not items:
        return NewsletterDraft(
            union=union,
            month=period.start,
            period=period,
            title=title,
            lead=[
                f"{period.start.year}年{period.start.month}月（{day_text(period.start)}至"
                f"{day_text(period.end)}），系统中没有登记{union.name}的任何工作记录，"
                "本月简报没有可编的内容。请先在各项台账中录入本月的工作记录，再重新生成。"
            ],
            items=[],
            figures=[],
            empty=True,
        )
    return NewsletterDraft(
        union=union,
        month=period.start,
        period=period,
        title=title,
        lead=_lead(ctx, items),
        items=items,
        figures=ctx.figures,
    )


def photo_records(item: ItemDraft):
    """(attachment, caption) of the images kept beside the item's records, up to a few."""
    found = []
    for record, caption in item.records:
        images = Attachment.objects.filter(
            Q(mime_type=FileType.JPEG) | Q(mime_type=FileType.PNG),
            content_type=ContentType.objects.get_for_model(record),
            object_id=record.pk,
            union_id=record.union_id,
        ).order_by("uploaded_at", "pk")
        for attachment in images[: PHOTOS_PER_ITEM - len(found)]:
            found.append((attachment, caption))
        if len(found) >= PHOTOS_PER_ITEM:
            break
    return found
