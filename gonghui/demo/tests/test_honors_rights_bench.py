"""The raw SQL of bench/issue5_honors.py and issue5_rights.py gives the
registry's numbers for the school demo, so the benchmark compares like with like."""

from datetime import date

from django.db import connection

from bench import issue5_honors, issue5_rights
from gonghui.demo.tests.dates import TODAY
from gonghui.periods import Period
from gonghui.reports import registry


def _registry(area: str, union_id: int, period) -> dict:
    out = {}
    for m in registry.all_metrics(area=area):
        out[m.key] = m.value([union_id], period)
        if m.breakdown:
            out[f"{m.key}/by"] = sorted(n for _, n in m.by([union_id], period))
    return out


def _same(ours: dict, raw: dict) -> None:
    assert set(ours) == set(raw)
    for key, value in ours.items():
        theirs = sorted(raw[key].values()) if key.endswith("/by") else raw[key]
        assert value == theirs, key


def test_the_raw_sql_gives_the_registrys_honours_and_rights_figures(school):
    for period in (Period(date(TODAY.year, 1, 1), TODAY), Period.year(TODAY.year - 1)):
        with connection.cursor() as cursor:
            honors = issue5_honors.raw(cursor, school.pk, period.start, period.end)
            rights = issue5_rights.raw(cursor, school.pk, period.start, period.end)
        _same(_registry("honors", school.pk, period), honors)
        _same(_registry("rights", school.pk, period), rights)
