"""`Idempotency-Key` on POST: the same key replays the first response (like Stripe).

The same key with a different request is a 422; a key whose first request is still running is a
409. A request that failed before changing anything frees its key (it may be sent again); once its
change has committed, its answer is kept whatever it is. Keys are kept `idempotency_ttl_hours`
(24 h by default), then purged.

A process that dies mid-request leaves its key reserved without an answer. The reservation notes,
in the same transaction as the change, that the change committed. So after
`idempotency_lease_seconds` a retry can tell the two cases apart: nothing committed, and the retry
takes the key over and runs; the change committed but its answer was lost, and the retry gets a
409 `idempotency_key_answer_lost` rather than a second order.
"""
from __future__ import annotations

import hashlib
from datetime import timedelta
from functools import wraps

from flask import current_app, g, has_request_context, request
from sqlalchemy import delete, event, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

from ..auth.principal import authenticate
from ..db import utcnow, write_transaction
from ..errors import (AppError, ConflictError, ValidationError, handle_app_error,
                      handle_http_exception, json_error)
from ..extensions import db
from ..models import IdempotencyRecord

HEADER = "Idempotency-Key"
_RESERVED = "idempotency_reservation"  # g: (tenant_id, key) while this request holds the key
_COMMITTED = "idempotency_change_committed"  # g: True once the request's change committed


def _fingerprint() -> str:
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.path}\n".encode())
    digest.update(request.get_data(cache=True))
    return digest.hexdigest()


def _in_progress() -> ConflictError:
    return ConflictError("A request with this Idempotency-Key is in progress.",
                         code="idempotency_key_in_progress")


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
            raise _in_progress() from None
    if record.request_fingerprint != fingerprint:
        raise ValidationError("This Idempotency-Key was used with a different request.",
                              code="idempotency_key_reused")
    if record.response_status is None:
        _recover_or_wait(record, utcnow() - timedelta(seconds=settings.idempotency_lease_seconds))
        return None  # taken over: this request runs
    response = current_app.response_class(record.response_body, status=record.response_status,
                                          mimetype="application/json")
    response.headers["Idempotent-Replayed"] = "true"
    return response


def _recover_or_wait(record: IdempotencyRecord, lease_start) -> None:
    """Takes over the key of a request that died before changing anything; raises otherwise."""
    # Read now: the write transaction below begins with a rollback, which expires `record`.
    tenant_id, key, reserved_at = record.tenant_id, record.key, record.created_at
    if reserved_at >= lease_start:
        raise _in_progress()
    if record.change_committed:
        raise ConflictError(
            "The first request with this Idempotency-Key made its change but stopped before "
            "answering. Look the result up (GET) instead of sending it again.",
            code="idempotency_key_answer_lost")
    with write_transaction() as session:  # one retry wins the key: the others see it renewed
        taken = session.execute(update(IdempotencyRecord).where(
            IdempotencyRecord.tenant_id == tenant_id, IdempotencyRecord.key == key,
            IdempotencyRecord.created_at == reserved_at,
            IdempotencyRecord.response_status.is_(None),
            IdempotencyRecord.change_committed.is_(False)).values(created_at=utcnow())).rowcount
    if not taken:
        raise _in_progress()


def _note_committed_change(session) -> None:
    """In the transaction of the request's change: the reservation records that it committed."""
    reserved = g.get(_RESERVED) if has_request_context() else None
    if reserved is None or session.in_nested_transaction():
        return
    tenant_id, key = reserved
    session.execute(update(IdempotencyRecord).where(
        IdempotencyRecord.tenant_id == tenant_id, IdempotencyRecord.key == key)
        .values(change_committed=True))
    setattr(g, _COMMITTED, True)


def install() -> None:
    """Listen on the app's sessions (once per process, however many apps are created)."""
    if not event.contains(db.session, "before_commit", _note_committed_change):
        event.listen(db.session, "before_commit", _note_committed_change)


def _finish(tenant_id: str, key: str, response) -> None:
    g.pop(_RESERVED, None)
    committed = g.pop(_COMMITTED, False)
    this_key = (IdempotencyRecord.tenant_id == tenant_id, IdempotencyRecord.key == key)
    with write_transaction() as session:
        if response.status_code >= 400 and not committed:
            # A failed request changed nothing: the key may be sent again.
            session.execute(delete(IdempotencyRecord).where(*this_key))
        else:
            session.execute(update(IdempotencyRecord).where(*this_key).values(
                response_status=response.status_code,
                response_body=response.get_data(as_text=True)))


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
        setattr(g, _RESERVED, (tenant_id, key))
        try:
            response = current_app.make_response(view(*args, **kwargs))
        except AppError as error:
            response = handle_app_error(error)
        except HTTPException as error:
            response = handle_http_exception(error)
        except BaseException:
            _finish(tenant_id, key, json_error(500, "internal_error",
                                               "An internal error occurred; it has been logged."))
            raise
        _finish(tenant_id, key, response)
        return response
    return wrapper

