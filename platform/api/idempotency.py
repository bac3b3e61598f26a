"""`Idempotency-Key` on POST: the same key replays the first response (like Stripe).

The same key with a different request is a 422; a key whose first request is still running is a
409. Only successful responses are kept: a request that failed changed nothing, so its key may be
sent again. Keys are kept `idempotency_ttl_hours` (24 h by default), then purged.
"""
from __future__ import annotations

import hashlib
from datetime import timedelta
from functools import wraps

from flask import current_app, request
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

from ..auth.principal import authenticate
from ..db import utcnow, write_transaction
from ..errors import (AppError, ConflictError, ValidationError, handle_app_error,
                      handle_http_exception)
from ..extensions import db
from ..models import IdempotencyRecord

HEADER = "Idempotency-Key"


def _fingerprint() -> str:
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.path}\n".encode())
    digest.update(request.get_data(cache=True))
    return digest.hexdigest()


def _reserve(tenant_id: str, key: str, fingerprint: str):
    """Returns a stored response to replay, or None once the key is reserved for this request."""
    settings = current_app.config["MH_SETTINGS"]
    cutoff = utcnow() - timedelta(hours=settings.idempotency_ttl_hours)
    record = db.session.execute(select(IdempotencyRecord).where(
        IdempotencyRecord.tenant_id == tenant_id, IdempotencyRecord.key == key)).scalar()
    if record is not None and record.created_at < cutoff:
        with write_transaction() as session:
            session.execute(delete(IdempotencyRecord).where(
                IdempotencyRecord.tenant_id == tenant_id, IdempotencyRecord.key == key))
        record = None
    if record is None:
        try:
            with write_transaction() as session:
                session.add(IdempotencyRecord(tenant_id=tenant_id, key=key,
                                              request_fingerprint=fingerprint))
            return None
        except IntegrityError:
            raise ConflictError("A request with this Idempotency-Key is in progress.",
                                code="idempotency_key_in_progress") from None
    if record.request_fingerprint != fingerprint:
        raise ValidationError("This Idempotency-Key was used with a different request.",
                              code="idempotency_key_reused")
    if record.response_status is None:
        raise ConflictError("A request with this Idempotency-Key is in progress.",
                            code="idempotency_key_in_progress")
    response = current_app.response_class(record.response_body, status=record.response_status,
                                          mimetype="application/json")
    response.headers["Idempotent-Replayed"] = "true"
    return response


def _finish(tenant_id: str, key: str, response) -> None:
    with write_transaction() as session:
        record = session.get(IdempotencyRecord, (tenant_id, key))
        if response.status_code >= 400:
            session.delete(record)  # a failed request changed nothing: the key may be reused
        else:
            record.response_status = response.status_code
            record.response_body = response.get_data(as_text=True)


def idempotent(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return view(*args, **kwargs)
        if not 1 <= len(key) <= 255 or not key.isprintable():
            raise AppError("Idempotency-Key must be 1 to 255 printable characters.",
                           code="invalid_idempotency_key")
        tenant_id = authenticate().tenant_id
        replay = _reserve(tenant_id, key, _fingerprint())
        if replay is not None:
            return replay
        try:
            response = current_app.make_response(view(*args, **kwargs))
        except AppError as error:
            response = handle_app_error(error)
        except HTTPException as error:
            response = handle_http_exception(error)
        except BaseException:
            _finish(tenant_id, key, current_app.response_class(status=500))
            raise
        _finish(tenant_id, key, response)
        return response
    return wrapper

