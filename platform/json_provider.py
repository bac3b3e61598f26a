"""JSON in and out without float: decimals parse as Decimal (exact money) and dump as strings."""
import json
from decimal import Decimal

from flask.json.provider import DefaultJSONProvider


class ExactJSONProvider(DefaultJSONProvider):
    def loads(self, s, **kwargs):
        kwargs.setdefault("parse_float", Decimal)
        try:
            return json.loads(s, **kwargs)
        except RecursionError:  # e.g. 100k nested arrays: bad JSON (400), not a crash (500)
            raise ValueError("JSON nested too deeply") from None
