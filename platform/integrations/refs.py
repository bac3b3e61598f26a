"""The id map between our records and the ERP's (ExternalRef), per integration and resource.

Refs are read a page at a time and written a page at a time (one transaction), after the
records themselves: if a run dies in between, the resumed page finds the records again by SKU
(or channel + number) and writes the refs then.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from ..db import utcnow, write_transaction
from ..extensions import db
from ..models import ExternalRef


def fingerprint(record: dict) -> str:
    """A stable hash of a pulled record: same hash, nothing changed in the ERP."""
    text = json.dumps(record, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Ref:
    local_id: str
    external_id: str
    fingerprint: str | None


def by_external(integration_id: str, resource: str, external_ids: Iterable[str]) -> dict[str, Ref]:
    return _by(integration_id, resource, ExternalRef.external_id, external_ids)


def by_local(integration_id: str, resource: str, local_ids: Iterable[str]) -> dict[str, Ref]:
    return _by(integration_id, resource, ExternalRef.local_id, local_ids)


def _by(integration_id: str, resource: str, column, values: Iterable[str]) -> dict[str, Ref]:
    """The refs whose `column` is one of `values`, keyed by that value."""
    values = sorted(set(values))
    if not values:
        return {}
    rows = db.session.execute(select(ExternalRef).where(
        ExternalRef.integration_id == integration_id, ExternalRef.resource == resource,
        column.in_(values))).scalars()
    return {getattr(row, column.key): Ref(row.local_id, row.external_id, row.fingerprint)
            for row in rows}


def save(tenant_id: str, integration_id: str, resource: str, refs: Iterable[Ref]) -> None:
    """Upsert refs in one transaction; a ref replaces any other that claimed either id (the
    record was re-linked: a product deleted here and pulled again, a re-created ERP record)."""
    refs = list(refs)
    if not refs:
        return
    for attempt in range(2):
        try:
            with write_transaction() as session:
                _upsert(session, tenant_id, integration_id, resource, refs)
            return
        except IntegrityError:  # a concurrent push wrote one of these refs: read and retry
            if attempt:
                raise


def _upsert(session, tenant_id: str, integration_id: str, resource: str, refs: list[Ref]) -> None:
    now = utcnow()
    scope = (ExternalRef.integration_id == integration_id, ExternalRef.resource == resource)
    local_ids = [ref.local_id for ref in refs]
    external_ids = [ref.external_id for ref in refs]
    existing = {row.local_id: row for row in session.execute(select(ExternalRef).where(
        *scope, ExternalRef.local_id.in_(local_ids))).scalars()}
    stale = [ref.local_id for ref in refs
             if ref.local_id in existing and existing[ref.local_id].external_id != ref.external_id]
    session.execute(delete(ExternalRef).where(*scope, ExternalRef.external_id.in_(external_ids),
                                              ExternalRef.local_id.notin_(local_ids)))
    if stale:
        session.execute(delete(ExternalRef).where(*scope, ExternalRef.local_id.in_(stale)))
        session.flush()
        for local_id in stale:
            existing.pop(local_id)
    for ref in refs:
        row = existing.get(ref.local_id)
        if row is None:
            session.add(ExternalRef(integration_id=integration_id, resource=resource,
                                    local_id=ref.local_id, tenant_id=tenant_id,
                                    external_id=ref.external_id, fingerprint=ref.fingerprint,
                                    created_at=now, updated_at=now))
        elif row.fingerprint != ref.fingerprint:
            row.fingerprint, row.updated_at = ref.fingerprint, now


def link(tenant_id: str, integration_id: str, resource: str, local_id: str,
         external_id: str) -> None:
    """Record one pair made by a push (the ERP order created for our order…), keeping the
    fingerprint a sync may already have written for it."""
    current = by_local(integration_id, resource, [local_id]).get(local_id)
    if current is not None and current.external_id == external_id:
        return
    save(tenant_id, integration_id, resource, [Ref(local_id, external_id, None)])
