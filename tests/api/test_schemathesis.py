"""Schemathesis against the live test server: requests generated from the served OpenAPI schema, sent
with a system account's token, must get no server error and no response the schema does not describe.

Bounded: a few examples per operation (hypothesis settings below), no shrinking of a passing run. The
database is restored afterwards (serialized rollback), so the reference data of the migrations stays
for the tests that follow. (Each operation runs as a hypothesis test inside this one test:
schemathesis' lazy pytest loader does not run under this pytest.)
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES_PER_OPERATION = 8


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_api_keeps_to_its_schema(live_server, api_world, make_token, settings):
    settings.MCEE_API_RATE = "100000/minute"  # the point here is the schema, not the rate limit
    _account, secret = make_token("CBSA officers", permissions=["push_travel_documents"])
    headers = {"Authorization": f"Bearer {secret}"}
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/?format=json", headers=headers)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 14  # every operation of the schema, none skipped silently
    checked = []
    for operation in operations:
        @given(case=operation.as_strategy())
        @hypothesis_settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
                             phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        def run(case):
            case.call_and_validate(base_url=live_server.url, headers=headers, checks=CHECKS)

        run()
        checked.append(operation.label)
    assert "POST /api/v1/td-monthly/batch/" in checked and "PATCH /api/v1/engagements/{id}/" in checked
