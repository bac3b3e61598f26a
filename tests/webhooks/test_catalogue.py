"""The event catalogue: exact names, a valid JSON Schema and a matching example for each."""
from __future__ import annotations

import jsonschema
import pytest

from markethub.platform.events.catalogue import EVENT_TYPES, expand, matches, pattern_error

NAMES = [
    "product.created", "product.updated", "product.deleted", "product.stock_low",
    "order.created", "order.updated", "order.status_changed", "order.shipped",
    "order.delivered", "order.cancelled", "customer.created", "customer.updated",
    "inventory.updated", "inventory.low_stock_alert", "integration.connected",
    "integration.disconnected", "integration.error",
]


def test_the_catalogue_has_exactly_the_seventeen_names():
    assert [event_type.name for event_type in EVENT_TYPES] == NAMES


@pytest.mark.parametrize("event_type", EVENT_TYPES, ids=lambda t: t.name)
def test_each_example_validates_against_its_schema(event_type):
    jsonschema.Draft202012Validator.check_schema(event_type.schema)
    validator = jsonschema.Draft202012Validator(event_type.schema)
    assert list(validator.iter_errors(event_type.example)) == []
    assert event_type.fires_when


def test_a_schema_rejects_the_wrong_resource():
    order_schema = next(t.schema for t in EVENT_TYPES if t.name == "order.created")
    product_example = next(t.example for t in EVENT_TYPES if t.name == "product.created")
    assert not jsonschema.Draft202012Validator(order_schema).is_valid(product_example)


def test_wildcards_match_groups_and_everything():
    assert matches(["order.*"], "order.shipped")
    assert not matches(["order.*"], "orders.shipped")
    assert not matches(["order.*"], "product.created")
    assert matches(["*"], "integration.error")
    assert matches(["product.stock_low"], "product.stock_low")
    assert expand(["inventory.*", "product.stock_low"]) == [
        "product.stock_low", "inventory.updated", "inventory.low_stock_alert"]


@pytest.mark.parametrize("pattern", ["order.*", "*", "customer.updated"])
def test_valid_patterns(pattern):
    assert pattern_error(pattern) is None


@pytest.mark.parametrize("pattern", ["order", "orders.*", "order.paid", "*.created", ""])
def test_invalid_patterns_say_what_is_allowed(pattern):
    assert "GET /v1/events/types" in pattern_error(pattern)


def test_the_types_endpoint_lists_every_type_with_schema_and_example(api):
    response = api.get("/v1/events/types")

    assert response.status_code == 200
    listed = response.json["data"]
    assert [item["type"] for item in listed] == NAMES
    stock_low = listed[NAMES.index("product.stock_low")]
    assert "once per crossing" in stock_low["description"]
    assert stock_low["schema"]["type"] == "object" and stock_low["example"]["object"] == "product"


def test_the_types_endpoint_filters_by_group(api):
    response = api.get("/v1/events/types?group=integration")
    assert [item["type"] for item in response.json["data"]] == NAMES[-3:]


def test_the_types_endpoint_needs_the_events_scope(client, make_account):
    account = make_account(scopes=["products:read"])
    response = client.get("/v1/events/types", headers=account.headers)
    assert response.status_code == 403
    assert response.json["error"]["code"] == "insufficient_scope"
