"""JSON bodies are read strictly: a value of the wrong JSON type is refused with
422 naming the field in Chinese, never converted (0 into 1970-01-01, false into
0, "5" into 5, 5 into "5"). Dates are ISO strings, amounts strings or numbers;
query strings are text and still parse."""

import typing
from datetime import date, datetime
from decimal import Decimal

import pytest
from ninja.params.models import BodyModel, FormModel, QueryModel
from pydantic import BaseModel, Field
from pydantic import ValidationError as PydanticError

from gonghui import idcard
from gonghui.api.errors import _field_of, _message
from gonghui.api.strict import Strict
from gonghui.api.tests.calls import call, token_for
from gonghui.api.v1 import api
from gonghui.members.models import Member
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import UnionFactory, user_with_role


class Shape(Strict):
    """Every kind of field a body holds, the way the API's shapes declare them."""

    count: int = Field(0, ge=0)
    title: str = ""
    done: bool = False
    on: date | None = None
    at: datetime | None = None
    share: Decimal | None = Field(None, max_digits=5, decimal_places=2)
    ids: list[int] = []


def _refusal(data: dict) -> tuple[str, str]:
    """(field, Chinese message) of the only error reading data gives."""
    with pytest.raises(PydanticError) as caught:
        Shape.model_validate(data)
    errors = caught.value.errors()
    assert len(errors) == 1, errors
    field = _field_of(errors[0]["loc"])
    return field, _message(errors[0], field)


WRONG_TYPES = [
    ("a date as the number 0 (a Unix time)", {"on": 0}, "on", "YYYY-MM-DD"),
    ("a date as a Unix time in text", {"on": "1700000000"}, "on", "YYYY-MM-DD"),
    ("a date with a time", {"on": "2025-03-01T00:00:00"}, "on", "YYYY-MM-DD"),
    ("a date as true", {"on": True}, "on", "YYYY-MM-DD"),
    ("an impossible date", {"on": "2025-02-30"}, "on", "YYYY-MM-DD"),
    ("a date and time as a number", {"at": 1700000000}, "at", "2025-03-01T09:00:00"),
    ("a date and time as a date", {"at": "2025-03-01"}, "at", "2025-03-01T09:00:00"),
    ("an integer as false", {"count": False}, "count", "整数"),
    ("an integer as text", {"count": "5"}, "count", "整数"),
    ("an integer as a fraction", {"count": 5.0}, "count", "整数"),
    ("a text as a number", {"title": 5}, "title", "文本"),
    ("a text as true", {"title": True}, "title", "文本"),
    ("a boolean as text", {"done": "true"}, "done", "true 或 false"),
    ("a boolean as 1", {"done": 1}, "done", "true 或 false"),
    ("an amount as true", {"share": True}, "share", "数字"),
    ("an amount as words", {"share": "十二元"}, "share", "数字"),
    ("an amount as an exponent", {"share": "1e3"}, "share", "数字"),
    ("an id in a list as text", {"ids": ["1"]}, "ids.0", "整数"),
    ("a list as one number", {"ids": 1}, "ids", "列表"),
]


@pytest.mark.parametrize(
    "data, field, fragment", [c[1:] for c in WRONG_TYPES], ids=[c[0] for c in WRONG_TYPES]
)
def test_a_value_of_the_wrong_json_type_is_refused_naming_the_field(data, field, fragment):
    found, message = _refusal(data)
    assert found == field
    assert fragment in message, message


def test_a_date_is_read_from_its_iso_text():
    assert Shape.model_validate({"on": "2025-03-01"}).on == date(2025, 3, 1)


def test_a_date_and_time_is_read_from_its_iso_text_with_its_offset():
    at = Shape.model_validate({"at": "2025-03-01T09:30:00+08:00"}).at
    assert (at.hour, at.utcoffset().total_seconds()) == (9, 8 * 3600)


@pytest.mark.parametrize("spelling", ["12.50", 12.5, 12])
def test_an_amount_is_read_from_text_or_a_json_number(spelling):
    assert Shape.model_validate({"share": spelling}).share == Decimal(
        spelling if spelling != 12.5 else "12.5"
    )


def test_an_amount_keeps_its_limits_after_it_is_read():
    field, message = _refusal({"share": "1.234"})
    assert field == "share" and "值无效" not in message


def test_the_json_types_themselves_are_accepted():
    shape = Shape.model_validate({"count": 3, "title": "春季", "done": True, "ids": [1, 2]})
    assert (shape.count, shape.title, shape.done, shape.ids) == (3, "春季", True, [1, 2])


def test_unknown_fields_are_still_refused():
    field, message = _refusal({"colour": "red"})
    assert field == "colour" and "不支持的字段" in message


# Every body of the API ------------------------------------------------------


def _models_in(annotation) -> set[type]:
    found = set()
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        found.add(annotation)
        for field in annotation.model_fields.values():
            found |= _models_in(field.annotation)
    for arg in typing.get_args(annotation):
        found |= _models_in(arg)
    return found


def _params(source):
    api._get_bound_routers()
    for _, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                for model in operation.models:
                    if issubclass(model, source):
                        for field in model.model_fields.values():
                            yield f"{'/'.join(operation.methods)} {path}", field.annotation


def _bodies():
    return _params(BodyModel)


def test_the_api_has_bodies_to_check():
    assert len(list(_bodies())) > 50


def test_every_request_body_and_every_shape_inside_it_is_strict():
    lax = sorted(
        f"{where}: {model.__module__}.{model.__name__}"
        for where, annotation in _bodies()
        for model in _models_in(annotation) or {annotation}
        if not (isinstance(model, type) and issubclass(model, Strict))
    )
    assert lax == [], "请让这些请求体继承 gonghui.api.strict.Strict：\n" + "\n".join(lax)


def test_query_strings_and_form_fields_are_read_as_text():
    strict = sorted(
        f"{where}: {model.__name__}"
        for source in (QueryModel, FormModel)
        for where, annotation in _params(source)
        for model in _models_in(annotation)
        if issubclass(model, Strict)
    )
    assert strict == [], "查询参数和表单字段都是文本，请继承 TextFields：" + "、".join(strict)


# Through HTTP ------------------------------------------------------------------


@pytest.fixture
def cadre(db):
    union = UnionFactory()
    return union, token_for(user_with_role(union))


def _member(owner, **over):
    data = {
        "union": owner.id,
        "name": "张三",
        "id_number": idcard.make("330206", date(1985, 5, 6), 1, "M"),
        "joined_on": "2020-01-01",
    }
    return {**data, **over}


@pytest.mark.parametrize(
    "over, field",
    [
        ({"joined_on": 0}, "joined_on"),
        ({"union": False}, "union"),
        ({"union": "1"}, "union"),
        ({"name": 12345}, "name"),
    ],
    ids=["date as 0", "union id as false", "union id as text", "name as a number"],
)
def test_the_api_refuses_a_wrong_json_type_with_422_naming_the_field_and_writes_nothing(
    cadre, over, field
):
    union, key = cadre
    before = Member.objects.count()
    response = call("post", "members", key, _member(union, **over))
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == [field]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in errors[0]["message"])
    assert Member.objects.count() == before


def test_query_parameters_are_text_and_still_parse(cadre):
    union, key = cadre
    MemberFactory(union=union, joined_on=date(2020, 1, 1))
    response = call(
        "get", "members", key, {"limit": "1", "union": str(union.id), "joined_year": "2020"}
    )
    assert response.status_code == 200, response.content
    assert len(response.json()["items"]) == 1
