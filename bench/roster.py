"""roster_page_50k: the roster list (MemberAdmin) against Django's stock ModelAdmin.

Both lists show the same 50,000-member union, filtered to members on the roll
and searched by a surname, at the first page and at a page near the end of the
matches; each is requested several times through the test Client signed in as
the union's chair, and the median is kept.
"""

import statistics

from bench import clock

REPEATS = 9
SURNAME = "王"


def _check(client, url: str) -> None:
    response = client.get(url)  # also warms caches
    assert response.status_code == 200, (url, response.status_code)
    assert SURNAME in response.content.decode(), f"{url} does not list {SURNAME}"


def _interleaved_medians_ms(client, ours: str, stock: str) -> dict[str, dict[str, float]]:
    """Alternate the two lists so a busy machine slows both alike; medians in ms
    by side ("ours", "stock") and clock ("wall", "cpu")."""
    _check(client, ours)
    _check(client, stock)
    laps: dict[str, list[clock.Lap]] = {"ours": [], "stock": []}
    for _ in range(REPEATS):
        for side, url in (("ours", ours), ("stock", stock)):
            laps[side].append(clock.lap(lambda url=url: client.get(url)))
    return {
        side: {
            "wall": statistics.median(x.wall for x in runs) * 1000,
            "cpu": statistics.median(x.cpu for x in runs) * 1000,
        }
        for side, runs in laps.items()
    }


def measure(union, chair) -> dict:
    from django.contrib.auth.models import Permission
    from django.test import Client, override_settings

    from gonghui.members.models import Member, Status

    # The stock admin asks Django's model permissions; the chair gets the view one.
    chair.user_permissions.add(Permission.objects.get(codename="view_member"))
    matches = Member.objects.filter(
        union=union, status=Status.ACTIVE, name__contains=SURNAME
    ).count()
    deep = max(1, matches // 100 - 1)
    query = f"status__exact={Status.ACTIVE}&q={SURNAME}"
    client = Client()
    client.force_login(chair)
    with override_settings(ROOT_URLCONF="bench.urls", ALLOWED_HOSTS=["testserver"]):
        pages = {
            page: _interleaved_medians_ms(
                client,
                f"/admin/members/member/?{query}{suffix}",
                f"/stock-admin/members/member/?{query}{suffix}",
            )
            for page, suffix in (("first", ""), ("deep", f"&p={deep}"))
        }
    which = clock.ratio_clock()
    result = {
        "value": round(sum(p["ours"][which] for p in pages.values()), 1),
        "baseline": round(sum(p["stock"][which] for p in pages.values()), 1),
        "target": 1.0,
        "unit": f"ms of {which} time, first page + page {deep}, median of {REPEATS}",
        "matches": matches,
    }
    for page, sides in pages.items():
        for side, clocks in sides.items():
            for name, ms in clocks.items():
                result[f"{side}_{page}_{name}_ms"] = round(ms, 1)
    return result
