"""marshmallow fields shared by every resource: safe text, exact money, bounded metadata."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from marshmallow import ValidationError, fields, validate

from .. import validators

_FORBIDDEN_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
MAX_MONEY = Decimal("9999999999.99")


class Text(fields.String):
    """A string without NUL, control characters or lone surrogates (PostgreSQL rejects them)."""

    def __init__(self, *, max_length: int = 255, min_length: int = 0, strip: bool = True, **kw):
        kw.setdefault("validate", validate.Length(min=min_length, max=max_length))
        super().__init__(**kw)
        self.strip = strip

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if _FORBIDDEN_CHARS.search(value):
            raise ValidationError("Contains control characters or invalid unicode.")
        return value.strip() if self.strip else value


class Money(fields.Decimal):
    """Exact decimal with 2 places, given as a JSON number or string, answered as a string."""

    def __init__(self, *, places: int = 2, maximum: Decimal = MAX_MONEY, **kw):
        kw.setdefault("validate", validate.Range(min=Decimal(0), max=maximum))
        super().__init__(places=places, as_string=True, allow_nan=False, **kw)
        self.max_places = places

    def _validated(self, value):
        if isinstance(value, bool):
            raise self.make_error("invalid")
        try:
            number = Decimal(str(value).strip())
        except (InvalidOperation, ValueError):
            raise self.make_error("invalid") from None
        if not number.is_finite():
            raise self.make_error("special")
        if number.as_tuple().exponent < -self.max_places and number != number.quantize(
                Decimal(1).scaleb(-self.max_places)):
            raise ValidationError(f"At most {self.max_places} decimal places.")
        if abs(number) > Decimal(10) ** 15:
            raise ValidationError("Number too large.")
        return super()._validated(number)


class Quantity(fields.Integer):
    def __init__(self, *, minimum: int = 0, maximum: int = 1_000_000_000, **kw):
        kw.setdefault("validate", validate.Range(min=minimum, max=maximum))
        super().__init__(strict=True, **kw)


class Inline(fields.Nested):
    """A nested object in the API whose fields are columns of the parent: dumped from the parent
    object itself, loaded as a nested object."""

    _CHECK_ATTRIBUTE = False

    def _serialize(self, nested_obj, attr, obj, **kwargs):
        return super()._serialize(obj, attr, obj, **kwargs)


class Metadata(fields.Dict):
    """Free-form key/value pairs for the integrator's own use (like Stripe's metadata)."""

    def __init__(self, **kw):
        super().__init__(keys=Text(max_length=40, min_length=1),
                         values=Text(max_length=500, strip=False, allow_none=False), **kw)

    def _deserialize(self, value, attr, data, **kwargs):
        result = super()._deserialize(value, attr, data, **kwargs)
        if len(result) > 50:
            raise ValidationError("At most 50 keys.")
        return result


class Document(Text):
    """CPF or CNPJ (alphanumeric too); stored without punctuation."""

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        normalised = validators.normalise_document(value[:32])
        if normalised is None:
            raise ValidationError("Not a valid CPF or CNPJ (check digits do not match).")
        return normalised[0]


class Gtin(Text):
    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if not validators.is_valid_gtin(value):
            raise ValidationError("Not a valid GTIN/EAN (8, 12, 13 or 14 digits, check digit).")
        return value


class Ncm(Text):
    def _deserialize(self, value, attr, data, **kwargs):
        normalised = validators.normalise_ncm(super()._deserialize(value, attr, data, **kwargs))
        if normalised is None:
            raise ValidationError("NCM must have 8 digits (e.g. 8471.30.12).")
        return normalised


class Cep(Text):
    def _deserialize(self, value, attr, data, **kwargs):
        normalised = validators.normalise_cep(super()._deserialize(value, attr, data, **kwargs))
        if normalised is None:
            raise ValidationError("CEP must have 8 digits (e.g. 01310-100).")
        return normalised
