"""Turning one page of raw ERP rows into records without letting one odd row sink the run:
a row the mapper cannot read becomes an item error (visible in the run), never a silent skip."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import InvalidOperation

from .spec import Page

MAPPING_ERRORS = (KeyError, ValueError, TypeError, InvalidOperation)


def map_rows(rows: Iterable[dict], mapper: Callable[[dict], dict], ident: Callable[[dict], str],
             resume: dict) -> Page:
    records, errors = [], []
    for row in rows:
        try:
            records.append(mapper(row))
        except MAPPING_ERRORS as exc:
            errors.append({"external_id": _safe_ident(ident, row), "code": "unreadable_record",
                           "message": f"Could not read this record: {exc!r}"})
    return Page(records=records, errors=errors, resume=resume)


def item_error(external_id: str, error) -> dict:
    """An item the ERP refused or lost, with the ERP's own words."""
    return {"external_id": external_id, **error.to_dict()}


def _safe_ident(ident, row) -> str | None:
    try:
        return str(ident(row))
    except MAPPING_ERRORS:
        return None
