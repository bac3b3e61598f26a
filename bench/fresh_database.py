"""A wiped PostgreSQL database and Redis db for one benchmark run (created if missing)."""
import redis
from sqlalchemy import create_engine, text


def reset(database_url: str, redis_url: str) -> None:
    admin = create_engine(database_url.rsplit("/", 1)[0] + "/postgres",
                          isolation_level="AUTOCOMMIT")
    name = database_url.rsplit("/", 1)[1]
    with admin.connect() as connection:
        if not connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                  {"n": name}).first():
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    with create_engine(database_url).begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public;"))
    redis.Redis.from_url(redis_url).flushdb()
