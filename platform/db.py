"""The small portable seam between SQLite (embedded default) and PostgreSQL.

SQLite: WAL, busy_timeout and synchronous=NORMAL on connect, and `BEGIN IMMEDIATE` for write
transactions (measured: anything weaker loses updates or answers "database is locked" under
concurrent writers). PostgreSQL: row locks with `FOR UPDATE`.
"""
from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timezone

from sqlalchemy import event, inspect
from sqlalchemy.engine import Engine

from .extensions import db

WRITE_OPTION = "markethub_write"
_AUTOCOMMIT = "AUTOCOMMIT"
_BATCH = "markethub_batch"


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def configure_engine(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        write = connection.get_execution_options().get(WRITE_OPTION)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def table_row(obj) -> dict:
    """An ORM object's column values keyed as its table's columns: the row a Core INSERT writes
    for an object that was built in memory but never added to the session."""
    mapper = inspect(obj).mapper
    return {column.key: getattr(obj, prop.key)
            for prop in mapper.column_attrs for column in prop.columns[:1]}


def autocommit_reads() -> None:
    """Run this request's reads without a transaction (PostgreSQL autocommit).

    Under READ COMMITTED every statement takes a fresh snapshot anyway, so a transaction around
    reads only costs two round trips (BEGIN, ROLLBACK). A write in the same request
    still gets its transaction: write_transaction() ends this one and begins anew, and the pool
    restores the isolation level when the connection goes back. SQLite keeps its transactions.
    """
    session = db.session()
    if _on_postgresql(session) and not session.in_transaction():
        session.connection(execution_options={"isolation_level": _AUTOCOMMIT})


def _on_postgresql(session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _in_autocommit(session) -> bool:
    return session.in_transaction() and session.connection().get_execution_options().get(
        "isolation_level") == _AUTOCOMMIT


@contextmanager
def write_transaction(*, keep_loaded: bool = False):
    """One unit of work: the row changes and their outbox events commit together, or nothing does.

    `keep_loaded`: the objects keep the values just written after the commit, instead of being
    expired and read back (two SELECTs for an order and its items) when the response dumps them.

    Ends any read transaction the request had open, so that on SQLite the write transaction starts
    with BEGIN IMMEDIATE (takes the write lock up front instead of failing on upgrade). Inside
    `batch()`, the unit of work is a savepoint of the batch's transaction instead.
    """
    session = db.session
    if session.info.get(_BATCH):
        with session.begin_nested():
            yield session
        return
    session.rollback()
    session.connection(execution_options={WRITE_OPTION: True})
    try:
        yield session
        session().expire_on_commit = not keep_loaded  # the Session, not the scoped proxy
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session().expire_on_commit = True


def execute_alone(statement, params=None):
    """One statement, committed on its own. On PostgreSQL it runs in autocommit: one round trip
    instead of three (BEGIN, the statement, COMMIT). Ends whatever the request had open first."""
    session = db.session()
    if not _on_postgresql(session):
        with write_transaction() as transaction:
            return transaction.execute(statement, params)
    if not _in_autocommit(session):  # else the request is there already (autocommit_reads)
        session.rollback()
        autocommit_reads()
    try:
        return session.execute(statement, params)
    except BaseException:
        session.rollback()
        raise


@contextmanager
def batch():
    """Many units of work in one transaction: each write_transaction() inside is a savepoint (a
    failing one rolls back alone), and everything commits together at the end — an ERP sync
    page's rows, events and progress in one commit instead of hundreds."""
    with write_transaction() as session:
        session.info[_BATCH] = True
        try:
            yield session
        finally:
            session.info.pop(_BATCH, None)


def for_update(query):
    """Lock the selected rows until commit (PostgreSQL); SQLite holds the database write lock."""
    return query.with_for_update()


def skip_locked(statement):
    """A queue claim: PostgreSQL locks the selected rows and skips rows another worker holds.

    SQLite has no row locks and renders no FOR UPDATE: there the claim runs inside
    write_transaction(), whose BEGIN IMMEDIATE makes concurrent claimers take turns.
    """
    return statement.with_for_update(skip_locked=True)


def contains_pattern(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, with LIKE's wildcards escaped (escape='\\')."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
