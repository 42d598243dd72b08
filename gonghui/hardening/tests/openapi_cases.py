"""Bad-input cases derived from the API's own OpenAPI schema.

Nothing here names an endpoint: every operation with a JSON body gets a case
for each kind of bad value its fields can take (a text field gets control
characters and an oversized value, a date field an impossible date, an id
field another union's record, and so on), and every list with query
parameters gets malformed ones. An endpoint added tomorrow is covered the day
it lands.
"""

import re
from dataclasses import dataclass, field

from gonghui.api.v1 import api as api_v1

PREFIX = "/api/v1/"
MEMBER_SEGMENTS = {"my", "me"}
MEMBER_ENDINGS = ("/ballot", "/sheet", "/attempt")

# A value that no schema may accept, per kind; each tuple is (case name, value).
CONTROL = "甲\x00乙\x07丙\x1b"
# Wrong JSON types (a date as a Unix time, false for an integer, digits in a
# string for an integer, a number for a text) are refused, not converted
# (gonghui/api/strict.py).
IMPOSSIBLE_DATES = (
    ("impossible-date", "2024-02-30"),
    ("year-99999", "99999-01-01"),
    ("date-as-unix-time", 0),
    ("date-with-a-time", "2024-03-01T00:00:00"),
)
IMPOSSIBLE_DATETIMES = (
    ("impossible-datetime", "2024-13-01T25:61:00"),
    ("datetime-as-unix-time", 1_700_000_000),
)
BAD_MONEY = (
    ("money-nan", "NaN"),
    ("money-three-decimals", "12.345"),
    ("money-too-large", "1e40"),
    ("money-text", "一百元"),
    ("money-as-boolean", True),
)
BAD_INTEGERS = (
    ("integer-as-text", "十二"),
    ("integer-overflow", 2**64),
    ("integer-as-false", False),
    ("integer-as-digits-in-a-string", "7"),
    ("integer-as-a-fraction", 7.5),
)
# Id fields that name another union by design, where "another union's id" is
# the normal input, not an attack: (method, path, field) -> why.
OTHER_UNION_BY_DESIGN = {
    ("post", "/transfers", "to_union"): "a transfer goes to another union",
    ("post", "/transfer-requests", "from_union"): "a request names the union the member leaves",
}
TEXT_AS_NUMBER = ("text-as-a-number", 12345)
BOOLEAN_AS_NUMBER = ("boolean-as-a-number", 1)
MONEY_PATTERN = r"^-?\d{1,12}(\.\d{1,2})?$"

# Attacks that are legitimate text: accepted (stored as typed) or refused, never run.
SQL_INJECTION = "'); DROP TABLE members_member; --"
XSS = '<script>alert("xss")</script><img src=x onerror=alert(1)>'


def schema() -> dict:
    return api_v1.get_openapi_schema(path_prefix=PREFIX)


@dataclass(frozen=True)
class Field:
    name: str
    spec: dict
    required: bool

    @property
    def kind(self) -> str:
        spec = self.spec
        if "enum" in spec:
            return "enum"
        if spec.get("pattern") == MONEY_PATTERN:
            return "money"
        if spec.get("type") == "string" and spec.get("format") == "date":
            return "date"
        if spec.get("type") == "string" and spec.get("format") == "date-time":
            return "datetime"
        if spec.get("type") == "string" and not spec.get("format") and "pattern" not in spec:
            return "text"
        if spec.get("type") == "integer":
            return "integer"
        if spec.get("type") == "array" and (spec.get("items") or {}).get("type") == "integer":
            return "integer-list"
        return spec.get("type") or "other"


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    body: tuple[Field, ...] = ()
    query: tuple[Field, ...] = ()
    json_body: bool = False

    @property
    def as_member(self) -> bool:
        segments = set(self.path.split("/"))
        return bool(segments & MEMBER_SEGMENTS) or self.path.endswith(MEMBER_ENDINGS)

    @property
    def path_params(self) -> list[str]:
        return re.findall(r"{(\w+)}", self.path)

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path.removeprefix(PREFIX[:-1])}"


@dataclass(frozen=True)
class Case:
    operation: Operation
    kind: str  # names the bad value
    field: str | None
    value: object = None
    raw: str | None = None  # a body sent as is instead of JSON
    extra: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        where = f"{self.field}=" if self.field else ""
        return f"{self.operation.label} {where}{self.kind}"


def _resolve(spec: dict, components: dict) -> dict:
    while "$ref" in spec:
        spec = components[spec["$ref"].rsplit("/", 1)[-1]]
    for key in ("anyOf", "oneOf"):
        if key in spec:
            options = [s for s in spec[key] if s.get("type") != "null"]
            money = [s for s in options if s.get("pattern") == MONEY_PATTERN]
            if money:
                return money[0]
            if options:
                return _resolve(options[0], components)
    if "allOf" in spec and len(spec["allOf"]) == 1:
        return _resolve(spec["allOf"][0], components)
    return spec


def operations(openapi: dict | None = None) -> list[Operation]:
    openapi = openapi or schema()
    components = openapi.get("components", {}).get("schemas", {})
    found = []
    for path, methods in openapi["paths"].items():
        for method, spec in methods.items():
            content = spec.get("requestBody", {}).get("content", {})
            body: tuple[Field, ...] = ()
            if "application/json" in content:
                shape = _resolve(content["application/json"]["schema"], components)
                required = set(shape.get("required", []))
                body = tuple(
                    Field(name, _resolve(prop, components), name in required)
                    for name, prop in shape.get("properties", {}).items()
                )
            query = tuple(
                Field(
                    p["name"], _resolve(p.get("schema", {}), components), p.get("required", False)
                )
                for p in spec.get("parameters", [])
                if p["in"] == "query"
            )
            found.append(
                Operation(method, path, body, query, json_body="application/json" in content)
            )
    return found


def _first(fields, kind):
    return next((f for f in fields if f.kind == kind), None)


def body_cases(op: Operation) -> list[Case]:
    """The bad bodies an operation must refuse, one per kind its fields allow."""
    if not op.json_body:
        return []
    cases = [
        Case(op, "body-not-json", None, raw="{不是JSON"),
        Case(op, "body-is-a-list", None, raw="[]"),
    ]
    text = _first(op.body, "text")
    if text is not None:
        cases.append(Case(op, "control-characters", text.name, CONTROL))
        cases.append(Case(op, TEXT_AS_NUMBER[0], text.name, TEXT_AS_NUMBER[1]))
        limit = text.spec.get("maxLength")
        cases.append(
            Case(
                op,
                "oversized-text",
                text.name,
                "字" * ((limit or 20_000) + 1),
                extra={"limit": limit},
            )
        )
    enum = _first(op.body, "enum")
    if enum is not None:
        cases.append(Case(op, "invalid-enum", enum.name, "不存在的选项"))
    for kind, bad in (("date", IMPOSSIBLE_DATES), ("datetime", IMPOSSIBLE_DATETIMES)):
        found = _first(op.body, kind)
        if found is not None:
            cases += [Case(op, name, found.name, value) for name, value in bad]
    money = _first(op.body, "money")
    if money is not None:
        cases += [Case(op, name, money.name, value) for name, value in BAD_MONEY]
    number = next((f for f in op.body if f.kind == "integer" and not is_reference(f.name)), None)
    if number is not None:
        cases += [Case(op, name, number.name, value) for name, value in BAD_INTEGERS]
    for ref in (
        f
        for f in op.body
        if f.kind in ("integer", "integer-list")
        and is_reference(f.name)
        and (op.method, op.path.removeprefix(PREFIX.rstrip("/")), f.name)
        not in OTHER_UNION_BY_DESIGN
    ):
        cases.append(Case(op, "another-unions-id", ref.name, extra={"list": ref.kind != "integer"}))
    booleans = _first(op.body, "boolean")
    if booleans is not None:
        cases.append(Case(op, "boolean-as-text", booleans.name, "是的"))
        cases.append(Case(op, BOOLEAN_AS_NUMBER[0], booleans.name, BOOLEAN_AS_NUMBER[1]))
    return cases


def query_cases(op: Operation) -> list[Case]:
    if op.method != "get":
        return []
    cases = []
    for f in op.query:
        if f.kind == "integer" and not any(c.kind == "query-integer-as-text" for c in cases):
            cases.append(Case(op, "query-integer-as-text", f.name, "abc"))
        elif f.kind == "date":
            cases.append(Case(op, "query-impossible-date", f.name, "2024-02-30"))
        elif f.kind == "enum":
            cases.append(Case(op, "query-invalid-enum", f.name, "不存在的选项"))
    return cases


def harmless_text_cases(op: Operation) -> list[Case]:
    """SQL and script text in every text field at once: to be kept as typed, never run."""
    if not op.json_body or op.method not in ("post", "put"):
        return []
    if not any(f.kind == "text" for f in op.body):
        return []
    return [Case(op, "sql-injection-text", None, SQL_INJECTION), Case(op, "xss-text", None, XSS)]


# Ids ----------------------------------------------------------------------------------

REFERENCE_NAMES = {
    "union",
    "member",
    "department",
    "group",
    "activity",
    "club",
    "line",
    "candidate",
    "session",
    "resolution",
    "election",
    "proposal",
    "post",
    "opinion",
    "hazard",
    "inspection",
    "campaign",
    "plan",
    "training",
    "course",
    "category",
    "exam",
    "contest",
    "question",
    "kind",
    "nomination",
    "rule",
    "assessment",
    "contract",
    "case",
    "payment",
    "allocation",
    "representative",
    "handler",
    "organiser",
    "delivered_by",
    "reporter",
    "assignee",
    "worker",
    "fiscal_year",
    "term",
    "recipient",
    "donor",
    "filed_by",
    "item",
}
NOT_REFERENCES = {"year", "capacity", "rank", "limit", "number", "score", "seats", "quota"}


def reference_base(name: str) -> str:
    base = name.removesuffix("_ids").removesuffix("_id")
    if base not in REFERENCE_NAMES and base.endswith("s"):
        base = base[:-1]
    return base


def is_reference(name: str) -> bool:
    if name in NOT_REFERENCES:
        return False
    base = reference_base(name)
    if name.endswith(("_id", "_ids")) or base in REFERENCE_NAMES:
        return True
    return base.rsplit("_", 1)[-1] in REFERENCE_NAMES  # handler_department, lead_department


def all_cases() -> dict[str, list[Case]]:
    refused, harmless = [], []
    for op in operations():
        refused += body_cases(op) + query_cases(op)
        harmless += harmless_text_cases(op)
    return {"refused": refused, "harmless": harmless}
