"""Responses are encoded with orjson, but exactly as Flask's own provider would write them."""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest
from flask import Flask
from flask.json.provider import DefaultJSONProvider

from markethub.platform.json_provider import ExactJSONProvider


@pytest.mark.parametrize("value", [
    {"b": 1, "a": [True, None, "ç", 1.5]},
    {"money": Decimal("199.80"), "when": datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)},
    {"beyond_64_bits": 2**70},  # orjson refuses: the standard library writes it
], ids=["plain", "decimal and datetime", "huge integer"])
def test_encodes_like_flask(value):
    app = Flask(__name__)
    ours, flasks = ExactJSONProvider(app), DefaultJSONProvider(app)

    assert ours.loads(ours.dumps(value)) == flasks.loads(flasks.dumps(value))
    assert list(ours.loads(ours.dumps(value))) == sorted(value)  # keys sorted, as Flask does


def test_decimals_parse_exactly():
    assert ExactJSONProvider(Flask(__name__)).loads('{"price": 99.90}') == {
        "price": Decimal("99.90")}
