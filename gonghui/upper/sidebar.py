"""This area's section of the back-office sidebar (gonghui.unfold_config): shown
only to users who may read an upper union (总工会, 产业工会, 集团工会)."""

from django.urls import reverse_lazy


def can_use_workspace(request) -> bool:
    from gonghui.orgs.access import Access
    from gonghui.upper.queries import upper_union_ids

    return bool(upper_union_ids(getattr(request, "access", None) or Access()))


def _item(title: str, icon: str, url_name: str) -> dict:
    return {
        "title": title,
        "icon": icon,
        "link": reverse_lazy(url_name),
        "permission": "gonghui.upper.sidebar.can_use_workspace",
    }


SECTION = {
    "title": "上级工会",
    "items": [
        _item("下属工会统计", "account_tree", "upper:overview"),
        _item("排名与比较", "leaderboard", "upper:ranking"),
        _item("考核目标", "track_changes", "upper:targets"),
    ],
}
