"""The OpenAPI document the API publishes at /api/v1/openapi.json.

Two additions to what django-ninja generates:

- Shapes with the same class name in two areas (care's and women's
  `CampaignDetail`, safety's and learning's `ContestOut`, …) get distinct
  component names. Ninja files every shape under its bare class name, so the
  last area registered silently replaced the others and the schema described
  the wrong body for the rest (schemathesis found it). An ambiguous name is
  prefixed with its area: `CareCampaignDetail`, `WomenCampaignDetail`.
- The error answers every route can give (400, 401, 403, 404, 409, 422, 429;
  see errors.py) are listed on every operation.
"""

import inspect
import sys
from functools import cache

from ninja import NinjaAPI, Schema
from ninja.openapi import schema as ninja_openapi
from ninja.schema import NinjaGenerateJsonSchema
from pydantic.json_schema import DefsRef

from gonghui.api import errors

PACKAGE = "gonghui.api"


@cache
def ambiguous_names() -> frozenset[str]:
    """Class names of shapes defined in more than one module of the API package."""
    modules: dict[str, set[str]] = {}
    for name, module in list(sys.modules.items()):
        if module is None or not name.startswith(PACKAGE):
            continue
        for cls_name, obj in vars(module).items():
            if inspect.isclass(obj) and issubclass(obj, Schema) and obj.__module__ == name:
                modules.setdefault(cls_name, set()).add(name)
    return frozenset(n for n, found in modules.items() if len(found) > 1)


def _area_prefix(module: str) -> str:
    area = module.rsplit(".", 1)[-1].removeprefix("schemas").strip("_") or "common"
    return "".join(word.title() for word in area.split("_"))


class UniqueComponentNames(NinjaGenerateJsonSchema):
    def get_defs_ref(self, core_mode_ref):
        key = super().get_defs_ref(core_mode_ref)
        core_ref = core_mode_ref[0]
        if "[" in core_ref:
            return key  # generics keep pydantic's naming
        module, _, name = core_ref.rsplit(":", 1)[0].rpartition(".")
        if module.startswith(PACKAGE) and name in ambiguous_names():
            unique = DefsRef(_area_prefix(module) + name)
            self._prioritized_defsref_choices[key] = [
                unique,
                *self._prioritized_defsref_choices[key],
            ]
        return key


class GonghuiAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        generator = ninja_openapi.NinjaGenerateJsonSchema
        ninja_openapi.NinjaGenerateJsonSchema = UniqueComponentNames
        try:
            schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        finally:
            ninja_openapi.NinjaGenerateJsonSchema = generator
        return errors.document_common_responses(schema)
