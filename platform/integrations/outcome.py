"""What applying one page of pulled records did: counts per entity and the items refused, each
with a stable code and the words of whoever refused it (the ERP, or our own validation)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from marshmallow import ValidationError as SchemaError

from ..auth.principal import Principal
from ..errors import AppError, ValidationError, flatten_field_errors

COUNTS = ("created", "updated", "unchanged", "failed")


@dataclass(frozen=True)
class SyncScope:
    """Who writes (the integration's principal: its events carry the integration's origin)."""
    principal: Principal
    integration_id: str
    provider: str

    @property
    def tenant_id(self) -> str:
        return self.principal.tenant_id


@dataclass
class PageOutcome:
    counts: dict[str, Counter] = field(default_factory=dict)
    errors: list[dict] = field(default_factory=list)

    def count(self, entity: str, what: str) -> None:
        self.counts.setdefault(entity, Counter())[what] += 1

    def fail(self, entity: str, external_id: str | None, error: AppError) -> None:
        self.count(entity, "failed")
        item = {"entity": entity, "external_id": external_id, "code": error.code,
                "message": error.message}
        if error.fields:
            item["fields"] = error.fields
        self.errors.append(item)

    def erp_errors(self, entity: str, errors: list[dict]) -> None:
        """Items the connector could not read or the ERP lost, in the ERP's own words."""
        for error in errors:
            self.count(entity, "failed")
            self.errors.append({"entity": entity, **error})


def checked(schema, payload: dict, partial: bool = False) -> dict:
    """Load a pulled record through the API's own schema: the same rules as any other write."""
    try:
        return schema.load(payload, partial=partial)
    except SchemaError as error:
        fields = flatten_field_errors(error.messages)
        raise ValidationError("The ERP record does not pass MarketHub's validation: "
                              + ", ".join(sorted(fields)) + ".", fields=fields) from None
