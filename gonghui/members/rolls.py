"""Unions' rolls as sorted dates, to count the members on them on any day
without a query per day.

A summary-table refresh asks "members on the roll at the end of each month"
of hundreds of unions, for several figures (期末会员数, 女会员, 应知应会覆盖
会员…) and for the audiences of every activity. One index-only read of the
members gives each union's joining and leaving dates; counting a day is then
two bisections. The counts are what `members.queries.on_roll_at` gives:
joined on or before the day and not left by it.
"""

from bisect import bisect_right
from collections.abc import Callable

from django.db.models import Count

from gonghui.members.models import Gender, Member, Status
from gonghui.reports.registry import remembered, remembering

ALL = "all"
WOMEN = "women"
RETIRED = "retired"


class Roll:
    """Some members' roll dates. A member who left is gone from the day
    max(joined, left), so the members on the roll on a day are those joined
    by it less those gone by it."""

    def __init__(self):
        self.joined: list = []
        self.gone: list = []

    def add(self, joined, left) -> None:
        self.joined.append(joined)
        if left is not None:
            self.gone.append(max(joined, left))

    def sort(self) -> None:
        self.joined.sort()
        self.gone.sort()

    def on(self, day) -> int:
        return bisect_right(self.joined, day) - bisect_right(self.gone, day)

    def gone_by(self, day) -> int:
        """Those joined and gone by `day` (of the retirees: retired by then)."""
        return bisect_right(self.gone, day)


EMPTY = Roll()


def read_rolls(ids) -> dict:
    """{(union_id, part): Roll} from one index-only read of the unions'
    members; parts are ALL, WOMEN, RETIRED (those who left as retirees) and
    each 工会小组's id."""
    rolls: dict = {}

    def roll(key) -> Roll:
        found = rolls.get(key)
        if found is None:
            found = rolls[key] = Roll()
        return found

    members = (
        Member.objects.filter(union_id__in=ids)
        .order_by()
        .values_list("union_id", "joined_on", "left_on", "gender", "status", "group_id")
    )
    for union_id, joined, left, gender, status, group_id in members.iterator(chunk_size=20_000):
        roll((union_id, ALL)).add(joined, left)
        if gender == Gender.FEMALE:
            roll((union_id, WOMEN)).add(joined, left)
        if group_id is not None:
            roll((union_id, group_id)).add(joined, left)
        if status == Status.RETIRED and left is not None:
            roll((union_id, RETIRED)).add(joined, left)
    for found in rolls.values():
        found.sort()
    return rolls


def rolls_of(ids) -> dict:
    """read_rolls, once for all the periods of a figure in a refresh
    (`registry.parts`) and once for all its figures (`registry.shared_parts`)."""
    return remembered(
        ("members.rolls", tuple(ids)),
        lambda: read_rolls(ids),
        tables=frozenset({Member._meta.db_table}),
    )


def on_roll_per_union(part: str) -> Callable:
    """A `per_union` for a metric counting the members on the roll (ALL) or
    the women on it (WOMEN) at the period's end: from the rolls when a
    refresh shares them across its periods, else one grouped count."""

    def per_union(ids, period) -> dict[int, int]:
        day = period.end
        if remembering():
            rolls = rolls_of(ids)
            counts = {u: rolls.get((u, part), EMPTY).on(day) for u in ids}
            return {u: n for u, n in counts.items() if n}
        from gonghui.members.queries import on_roll_at

        members = on_roll_at(ids, day)
        if part == WOMEN:
            members = members.filter(gender=Gender.FEMALE)
        grouped = members.order_by().values("union_id").annotate(n=Count("pk"))
        return {row["union_id"]: row["n"] for row in grouped.values("union_id", "n")}

    return per_union
