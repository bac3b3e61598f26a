"""What a run function receives: the account's credentials and configuration, the HTTP helper
(already behind the account's rate governor) and the ERP client built from them."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from .http import Http

if TYPE_CHECKING:
    from .spec import Connector

CredentialsCallback = Callable[[dict], None]


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Context:
    connector: "Connector"
    credentials: dict
    config: dict
    http: Http
    account: str
    on_credentials: CredentialsCallback | None = None
    clock: Callable[[], datetime] = utcnow
    _client: Any = field(default=None, repr=False)

    def __repr__(self) -> str:  # never show credentials
        return f"Context(connector={self.connector.key!r}, account={self.account!r})"

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = self.connector.client(self)
        return self._client

    def save_credentials(self, changes: Mapping[str, Any]) -> None:
        """Merge changed credential fields (a rotated token pair) and hand the complete set to
        the platform *before* anything else uses them: with rotating refresh tokens the old
        pair is dead from now on, so losing the new one would disconnect the seller."""
        self.credentials = {**self.credentials, **changes}
        if self.on_credentials is not None:
            self.on_credentials(dict(self.credentials))
