"""Standard Webhooks signatures (https://www.standardwebhooks.com), so every official library
verifies us.

    webhook-id:        the event id; the same on every attempt of one event to one endpoint
    webhook-timestamp: Unix seconds of this attempt
    webhook-signature: "v1,<base64 HMAC-SHA256 of '<id>.<timestamp>.<body>'>", one per secret,
                       space-separated (while a rotated secret still signs, there are two)
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signature_header(secrets_: list[str], message_id: str, timestamp: int, body: bytes) -> str:
    return " ".join(signature(secret, message_id, timestamp, body) for secret in secrets_)


def headers(secrets_: list[str], message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature_header(secrets_, message_id, timestamp, body),
    }
