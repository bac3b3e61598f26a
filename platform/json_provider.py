"""JSON in and out without float: decimals parse as Decimal (exact money) and dump as strings.

Responses are encoded with orjson (several times faster than the standard library on a page of
products) with Flask's own conversions for what JSON lacks: Decimal, dates, UUIDs, dataclasses.
"""
import json
from decimal import Decimal

import orjson
from flask.json.provider import DefaultJSONProvider

# Hand dates and dataclasses to Flask's default() too, so the output is what Flask would write.
_ORJSON_OPTIONS = (orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME
                   | orjson.OPT_PASSTHROUGH_DATACLASS)


class ExactJSONProvider(DefaultJSONProvider):
    def loads(self, s, **kwargs):
        kwargs.setdefault("parse_float", Decimal)
        try:
            return json.loads(s, **kwargs)
        except RecursionError:  # e.g. 100k nested arrays: bad JSON (400), not a crash (500)
            raise ValueError("JSON nested too deeply") from None

    def dumps(self, obj, **kwargs):
        option = _ORJSON_OPTIONS | (orjson.OPT_SORT_KEYS if self.sort_keys else 0)
        if kwargs.get("indent"):
            option |= orjson.OPT_INDENT_2
        try:
            return orjson.dumps(obj, default=self.default, option=option).decode()
        except TypeError:  # what orjson refuses (integers beyond 64 bits, say): the stdlib's way
            return super().dumps(obj, **kwargs)
