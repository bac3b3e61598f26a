"""Extensions, unbound: `app.py` init_app's them."""
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_cls
from flask_limiter import Limiter
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


def _schema_name(schema) -> str:
    """`ProductSchema` -> `Product`; its partial (PUT) variant -> `ProductUpdate`."""
    name = resolve_schema_cls(schema).__name__.removesuffix("Schema")
    return f"{name}Update" if getattr(schema, "partial", False) else name


class MarketHubApi(Api):
    """flask-smorest's Api, documenting our error shape instead of its default one."""

    from .api.errors_doc import ErrorSchema as ERROR_SCHEMA  # noqa: N811


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
api = MarketHubApi(spec_kwargs={
    "marshmallow_plugin": MarshmallowPlugin(schema_name_resolver=_schema_name)})
limiter = Limiter(key_func=lambda: "global", default_limits=[])
