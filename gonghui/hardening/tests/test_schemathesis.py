"""schemathesis against /api/v1/openapi.json, in process through Django's WSGI
application, signed in as union A's cadre with a bearer token.

Each operation gets a bounded number of generated requests (valid and invalid
by the schema); every response must be no server error, have a status code
and content type the schema documents, and a body that matches the schema.
SCHEMATHESIS_EXAMPLES raises the count for a longer run (docs/testing.md).
"""

import json
import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from gonghui.hardening.tests.openapi_cases import PREFIX
from gonghui.hardening.tests.openapi_cases import schema as openapi_schema

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "3"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]

# The schema the API serves (test_api_bad_input checks it is this one), loaded
# without a request so collection needs no database.
api_schema = schemathesis.openapi.from_dict(json.loads(json.dumps(openapi_schema())))
api_schema.app = get_wsgi_application()

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _hosts(settings):
    settings.ALLOWED_HOSTS = ["*"]


@api_schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_its_schema_says(case, world):
    auth = world.auth(as_member=any(s in ("my", "me") for s in case.path.split("/")))
    case.call_and_validate(headers={"Authorization": auth["HTTP_AUTHORIZATION"]}, checks=CHECKS)


def test_the_schema_is_the_one_under_the_api_prefix():
    assert all(path.startswith(PREFIX) for path in api_schema.raw_schema["paths"])
