"""One Settings object, validated at start-up; the only reader of os.environ.

Layered like svix: defaults -> optional `.env` file -> `MARKETHUB_`-prefixed environment variables.
`DATABASE_URL` and `REDIS_URL` are also read without the prefix (Heroku style).
"""
from __future__ import annotations

import base64
import binascii
import ipaddress
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET = "dev-only-insecure-secret-change-me-0000000000"
DEV_ENCRYPTION_KEY = "ZGV2LW9ubHktaW5zZWN1cmUtYWVzLWtleS0zMmJ5dGU="  # base64 of 32 bytes, dev only
EMBEDDED_REDIS_PORT = 6390


class SettingsError(RuntimeError):
    """The configuration cannot run: the message says which setting and why."""


def _aes_key(value: str, name: str) -> bytes:
    """An AES-256 key is 32 random bytes, given base64-encoded."""
    try:
        key = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != 32:
        raise SettingsError(f"{name} must be 32 random bytes, base64-encoded "
                            "(e.g. `openssl rand -base64 32`)")
    return key


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="MARKETHUB_", env_file=".env", extra="ignore", populate_by_name=True
    )

    env: Literal["development", "test", "production"] = "development"
    secret_key: str = DEV_SECRET
    jwt_secret: str = DEV_SECRET
    encryption_key: str = DEV_ENCRYPTION_KEY
    database_url: str = Field(
        default=f"sqlite:///{REPO_ROOT / 'var' / 'markethub.db'}",
        validation_alias=AliasChoices("MARKETHUB_DATABASE_URL", "DATABASE_URL"),
    )
    redis_url: str = Field(
        default=f"redis://127.0.0.1:{EMBEDDED_REDIS_PORT}/0",
        validation_alias=AliasChoices("MARKETHUB_REDIS_URL", "REDIS_URL"),
    )
    base_url: str = "http://127.0.0.1:5000"
    log_level: str = "INFO"
    # Reverse proxies in front (Heroku router, a load balancer) whose X-Forwarded-* we trust.
    trusted_proxies: int = Field(default=0, ge=0, le=5)

    access_token_ttl_seconds: int = Field(default=3600, ge=60, le=86400)
    refresh_token_ttl_days: int = Field(default=30, ge=1, le=365)
    idempotency_ttl_hours: int = Field(default=24, ge=24)
    # Longer than any request may run (gunicorn's timeout is 30 s): a key reserved this long
    # without an answer belongs to a request that died.
    idempotency_lease_seconds: int = Field(default=120, ge=60)
    hub_session_hours: int = Field(default=12, ge=1, le=720)  # a hub sign-in lasts at most this
    max_body_bytes: int = Field(default=1_048_576, ge=1024)

    # Requests per minute per tenant and plan; 0 means unlimited.
    rate_limit_starter: int = 100
    rate_limit_professional: int = 500
    rate_limit_business: int = 2000
    rate_limit_enterprise: int = 0
    rate_limit_token_endpoint: str = "30/minute"
    rate_limit_enabled: bool = True

    # Secrets at rest (AES-256-GCM): the current key's id is stored with each ciphertext; old keys
    # stay here ({"k0": "<base64>"}) until everything is re-encrypted with the current one.
    encryption_key_id: str = Field(default="k1", pattern=r"^[A-Za-z0-9_-]{1,16}$")
    encryption_previous_keys: dict[str, str] = {}

    # Webhooks. Attempt 1 is immediate; then one attempt after each delay (svix-style schedule).
    webhook_retry_schedule_seconds: list[float] = [60, 300, 1800, 3600]
    webhook_retry_jitter: float = Field(default=0.1, ge=0, le=0.5)  # ± this fraction of a delay
    webhook_retry_after_max_seconds: int = Field(default=3600, ge=0)  # cap on a receiver's ask
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    webhook_max_payload_bytes: int = Field(default=262_144, ge=1024)
    webhook_response_body_bytes: int = Field(default=1024, ge=0, le=65536)
    webhook_disable_after_failing_seconds: int = Field(default=86_400, ge=0)
    webhook_secret_overlap_seconds: int = Field(default=86_400, ge=0)  # old secret still signs
    webhook_lease_margin_seconds: float = Field(default=30.0, ge=0)  # added to the timeout
    webhook_sweep_interval_seconds: float = Field(default=1.0, gt=0)
    # How often the sweeper deletes expired idempotency keys, refresh tokens and hub sessions, and
    # events (with their deliveries and attempts) older than event_retention_days.
    maintenance_interval_minutes: float = Field(default=60, gt=0)
    event_retention_days: int = Field(default=30, ge=1, le=3650)
    webhook_batch_size: int = Field(default=100, ge=1, le=1000)
    webhook_concurrency: int = Field(default=16, ge=1, le=256)  # requests in flight per process
    webhook_processes: int = Field(default=2, ge=1, le=32)  # delivery processes per `worker`
    webhook_pump_seconds: float = Field(default=30.0, gt=0)  # one job's time budget
    webhook_replay_max_events: int = Field(default=100_000, ge=1)
    # Outbound calls refuse private, loopback, link-local… addresses unless listed here (CIDRs,
    # for development). Cloud metadata addresses are refused whatever this says.
    outbound_allowed_networks: list[str] = []

    # ERP connectors. Base URLs default to the real APIs; point them at the sandboxes
    # (`markethub sandbox bling|omie|tiny`) for development and the demo.
    bling_base_url: str = "https://api.bling.com.br/Api/v3"
    bling_authorize_url: str = "https://www.bling.com.br/Api/v3/oauth/authorize"
    omie_base_url: str = "https://app.omie.com.br/api/v1"
    tiny_base_url: str = "https://api.tiny.com.br/api2"
    # The platform's Bling app (Central de Extensões); a seller may bring their own instead.
    bling_client_id: str = ""
    bling_client_secret: str = ""
    # Per-account rate limits, as each ERP documents them (the governor keeps them in Redis).
    bling_requests_per_second: int = Field(default=3, ge=1)
    bling_requests_per_day: int = Field(default=120_000, ge=1)
    omie_requests_per_minute: int = Field(default=960, ge=1)
    omie_requests_per_minute_per_method: int = Field(default=240, ge=1)
    omie_concurrent_per_method: int = Field(default=4, ge=1)
    omie_redundant_window_seconds: float = Field(default=60.0, ge=0)
    tiny_calls_per_minute: int = Field(default=60, ge=1)  # the plan's; per integration too
    erp_governor_max_wait_seconds: float = Field(default=60.0, gt=0)
    erp_sync_lease_seconds: int = Field(default=300, ge=30)  # a run silent this long is dead
    erp_sync_job_timeout_seconds: int = Field(default=4 * 3600, ge=60)
    erp_push_retry_schedule_seconds: list[float] = [60, 300, 1800, 3600]
    erp_oauth_state_ttl_seconds: int = Field(default=600, ge=60, le=3600)

    @field_validator("database_url")
    @classmethod
    def _normalise_database_url(cls, url: str) -> str:
        # Heroku-style URLs name the scheme `postgres://`; SQLAlchemy needs the psycopg 3 driver.
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix):]
        return url

    @field_validator("encryption_key")
    @classmethod
    def _check_encryption_key(cls, key: str) -> str:
        _aes_key(key, "MARKETHUB_ENCRYPTION_KEY")
        return key

    @field_validator("encryption_previous_keys")
    @classmethod
    def _check_previous_keys(cls, keys: dict[str, str]) -> dict[str, str]:
        for key_id, key in keys.items():
            _aes_key(key, f"MARKETHUB_ENCRYPTION_PREVIOUS_KEYS[{key_id}]")
        return keys

    @field_validator("outbound_allowed_networks")
    @classmethod
    def _check_networks(cls, networks: list[str]) -> list[str]:
        for network in networks:
            try:
                ipaddress.ip_network(network, strict=False)
            except ValueError:
                raise SettingsError(
                    f"MARKETHUB_OUTBOUND_ALLOWED_NETWORKS: '{network}' is not a CIDR") from None
        return networks

    @model_validator(mode="after")
    def _refuse_insecure_production(self) -> "Settings":
        if self.env != "production":
            return self
        problems = [
            name
            for name in ("secret_key", "jwt_secret")
            if getattr(self, name) == DEV_SECRET or len(getattr(self, name)) < 32
        ]
        if self.encryption_key == DEV_ENCRYPTION_KEY:
            problems.append("encryption_key")
        if problems:
            names = ", ".join(f"MARKETHUB_{p.upper()}" for p in problems)
            raise SettingsError(
                f"production mode needs real secrets: set {names} (32+ random characters)"
            )
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    def plan_limit(self, plan: str) -> int:
        return getattr(self, f"rate_limit_{plan}")
