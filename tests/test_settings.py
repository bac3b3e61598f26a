import pytest

from markethub.platform.settings import Settings, SettingsError


def test_production_refuses_default_secrets():
    with pytest.raises(SettingsError, match="MARKETHUB_SECRET_KEY"):
        Settings(env="production", _env_file=None)


def test_production_accepts_real_secrets():
    settings = Settings(env="production", secret_key="s" * 40, jwt_secret="j" * 40,
                        encryption_key="MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
                        _env_file=None)
    assert settings.is_production


def test_heroku_style_database_url_uses_psycopg(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.example:5432/app")
    assert Settings(_env_file=None).database_url == "postgresql+psycopg://u:p@db.example:5432/app"


def test_prefixed_environment_variables_configure_limits(monkeypatch):
    monkeypatch.setenv("MARKETHUB_RATE_LIMIT_STARTER", "50")
    assert Settings(_env_file=None).plan_limit("starter") == 50
