"""The base of every request body: JSON types are taken as they are.

pydantic's default (lax) mode reads `0` sent for a date as 1970-01-01,
`false` for an integer as 0, `"12"` for an integer as 12 and `12` for a text
as "12". A body shape that inherits `Strict` refuses all of those with 422 and
the field's name (gonghui/api/errors.py): integers must be JSON integers,
texts JSON strings, booleans `true`/`false`, lists and objects what they say.

JSON has no date, time or decimal type, so those keep their documented
spelling and nothing else:

- a date is a string `YYYY-MM-DD`, a date and time an ISO 8601 string
  (`2025-03-01T09:00:00+08:00`); numbers (Unix times) and other spellings are
  refused;
- an amount or other decimal is a string (`"1280.50"`, preferred: it is exact)
  or a JSON number; `true`/`false` and words are refused. Shapes with their own
  reader (`Money`, `Rate`, `Month` in schemas_finance.py) keep it.

How: the model runs in pydantic's strict mode, which in Python takes a date
only as a `date` object; the "before" step below turns a well-formed date,
time or decimal spelling into that object first and leaves anything else
alone, so strict mode refuses it against the right field. Query strings are
all text and are read by the filter shapes, which are not `Strict`.

New body shapes inherit `Strict` (or a subclass); the API tests check that
every operation's body does (`gonghui/api/tests/test_strict.py`). Fields of
a multipart form (beside uploaded files) and query filters are text and
inherit `TextFields` (or plain `Schema`).
"""

import re
import types
import typing
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from uuid import UUID

from ninja import Schema
from ninja.schema import DjangoGetter
from pydantic import (
    BeforeValidator,
    ConfigDict,
    PlainValidator,
    TypeAdapter,
    ValidationInfo,
    WrapValidator,
    model_validator,
)
from pydantic import ValidationError as PydanticError

# Matched whole (fullmatch) and in ASCII digits only, as the schema's patterns are.
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
    r"(Z|[+-][0-9]{2}:?[0-9]{2})?"
)
_TIME = re.compile(r"[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?")
_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def _parser(kind: type, pattern: re.Pattern):
    adapter = TypeAdapter(kind)

    def read(value):
        if isinstance(value, str) and pattern.fullmatch(value):
            try:
                return adapter.validate_python(value)
            except PydanticError:
                return value  # strict mode names the field and the problem
        return value

    return read


def _read_decimal(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str) and _DECIMAL.fullmatch(value):
        try:
            return Decimal(value)
        except InvalidOperation:  # pragma: no cover - the pattern admits only digits
            return value
    return value


def _read_uuid(value):
    if isinstance(value, str):
        try:
            return UUID(value)
        except ValueError:
            return value
    return value


# Checked in this order: datetime is a subclass of date.
READERS: tuple[tuple[type, typing.Callable], ...] = (
    (datetime, _parser(datetime, _DATETIME)),
    (date, _parser(date, _DATE)),
    (time, _parser(time, _TIME)),
    (Decimal, _read_decimal),
    (UUID, _read_uuid),
)
_OWN_READERS = (PlainValidator, BeforeValidator, WrapValidator)
_READERS_OF: dict[type, dict[str, typing.Callable]] = {}


def _kinds(annotation) -> set[type]:
    """The plain types an annotation accepts at its top level (through Optional,
    unions and Annotated); a type with its own reader counts as none."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        inner, *metadata = typing.get_args(annotation)
        if any(isinstance(m, _OWN_READERS) for m in metadata):
            return set()
        return _kinds(inner)
    if origin in (typing.Union, types.UnionType):
        return set().union(*(_kinds(arg) for arg in typing.get_args(annotation)))
    return {annotation} if isinstance(annotation, type) else set()


def _reader_for(field):
    if any(isinstance(m, _OWN_READERS) for m in field.metadata):
        return None
    kinds = _kinds(field.annotation)
    for kind, read in READERS:
        if kind in kinds:
            return read
    return None


def json_readers(cls) -> dict[str, typing.Callable]:
    """Field name (and alias) -> the reader of its JSON spelling, for `cls`."""
    cached = _READERS_OF.get(cls)
    if cached is None:
        cached = {}
        for name, field in cls.model_fields.items():
            read = _reader_for(field)
            if read is not None:
                cached[name] = read
                if field.alias:
                    cached[field.alias] = read
        _READERS_OF[cls] = cached
    return cached


class Strict(Schema):
    """Base of request bodies: no unknown fields, and JSON types as they are."""

    model_config = ConfigDict(extra="forbid", strict=True)

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(cls, values, handler, info: ValidationInfo):
        # Replaces ninja's validator of the same name, which hands pydantic the
        # body wrapped in a DjangoGetter (for reading ORM objects), where the
        # spellings could no longer be read; a body is a dict, read as one.
        if isinstance(values, dict):
            readers = json_readers(cls)
            if readers and any(key in values for key in readers):
                values = {
                    key: readers[key](value) if key in readers else value
                    for key, value in values.items()
                }
            return handler(values)
        handler(values)  # as ninja does: a list or a number is refused as such
        return handler(DjangoGetter(values, cls, info.context))


# What a date or time in a query string that is not spelled as one becomes: text
# no parser reads as a date, so the field's own check names it ("0" would be a
# Unix time to pydantic's lax reading, 1970-01-01).
_NOT_SPELLED_RIGHT = "?"
_TEXT_PATTERNS = {datetime: _DATETIME, date: _DATE, time: _TIME}


def _text_guard(pattern: re.Pattern):
    def guard(value):
        if isinstance(value, str) and not pattern.fullmatch(value):
            return _NOT_SPELLED_RIGHT
        return value

    return guard


def text_guards(cls) -> dict[str, typing.Callable]:
    cached = _GUARDS_OF.get(cls)
    if cached is None:
        cached = {}
        for name, field in cls.model_fields.items():
            if any(isinstance(m, _OWN_READERS) for m in field.metadata):
                continue
            kinds = _kinds(field.annotation)
            for kind, pattern in _TEXT_PATTERNS.items():
                if kind in kinds:
                    cached[name] = _text_guard(pattern)
                    if field.alias:
                        cached[field.alias] = cached[name]
                    break
        _GUARDS_OF[cls] = cached
    return cached


_GUARDS_OF: dict[type, dict[str, typing.Callable]] = {}


class TextFields(Schema):
    """Base of shapes read from query strings or from the fields of a multipart
    form (beside uploaded files): every value arrives as text, so it is read as
    text is ("5" is 5, "true" is true), with unknown fields refused; a date or
    time must still be spelled as one (`2025-03-01`), not as a Unix time."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(cls, values, handler, info: ValidationInfo):
        if isinstance(values, dict):
            guards = text_guards(cls)
            if guards and any(key in values for key in guards):
                values = {
                    key: guards[key](value) if key in guards else value
                    for key, value in values.items()
                }
            return handler(values)
        handler(values)
        return handler(DjangoGetter(values, cls, info.context))
