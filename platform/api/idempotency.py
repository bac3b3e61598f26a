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
from sqlalchemy import delete, event, insert, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

from ..auth.principal import authenticate
from ..db import autocommit_reads, execute_alone, utcnow
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


_keys = IdempotencyRecord.__table__
_INSERT, _READ = insert(_keys), select(_keys)


def _this_key(tenant_id: str, key: str) -> tuple:
    return _keys.c.tenant_id == tenant_id, _keys.c.key == key


def _reserve(tenant_id: str, key: str, fingerprint: str):
    """Returns a stored response to replay, or None once the key is reserved for this request.

    Inserts first: a new key (nearly every request) costs one statement."""
    settings = current_app.config["MH_SETTINGS"]
    for _ in range(3):  # again only when the key was freed or expired in between
        now = utcnow()
        try:
            execute_alone(_INSERT, {"tenant_id": tenant_id, "key": key, "created_at": now,
                                    "request_fingerprint": fingerprint, "change_committed": False})
            return None
        except IntegrityError:
            pass
        autocommit_reads()  # no transaction to roll back after one SELECT
        record = db.session.execute(_READ.where(*_this_key(tenant_id, key))).first()
        if record is None:
            continue  # its request failed and freed it
        if record.created_at < now - timedelta(hours=settings.idempotency_ttl_hours):
            execute_alone(delete(_keys).where(*_this_key(tenant_id, key),
                                              _keys.c.created_at == record.created_at))
            continue
        if record.request_fingerprint != fingerprint:
            raise ValidationError("This Idempotency-Key was used with a different request.",
                                  code="idempotency_key_reused")
        if record.response_status is None:
            _recover_or_wait(record, now - timedelta(seconds=settings.idempotency_lease_seconds))
            return None  # taken over: this request runs
        response = current_app.response_class(record.response_body, mimetype="application/json",
                                              status=record.response_status)
        response.headers["Idempotent-Replayed"] = "true"
        return response
    raise _in_progress()


def _recover_or_wait(record, lease_start) -> None:
    """Takes over the key of a request that died before changing anything; raises otherwise."""
    if record.created_at >= lease_start:
        raise _in_progress()
    if record.change_committed:
        raise ConflictError(
            "The first request with this Idempotency-Key made its change but stopped before "
            "answering. Look the result up (GET) instead of sending it again.",
            code="idempotency_key_answer_lost")
    taken = execute_alone(update(_keys).where(  # one retry wins: the others see it renewed
        *_this_key(record.tenant_id, record.key), _keys.c.created_at == record.created_at,
        _keys.c.response_status.is_(None), _keys.c.change_committed.is_(False),
    ).values(created_at=utcnow())).rowcount
    if not taken:
        raise _in_progress()


def _note_committed_change(session) -> None:
    """In the transaction of the request's change: the reservation records that it committed."""
    reserved = g.get(_RESERVED) if has_request_context() else None
    if reserved is None or session.in_nested_transaction():
        return
    session.execute(update(_keys).where(*_this_key(*reserved)).values(change_committed=True))
    setattr(g, _COMMITTED, True)


def install() -> None:
    """Listen on the app's sessions (once per process, however many apps are created)."""
    if not event.contains(db.session, "before_commit", _note_committed_change):
        event.listen(db.session, "before_commit", _note_committed_change)


def _finish(tenant_id: str, key: str, response) -> None:
    g.pop(_RESERVED, None)
    committed = g.pop(_COMMITTED, False)
    if response.status_code >= 400 and not committed:
        # A failed request changed nothing: the key may be sent again.
        execute_alone(delete(_keys).where(*_this_key(tenant_id, key)))
    else:
        execute_alone(update(_keys).where(*_this_key(tenant_id, key)).values(
            response_status=response.status_code, response_body=response.get_data(as_text=True)))


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

