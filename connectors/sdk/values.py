"""Exact values: decimals (money, quantities) and the ERP's local time.

Money is Decimal, never float. ERPs send JSON numbers (Bling, Omie) or decimal strings (Tiny);
both go through `to_decimal`, which reads the *text* of the number.
"""
from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# The three ERPs run on Brasília time. Brazil has had no daylight saving since 2019, so a
# fixed offset is exact (and needs no tz database on the machine).
BRASILIA = timezone(timedelta(hours=-3), "America/Sao_Paulo")
CENTS = Decimal("0.01")


def to_decimal(value) -> Decimal:
    """Decimal from an ERP value: Decimal, int, numeric string or float (through its text)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool) or value is None:
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, float):
        value = repr(value)
    try:
        return Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {value!r}") from exc


def money(value) -> str:
    """A money amount as the string our records carry: exactly two decimal places."""
    return str(to_decimal(value).quantize(CENTS, rounding=ROUND_HALF_UP))


def quantity(value) -> str:
    """A quantity as a plain decimal string without needless trailing zeros ("12", "0.5")."""
    number = to_decimal(value)
    text = format(number.normalize(), "f")
    return text if text != "-0" else "0"


def optional_money(value) -> str | None:
    return None if value in (None, "") else money(value)


def utc(moment: datetime) -> datetime:
    """An aware datetime in UTC (naive input is taken as UTC)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def to_erp_local(moment: datetime) -> datetime:
    """Our UTC instant as the naive Brasília wall-clock time the ERP's filters expect."""
    return utc(moment).astimezone(BRASILIA).replace(tzinfo=None)


def from_erp_local(moment: datetime) -> datetime:
    """A naive Brasília wall-clock time from the ERP as an aware UTC datetime."""
    return moment.replace(tzinfo=BRASILIA).astimezone(timezone.utc)


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else utc(moment).isoformat().replace("+00:00", "Z")


def parse_iso(text: str) -> datetime:
    return utc(datetime.fromisoformat(text.replace("Z", "+00:00")))


_DECIMAL_MARK = "\u0000dec:"
_DECIMAL_TOKEN = re.compile(r'"\\u0000dec:(-?[0-9.]+)"')


def dumps_json(payload) -> bytes:
    """JSON for an ERP that wants numbers: Decimals are written as JSON numbers with their exact
    text (no float on the way), e.g. Decimal("19.90") -> 19.90."""
    def encode(value):
        if isinstance(value, Decimal):
            return _DECIMAL_MARK + format(value, "f")
        raise TypeError(f"cannot encode {type(value).__name__}")

    text = json.dumps(payload, default=encode, ensure_ascii=False, separators=(",", ":"))
    text = _DECIMAL_TOKEN.sub(r"\1", text)
    return text.encode("utf-8")
