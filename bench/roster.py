"""roster_page_50k: the roster list (MemberAdmin) against Django's stock ModelAdmin.

Both lists show the same 50,000-member union, filtered to members on the roll
and searched by a surname, at the first page and at a page near the end of the
matches; each is requested several times through the test Client signed in as
the union's chair, and the median is kept.
"""

import statistics
import time

REPEATS = 7
SURNAME = "王"


def _median_ms(client, url: str, expect: str) -> float:
    response = client.get(url)  # warm caches, check the page works
    assert response.status_code == 200, (url, response.status_code)
    assert expect in response.content.decode(), f"{url} does not list {expect}"
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200
    return statistics.median(times) * 1000


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
        ours = {
            "first": _median_ms(client, f"/admin/members/member/?{query}", SURNAME),
            "deep": _median_ms(client, f"/admin/members/member/?{query}&p={deep}", SURNAME),
        }
        stock = {
            "first": _median_ms(client, f"/stock-admin/members/member/?{query}", SURNAME),
            "deep": _median_ms(client, f"/stock-admin/members/member/?{query}&p={deep}", SURNAME),
        }
    return {
        "value": round(ours["first"] + ours["deep"], 1),
        "baseline": round(stock["first"] + stock["deep"], 1),
        "target": 1.0,
        "unit": f"ms (first page + page {deep}, median of {REPEATS})",
        "matches": matches,
        "ours_first_ms": round(ours["first"], 1),
        "ours_deep_ms": round(ours["deep"], 1),
        "stock_first_ms": round(stock["first"], 1),
        "stock_deep_ms": round(stock["deep"], 1),
    }
