"""Secret-ballot elections (无记名投票).

Who voted and what was voted are stored apart (DESIGN.md, "Secret ballot"):

- `RollEntry` (election, member, voted): a vote succeeds only if a conditional
  UPDATE flips `voted` from false to true; a unique constraint backs it.
- `Ballot` (random UUID key, election, choices, random receipt): no link to the
  voter, no timestamp, no sequential id, listed by receipt (never in insertion
  order) and not registered with the audit log.

Both are written in one transaction by democracy.services.elections. Nothing
reachable from a Ballot through forward relations leads to a member or an
account: Election itself holds no member, group or user; those hang off it in
separate tables (Candidate, ElectorateGroup, RollEntry, TellerEntry) that a
Ballot cannot reach. tests/test_ballot_schema.py proves it.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from gonghui.orgs.models import ScopedModel

__all__ = [
    "Ballot",
    "Candidate",
    "Election",
    "ElectionKind",
    "ElectionState",
    "Electorate",
    "ElectorateCongress",
    "ElectorateGroup",
    "Method",
    "Channel",
    "RollEntry",
    "TellerEntry",
    "VotingCode",
]


class ElectionKind(models.TextChoices):
    COMMITTEE = "committee", "工会委员会（换届）"
    CHAIR = "chair", "主席、副主席"
    AUDIT = "audit", "经费审查委员会"
    WOMEN = "women", "女职工委员会"
    REPRESENTATIVES = "representatives", "职工（会员）代表"
    OTHER = "other", "其他"


# Kinds for which the rules ask for a competitive (差额) election by default.
COMPETITIVE_KINDS = {ElectionKind.COMMITTEE, ElectionKind.AUDIT, ElectionKind.WOMEN}


class Method(models.TextChoices):
    CHOOSE = "choose", "在候选人中选择，不超过应选名额"
    FOR_AGAINST = "for_against", "对每名候选人投赞成、反对或弃权"


class Channel(models.TextChoices):
    ONLINE = "online", "会员在手机上网上投票"
    CODES = "codes", "会场投票码（现场抽取，一码一票）"
    PAPER = "paper", "纸质选票（两名计票人分别录入核对）"


class Electorate(models.TextChoices):
    ALL = "all", "本会全体在册会员"
    GROUPS = "groups", "指定工会小组的会员"
    CONGRESS = "congress", "会员（职工）代表大会代表"


class ElectionState(models.TextChoices):
    DRAFT = "draft", "筹备中"
    OPEN = "open", "投票中"
    CLOSED = "closed", "已结束投票"
    COUNTED = "counted", "已计票"


class Election(ScopedModel):
    """One secret-ballot election. Holds no member, group or account of its own
    (see the module docstring): a Ballot reaches it, and must reach no voter."""

    title = models.CharField("选举名称", max_length=120)
    kind = models.CharField("选举类型", max_length=20, choices=ElectionKind.choices)
    seats = models.PositiveSmallIntegerField("应选名额")
    method = models.CharField(
        "投票方式", max_length=20, choices=Method.choices, default=Method.CHOOSE
    )
    channel = models.CharField(
        "投票渠道", max_length=20, choices=Channel.choices, default=Channel.ONLINE
    )
    allow_write_in = models.BooleanField(
        "允许另选他人", default=False, help_text="选票上可填写候选人以外的人选"
    )
    electorate = models.CharField(
        "选举人范围", max_length=20, choices=Electorate.choices, default=Electorate.ALL
    )
    opens_at = models.DateTimeField("投票开始时间")
    closes_at = models.DateTimeField("投票截止时间")
    # Rules, as fractions "a/b" (defaults in docs/ballot.md with their sources).
    margin_share = models.DecimalField(
        "差额比例",
        max_digits=4,
        decimal_places=2,
        default=0,
        help_text="候选人数应多于应选名额的比例，如 0.05 表示 5%；0 表示可等额选举",
    )
    quorum = models.CharField(
        "选举有效比例",
        max_length=9,
        default="2/3",
        help_text="投票人数须超过到会（应投票）选举人的这一比例，选举方为有效",
    )
    majority = models.CharField(
        "当选比例",
        max_length=9,
        default="1/2",
        help_text="赞成票须超过到会（应投票）选举人的这一比例，方可当选",
    )
    state = models.CharField(
        "状态", max_length=20, choices=ElectionState.choices, default=ElectionState.DRAFT
    )
    runoff_of = models.ForeignKey(
        "self",
        verbose_name="原选举（另行选举时）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="runoffs",
    )
    # The count, written once by services.elections.count_election.
    electorate_size = models.PositiveIntegerField("选举人数", default=0)
    issued = models.PositiveIntegerField("发出选票/投票码", default=0)
    cast = models.PositiveIntegerField("收回选票", default=0)
    valid_ballots = models.PositiveIntegerField("有效票", default=0)
    invalid_ballots = models.PositiveIntegerField("无效票", default=0)
    is_valid = models.BooleanField("选举有效", null=True, blank=True)
    ballots_hash = models.CharField("全部选票的散列值", max_length=64, blank=True)
    counted_at = models.DateTimeField("计票时间", null=True, blank=True)
    notes = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "选举"
        verbose_name_plural = "选举"
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(seats__gte=1), name="election_seats_positive"),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="election_window_ordered"
            ),
        ]
        indexes = [models.Index(fields=["union", "opens_at"], name="election_union_opens")]

    def __str__(self):
        return self.title


class ElectorateGroup(ScopedModel):
    """A group whose members are electors, when the electorate is some groups."""

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="electorate_groups", verbose_name="选举"
    )
    group = models.ForeignKey(
        "orgs.Group", on_delete=models.CASCADE, related_name="+", verbose_name="工会小组"
    )

    class Meta:
        verbose_name = "选举人所在小组"
        verbose_name_plural = "选举人所在小组"
        constraints = [
            models.UniqueConstraint(fields=["election", "group"], name="electorate_group_unique")
        ]

    def __str__(self):
        return str(self.group)


class ElectorateCongress(ScopedModel):
    """The congress whose serving representatives are the electors, when the
    electorate is the congress representatives. Kept off Election itself so no
    chain of relations leads from a ballot to a person."""

    election = models.OneToOneField(
        Election,
        on_delete=models.CASCADE,
        related_name="electorate_congress",
        verbose_name="选举",
    )
    congress = models.ForeignKey(
        "democracy.Congress", on_delete=models.PROTECT, related_name="+", verbose_name="代表大会"
    )

    class Meta:
        verbose_name = "选举人所在代表大会"
        verbose_name_plural = "选举人所在代表大会"

    def __str__(self):
        return str(self.congress)


class Candidate(ScopedModel):
    """A candidate on the ballot, in ballot order (usually by surname strokes)."""

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="candidates", verbose_name="选举"
    )
    member = models.ForeignKey(
        "members.Member",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="会员",
    )
    name = models.CharField("姓名", max_length=40)
    profile = models.TextField("简介", blank=True)
    position = models.PositiveSmallIntegerField("选票上的顺序", default=0)
    written_in = models.BooleanField("另选人", default=False, editable=False)
    # Written by the count.
    votes_for = models.PositiveIntegerField("得票（赞成）", default=0)
    votes_against = models.PositiveIntegerField("反对", default=0)
    abstentions = models.PositiveIntegerField("弃权", default=0)
    elected = models.BooleanField("当选", default=False)
    in_runoff = models.BooleanField("进入另行选举", default=False)

    class Meta:
        verbose_name = "候选人"
        verbose_name_plural = "候选人"
        ordering = ["election_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["election", "name"], name="candidate_name_unique")
        ]

    def __str__(self):
        return self.name


class RollEntry(ScopedModel):
    """选举人名册: an elector and whether they voted (online) or received a
    voting code or paper ballot (in the hall). Never says what or which."""

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="roll", verbose_name="选举"
    )
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="+", verbose_name="会员"
    )
    voted = models.BooleanField("已投票/已领票", default=False)

    class Meta:
        verbose_name = "选举人名册"
        verbose_name_plural = "选举人名册"
        ordering = ["election_id", "member_id"]
        constraints = [
            models.UniqueConstraint(fields=["election", "member"], name="roll_entry_unique")
        ]

    def __str__(self):
        return f"{self.member}（{'已投票' if self.voted else '未投票'}）"


def _ballot_key():
    return uuid.uuid4()


class Ballot(ScopedModel):
    """One cast ballot. No voter, no time, no sequence: see the module docstring.

    `choices` is {"c": {"<candidate id>": "for"|"against"|"abstain"}, "w": [names]}.
    """

    id = models.UUIDField(primary_key=True, default=_ballot_key, editable=False)
    election = models.ForeignKey(
        Election, on_delete=models.PROTECT, related_name="ballots", verbose_name="选举"
    )
    choices = models.JSONField("选票内容", default=dict)
    valid = models.BooleanField("有效票", default=True)
    receipt = models.CharField("回执码", max_length=12)

    class Meta:
        verbose_name = "选票"
        verbose_name_plural = "选票"
        ordering = ["receipt"]
        constraints = [
            models.UniqueConstraint(fields=["election", "receipt"], name="ballot_receipt_unique")
        ]

    def __str__(self):
        return self.receipt


class VotingCode(ScopedModel):
    """A one-time code for voting in the hall. Only its keyed digest is stored;
    no member is linked to it (the roll records that a member got *a* code)."""

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="codes", verbose_name="选举"
    )
    digest = models.CharField(max_length=64, editable=False)
    used = models.BooleanField("已使用", default=False)

    class Meta:
        verbose_name = "投票码"
        verbose_name_plural = "投票码"
        ordering = ["digest"]
        constraints = [
            models.UniqueConstraint(fields=["election", "digest"], name="voting_code_unique")
        ]
        indexes = [models.Index(fields=["digest"], name="voting_code_digest")]

    def __str__(self):
        return "投票码（已使用）" if self.used else "投票码"


class TellerEntry(ScopedModel):
    """One paper ballot as typed in by one teller. The number is the one the
    tellers wrote on the ballot after the box was opened, so it says nothing
    about who cast it. Two tellers enter every ballot; reconciling turns the
    agreed entries into Ballots."""

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="teller_entries", verbose_name="选举"
    )
    teller = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="计票人"
    )
    number = models.PositiveIntegerField("选票编号")
    choices = models.JSONField("选票内容", default=dict)

    class Meta:
        verbose_name = "纸质选票录入"
        verbose_name_plural = "纸质选票录入"
        ordering = ["election_id", "number", "teller_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "teller", "number"], name="teller_entry_unique"
            )
        ]

    def __str__(self):
        return f"第{self.number}号选票"
