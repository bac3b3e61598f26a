"""One Settings object, validated at start-up; the only reader of os.environ.

Layered like svix: defaults -> optional `.env` file -> `MARKETHUB_`-prefixed environment variables.
`DATABASE_URL` and `REDIS_URL` are also read without the prefix (Heroku style).
"""
from __future__ import annotations

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

    access_token_ttl_seconds: int = Field(default=3600, ge=60, le=86400)
    refresh_token_ttl_days: int = Field(default=30, ge=1, le=365)
    idempotency_ttl_hours: int = Field(default=24, ge=24)
    max_body_bytes: int = Field(default=1_048_576, ge=1024)

    # Requests per minute per tenant and plan; 0 means unlimited.
    rate_limit_starter: int = 100
    rate_limit_professional: int = 500
    rate_limit_business: int = 2000
    rate_limit_enterprise: int = 0
    rate_limit_token_endpoint: str = "30/minute"
    rate_limit_enabled: bool = True

    @field_validator("database_url")
    @classmethod
    def _normalise_database_url(cls, url: str) -> str:
        # Heroku-style URLs name the scheme `postgres://`; SQLAlchemy needs the psycopg 3 driver.
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix):]
        return url

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
