"""The tenancy sweep: build two unions' worth of data and request every URL of
one while signed in as the other.

Nothing here lists URLs or models by hand. Admin screens come from the admin
registry, other pages from the URL resolver, API paths from the OpenAPI
schema, and union-owned rows of models added later are generated from their
fields, so a new screen or model is swept the day it lands.
"""

import itertools
import json
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from urllib.parse import quote

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import quote as admin_quote
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from gonghui import idcard
from gonghui.api.tokens import issue_token
from gonghui.members import services as members
from gonghui.members.models import Member
from gonghui.orgs import services as orgs
from gonghui.orgs.models import PostKind, RoleAssignment, Union, UnionKind
from gonghui.orgs.roles import Role
from gonghui.reports import registry

User = get_user_model()


@dataclass
class World:
    """One union's data; every distinctive string it holds contains `marker`."""

    union: Union
    marker: str
    chair: object
    chair_key: str
    member: Member
    secrets: set[str] = field(default_factory=set)
    skipped: list[str] = field(default_factory=list)

    def leaks_in(self, text: str) -> list[str]:
        return sorted(s for s in self.secrets | {self.marker} if s in text or quote(s) in text)


def build_union(*, code: str, marker: str, parent: Union | None, sequence: int) -> World:
    """A union with a department, group, member (with a portal account), an
    application, a status change, a term and post, an access-log entry, a
    chair and a committee member with API tokens, and one generated row of
    every other union-owned model."""
    union = orgs.create_union(code=code, name=f"{marker}工会", kind=UnionKind.SCHOOL, parent=parent)
    department = orgs.create_department(union=union, name=f"{marker}部门")
    group = orgs.create_group(union=union, name=f"{marker}小组", department=department)
    chair = User.objects.create_user(
        username=f"{code}-chair", password=None, display_name=f"{marker}主席"
    )
    orgs.assign_role(user=chair, union=union, role=Role.CHAIR)
    committee = User.objects.create_user(
        username=f"{code}-committee", password=None, display_name=f"{marker}委员"
    )
    orgs.assign_role(user=committee, union=union, role=Role.COMMITTEE)
    id_number = idcard.make("330206", date(1980, 1, 1 + sequence), 10 + sequence, "F")
    phone = f"1390000{sequence:04d}"
    member = members.create_member(
        union=union,
        name=f"{marker}会员",
        id_number=id_number,
        phone=phone,
        employee_number=f"{code.upper()}-007",
        department=department,
        group=group,
        position=f"{marker}岗位",
        joined_on=date(2015, 3, 1),
        actor=chair,
    )
    members.create_portal_account(member=member)
    leaver = members.create_member(
        union=union,
        name=f"{marker}调出会员",
        id_number=idcard.make("330206", date(1981, 2, 1 + sequence), 20 + sequence, "M"),
        joined_on=date(2016, 1, 1),
    )
    members.change_status(
        member=leaver, to="transferred", on=date(2023, 5, 1), reason=f"{marker}调出原因"
    )
    application = members.submit_application(
        union=union,
        name=f"{marker}申请人",
        id_number=idcard.make("330206", date(1990, 6, 1 + sequence), 30 + sequence, "F"),
        phone_number=f"1370000{sequence:04d}",
        department=department,
        consent=True,
    )
    term = orgs.start_term(union=union, number=3, starts_on=date(2022, 1, 1))
    orgs.appoint(term=term, member=member, kind=PostKind.CHAIR)
    members.reveal(member=member, field="id_number", reason=f"{marker}查看理由", user=chair)
    chair_key = issue_token(user=chair, name=f"{marker}令牌")
    issue_token(user=committee, name=f"{marker}委员令牌")

    world = World(union=union, marker=marker, chair=chair, chair_key=chair_key, member=member)
    world.secrets |= {
        code,
        chair.username,
        committee.username,
        member.employee_number,
        id_number,
        phone,
        application.id_number,
        application.phone,
    }
    _generate_rows_of_other_models(world)
    return world


# Rows of models nobody told the sweep about -----------------------------------


def _union_owned_models():
    for model in apps.get_models():
        if model is Union or model._meta.proxy or model._meta.abstract:
            continue
        if any(
            f.is_relation and f.many_to_one and f.related_model is Union
            for f in model._meta.concrete_fields
        ):
            yield model


def _generate_rows_of_other_models(world: World) -> None:
    # Parents first: a model whose FK target has no row yet is retried.
    pending = [m for m in _union_owned_models() if not _has_row(m, world.union)]
    for _ in range(4):
        still = []
        for model in pending:
            if not _generate_row(model, world):
                still.append(model)
        if not still or len(still) == len(pending):
            pending = still
            break
        pending = still
    world.skipped = [m._meta.label for m in pending]


def _has_row(model, union) -> bool:
    union_field = _union_field(model)
    return model._base_manager.filter(**{union_field: union}).exists()


def _union_field(model) -> str:
    return next(
        f.name
        for f in model._meta.concrete_fields
        if f.is_relation and f.many_to_one and f.related_model is Union
    )


def _generate_row(model, world: World) -> bool:
    values, optional = {}, []
    name = model._meta.model_name
    for f in model._meta.concrete_fields:
        if f.primary_key or getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            continue
        if f.is_relation:
            target = _related_value(f, world)
            if target is _MISSING:
                return False
            if target is not None:
                values[f.name] = target
                if f.null:
                    optional.append(f.name)
            continue
        value = _plain_value(f, f"{world.marker}{name}")
        if value is not _MISSING:
            values[f.name] = value
    # Constraints such as "a group or a member, not both" are met by leaving
    # out one optional relation at a time.
    variants = [values] + [{k: v for k, v in values.items() if k != o} for o in optional]
    for attempt in variants:
        try:
            with transaction.atomic():
                obj = model._base_manager.create(**attempt)
        except Exception:  # noqa: BLE001 - a model the generator cannot satisfy is reported
            continue
        for f in model._meta.concrete_fields:
            text = getattr(obj, f.attname, None)
            if isinstance(text, str) and world.marker in text:
                world.secrets.add(text)
        return True
    return False


_MISSING = object()


def _related_value(f, world: World):
    target = f.related_model
    if target is Union:
        return world.union
    if target is User:
        return world.chair
    if target is ContentType:
        return ContentType.objects.get_for_model(Member)
    if any(x.related_model is Union for x in target._meta.concrete_fields if x.is_relation):
        row = target._base_manager.filter(**{_union_field(target): world.union}).first()
        if row is not None:
            return row
        return None if f.null else _MISSING
    return None if f.null else _MISSING


def _plain_value(f, text: str):
    if f.choices:
        return f.choices[0][0] if not f.has_default() else _MISSING
    if isinstance(f, models.SlugField | models.EmailField | models.URLField):
        return _MISSING if f.blank or f.has_default() else f"x{uuid.uuid4().hex[:10]}"
    if isinstance(f, models.CharField | models.TextField):
        return text[: f.max_length] if f.max_length else text
    if f.has_default() or f.null:
        return _MISSING
    if isinstance(f, models.BooleanField):
        return False
    if isinstance(f, models.DecimalField):
        return Decimal("1")
    if isinstance(f, models.IntegerField | models.FloatField):
        return 1
    if isinstance(f, models.DateTimeField):
        return timezone.now()
    if isinstance(f, models.DateField):
        return date(2024, 3, 1)
    if isinstance(f, models.TimeField):
        return time(9, 0)
    if isinstance(f, models.UUIDField):
        return uuid.uuid4()
    if isinstance(f, models.JSONField):
        return {}
    if isinstance(f, models.DurationField):
        return timezone.timedelta(hours=1)
    return _MISSING


# What belongs to a union ------------------------------------------------------


def owned_by(union: Union, secrets: set[str]) -> dict[type, set]:
    """Primary keys of every row that belongs to `union` or its subtree, per model."""
    owned: dict[type, set] = {Union: set(union.subtree().values_list("pk", flat=True))}
    user_unions: dict[int, set[int]] = {}
    for user_id, union_id in RoleAssignment.objects.values_list("user_id", "union_id"):
        user_unions.setdefault(user_id, set()).add(union_id)
    owned[User] = {u for u, ids in user_unions.items() if ids <= owned[Union]}
    for _ in range(3):
        for model in apps.get_models():
            if model in (Union, User):
                continue
            links = [
                f
                for f in model._meta.concrete_fields
                if f.is_relation and f.many_to_one and f.related_model in owned
            ]
            union_links = [f for f in links if f.related_model is Union]
            for f in union_links or links:
                pks = model._base_manager.filter(
                    **{f"{f.attname}__in": owned[f.related_model]}
                ).values_list("pk", flat=True)
                owned.setdefault(model, set()).update(pks)
    for model in admin.site._registry:
        if model in owned and owned[model]:
            continue
        texts = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
        ]
        for obj in model._base_manager.all()[:2000]:
            if any(any(s in str(getattr(obj, t) or "") for s in secrets) for t in texts):
                owned.setdefault(model, set()).add(obj.pk)
    return {m: pks for m, pks in owned.items() if pks}


def snapshot(owned: dict[type, set]) -> dict:
    """Every field of every owned row, to prove a sweep changed nothing."""
    state = {}
    for model, pks in owned.items():
        if model is User:
            continue
        for obj in model._base_manager.filter(pk__in=pks):
            state[(model._meta.label, obj.pk)] = tuple(
                str(getattr(obj, f.attname))
                for f in model._meta.concrete_fields
                if f.name not in ("last_used_at", "last_login")
            )
    return state


# The requests -------------------------------------------------------------------


@dataclass
class Finding:
    url: str
    status: int
    problem: str

    def __str__(self):
        return f"{self.status} {self.url}: {self.problem}"


@dataclass
class Sweep:
    """Requests made as one account against another union's data."""

    client: Client
    key: str
    foreign: World
    owned: dict[type, set]
    findings: list[Finding] = field(default_factory=list)
    requests: int = 0
    followed: dict = field(default_factory=dict)

    # Shared check ------------------------------------------------------
    def check(self, method: str, url: str, response, *, strict: bool, allowed=(403, 404)):
        self.requests += 1
        label = f"{method} {url}"
        if response.status_code >= 500:
            self.findings.append(Finding(label, response.status_code, "server error"))
            return
        leaks = self.foreign.leaks_in(_text(response))
        served = strict and response.status_code not in (*allowed, 301, 302, 405)
        if (leaks or served) and method == "GET" and self._public(url, leaks):
            return
        if leaks:
            self.findings.append(Finding(label, response.status_code, f"shows {leaks}"))
        if served:
            self.findings.append(
                Finding(label, response.status_code, "another union's object was served")
            )
        if response.status_code in (301, 302):
            # Refused admin views all send the caller to the same page; read it once.
            location = response["Location"]
            if location not in self.followed:
                self.followed[location] = self.foreign.leaks_in(_text(self.client.get(location)))
            if self.followed[location]:
                self.findings.append(Finding(label, 302, "redirect target shows the other union"))

    def _public(self, url: str, leaks: list[str]) -> bool:
        """A page anyone may open without signing in (a union's public join page,
        say) shows that union by design; that is not one union seeing another's data."""
        anonymous = Client(raise_request_exception=False).get(url)
        return anonymous.status_code == 200 and set(leaks) <= set(
            self.foreign.leaks_in(_text(anonymous))
        )

    def get(self, url: str, *, strict: bool, **extra):
        self.check("GET", url, self.client.get(url, **extra), strict=strict)

    # Admin -------------------------------------------------------------
    def admin_screens(self):
        union = self.foreign.union
        for model in admin.site._registry:
            prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
            changelist = reverse(f"{prefix}_changelist")
            self.get(changelist, strict=False)
            # Search for what the other union's strings share, not for the marker
            # itself: the search box echoes its query.
            self.get(f"{changelist}?q={quote(self.foreign.marker[1:])}", strict=False)
            self.get(f"{changelist}?union__id__exact={union.pk}", strict=False)
            for pk in sorted(self.owned.get(model, ()))[:1]:
                for view in ("change", "history", "delete"):
                    url = reverse(f"{prefix}_{view}", args=[admin_quote(pk)])
                    self.get(url, strict=True)
                url = reverse(f"{prefix}_delete", args=[admin_quote(pk)])
                self.check("POST", url, self.client.post(url, {"post": "yes"}), strict=True)

    # Every other URL pattern -------------------------------------------
    def url_patterns(self):
        union = self.foreign.union.pk
        for name, route, params in _walk(get_resolver().url_patterns):
            if "logout" in (name or "") or (name or "").startswith("api:"):
                continue
            hint = _admin_model(route)
            if hint is not None and _is_standard_admin_view(route, hint):
                continue  # admin_screens() covers these with the right model's keys
            if not params:
                url = _url(name, route, {})
                if url is not None:
                    self.get(f"{url}?union={union}", strict=False)
                continue
            for kwargs, strict in self._arguments(params, route, hint):
                url = _url(name, route, kwargs)
                if url is not None:
                    self.get(f"{url}?union={union}", strict=strict)

    def _arguments(self, params: dict, route: str = "", hint=None):
        choices, strict = {}, True
        for name, converter in params.items():
            values = self._values_for(name, converter, route, hint)
            if values is None:
                return
            choices[name], exact = values
            strict = strict and exact
        combos = itertools.product(*[[(n, v) for v in vs] for n, vs in choices.items()])
        for combo in itertools.islice(combos, 40):
            yield dict(combo), strict

    def _values_for(self, name: str, converter: str, route: str = "", hint=None):
        """B's keys for a URL parameter: exact when the name or the path says which model."""
        base = name.removesuffix("_id").removesuffix("_pk").replace("_", "")
        if base == "contenttype":
            return [ContentType.objects.get_for_model(m).pk for m in self.owned][:8], False
        generic = base in {"pk", "id", "object"}
        model = hint if generic and hint is not None else None
        if model is None:
            words = [base] if not generic else _route_words(route)
            model = _model_named(words, self.owned, route)
        if model is not None:
            return sorted(self.owned[model])[:2], True
        if base in {"key", "metric"}:
            return [m.key for m in registry.all_metrics()], False
        if base in {"code", "unioncode", "slug"}:
            return [self.foreign.union.code], True
        if converter in {"int", "path", "str", "string"} or generic:
            keys = sorted({pk for pks in self.owned.values() for pk in pks if isinstance(pk, int)})
            return keys[:5], False
        return None

    # The API -----------------------------------------------------------
    def api(self):
        schema = self.client.get("/api/v1/openapi.json").json()
        auth = {"HTTP_AUTHORIZATION": f"Bearer {self.key}"}
        for path, operations in schema["paths"].items():
            for method, operation in operations.items():
                params = [p for p in operation.get("parameters", []) if p["in"] == "path"]
                query = [p for p in operation.get("parameters", []) if p["in"] == "query"]
                body = _example_body(operation, schema)
                if params:
                    arguments = self._arguments({p["name"]: "int" for p in params}, path)
                    for kwargs, exact in arguments:
                        url = path.format(**kwargs)
                        response = self._api_call(method, url, body, auth)
                        self.check(method.upper(), url, response, strict=exact)
                elif method == "get":
                    for p in query:
                        found = self._values_for(p["name"], "query")
                        if found and found[1]:
                            url = f"{path}?{p['name']}={found[0][0]}"
                            self.check("GET", url, self.client.get(url, **auth), strict=False)

    def _api_call(self, method, url, body, auth):
        if method == "get":
            return self.client.get(url, **auth)
        return getattr(self.client, method)(
            url, json.dumps(body), content_type="application/json", **auth
        )


def _admin_model(route: str):
    parts = route.split("/")
    if len(parts) > 3 and parts[0] == "admin":
        try:
            model = apps.get_model(parts[1], parts[2])
        except (LookupError, ValueError):
            return None
        return model if model in admin.site._registry else None
    return None


def _is_standard_admin_view(route: str, model) -> bool:
    rest = route.split("/", 3)[3]
    return rest in {
        "",
        "add/",
        "<path:object_id>/",
        "<path:object_id>/change/",
        "<path:object_id>/history/",
        "<path:object_id>/delete/",
    }


def _route_words(route: str) -> list[str]:
    """Path segments before the first parameter, nearest first: admin/activities/<pk>/ -> activities."""
    head = route.split("<", 1)[0]
    return [w for w in reversed(head.strip("/").split("/")) if w and w != "admin"]


# Path segments whose model's name does not say so.
_NAMED_BY_ROUTE = {
    "reports/summaries/": "reports.SummaryReport",
    "safety/checks/": "safety.Inspection",
}


def _model_named(words: list[str], owned: dict, route: str = ""):
    """The owned model a path segment names: an exact name first, then one ending
    in it (activities -> activity). A model of the app the path names wins over
    any other (women/plans -> InsurancePlan, not reports.Plan); when several
    still match nobody can say whose key it is, so None and the keys are tried
    without the strict check.

    Taking the first loose match in dict order once read /reports/summaries/<pk>/
    as finance.AuditReport, and whether that key was a visible summary depended
    on the database's sequences."""
    for prefix, label in _NAMED_BY_ROUTE.items():
        if prefix in route:
            model = apps.get_model(label)
            return model if model in owned else None
    segments = set(route.replace("<", "/").split("/"))
    for word in words:
        word = word.replace("-", "").replace("_", "").lower()
        forms = {word, word.removesuffix("s"), word.removesuffix("es"), word[:-3] + "y"}
        loose = [f for f in forms if len(f) >= 4]
        matched = [
            [m for m in owned if m._meta.model_name in forms],
            [m for m in owned if any(m._meta.model_name.endswith(f) for f in loose)],
        ]
        local = [[m for m in found if m._meta.app_label in segments] for found in matched]
        for found in [*local, *matched]:
            if len(found) == 1:
                return found[0]
            if found:
                return None
    return None


def _text(response) -> str:
    text = response.content.decode("utf-8", "replace")
    if response.get("Content-Type", "").startswith("application/json"):
        try:
            text = json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            pass
    return text


def _walk(patterns, prefix="", namespace=None, params=None):
    for p in patterns:
        converters = dict(params or {})
        pattern = p.pattern
        route = str(pattern)
        for key, conv in getattr(pattern, "converters", {}).items():
            converters[key] = type(conv).__name__.removesuffix("Converter").lower()
        regex = getattr(pattern, "regex", None)
        if regex is not None and not hasattr(pattern, "_route"):
            for key in regex.groupindex:
                converters.setdefault(key, "str")
        if isinstance(p, URLResolver):
            ns = p.namespace
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(p.url_patterns, prefix + route, full_ns, converters)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name
            yield name, prefix + route, converters


def _url(name, route, kwargs):
    if name:
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            return None
    if "(" in route or "^" in route:
        return None
    url = "/" + route
    for key, value in kwargs.items():
        url = url.replace(f"<{key}>", str(value))
        for conv in ("int", "str", "slug", "path", "uuid"):
            url = url.replace(f"<{conv}:{key}>", str(value))
    return None if "<" in url else url


def _example_body(operation, schema):
    """A body that satisfies the request schema, so the call reaches the object lookup."""
    content = operation.get("requestBody", {}).get("content", {})
    spec = content.get("application/json", {}).get("schema")
    return _example(spec, schema) if spec else {}


def _example(spec, schema, name=""):
    if "$ref" in spec:
        ref = spec["$ref"].rsplit("/", 1)[-1]
        return _example(schema["components"]["schemas"][ref], schema, name)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in spec:
            options = [s for s in spec[key] if s.get("type") != "null"]
            return _example(options[0], schema, name) if options else None
    if "enum" in spec:
        return spec["enum"][-1]
    kind = spec.get("type")
    if kind == "object":
        required = spec.get("required", [])
        return {
            k: _example(v, schema, k)
            for k, v in spec.get("properties", {}).items()
            if k in required
        }
    if kind == "integer":
        return 1
    if kind == "number":
        return 1
    if kind == "boolean":
        return True
    if kind == "array":
        return []
    if spec.get("format") == "date":
        return "2024-01-02"
    if spec.get("format") == "date-time":
        return datetime(2024, 1, 2, 9).isoformat()
    return "测试"
