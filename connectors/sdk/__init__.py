"""The connector SDK: what a connector is (spec.py), how it talks HTTP (http.py) under a
per-account rate governor (governor.py), the errors it raises (errors.py), the records it hands
over (records.py), and how the platform drives it (session.py). Plain library: no Flask,
SQLAlchemy, RQ or Redis here or in any connector client."""
from .context import Context
from .errors import (AuthError, ConnectorError, FatalError, InvalidInputError, RateLimitedError,
                     RejectedError, RetryableError, TokenExpiredError, UnknownOperationError,
                     UnreachableError)
from .governor import Concurrency, Governor, GovernorBackend, InProcessBackend, Rule, \
    default_governor
from .polling import PollResult
from .session import Session, SyncRun, open_session
from .spec import Action, Auth, Connector, OAuth2, Page, Sync, SyncRequest, Trigger

__all__ = [
    "Action", "Auth", "AuthError", "Concurrency", "Connector", "ConnectorError", "Context",
    "FatalError", "Governor", "GovernorBackend", "InProcessBackend", "InvalidInputError",
    "OAuth2", "Page", "PollResult", "RateLimitedError", "RejectedError", "RetryableError",
    "Rule", "Session", "Sync", "SyncRequest", "SyncRun", "TokenExpiredError", "Trigger",
    "UnknownOperationError", "UnreachableError", "default_governor", "open_session",
]
