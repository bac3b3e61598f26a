"""Column types that behave the same on SQLite and PostgreSQL."""
from datetime import timezone
from decimal import Decimal

from sqlalchemy import JSON, DateTime, Numeric, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator

JSONType = JSON().with_variant(JSONB(), "postgresql")


class _NativeResultsOnPostgreSQL:
    """On PostgreSQL, results need none of the decorator's per-row work (psycopg returns aware
    timestamps and NUMERIC with its scale): use the column type's own processor (none)."""

    def result_processor(self, dialect, coltype):
        if dialect.name == "postgresql":
            native = self.load_dialect_impl(dialect).dialect_impl(dialect)
            return native.result_processor(dialect, coltype)
        return super().result_processor(dialect, coltype)


class UTCDateTime(_NativeResultsOnPostgreSQL, TypeDecorator):
    """Timezone-aware UTC datetimes everywhere (SQLite hands back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given; use db.utcnow()")
        return value.astimezone(timezone.utc) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


class Money(_NativeResultsOnPostgreSQL, TypeDecorator):
    """Exact decimals: NUMERIC on PostgreSQL, text on SQLite (whose NUMERIC is a float)."""

    impl = Numeric(14, 2)
    cache_ok = True

    def __init__(self, precision: int = 14, scale: int = 2):
        super().__init__(precision, scale)
        self.precision, self.scale = precision, scale
        self.quantum = Decimal(1).scaleb(-scale)

    def load_dialect_impl(self, dialect):
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(32))
        return dialect.type_descriptor(Numeric(self.precision, self.scale, asdecimal=True))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        value = Decimal(value).quantize(self.quantum)
        return str(value) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        return None if value is None else Decimal(value).quantize(self.quantum)
