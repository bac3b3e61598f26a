"""Secrets at rest: AES-256-GCM with the key from settings, the key id kept in the ciphertext.

A sealed value reads `<key id>:<base64url(nonce ‖ ciphertext ‖ tag)>`. `context` is bound in as
associated data (e.g. "webhook_endpoint:wh_…"), so a ciphertext copied onto another row does not
decrypt. Old keys stay in `encryption_previous_keys` until `needs_reseal()` is false everywhere.
"""
from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .settings import Settings

NONCE_BYTES = 12


class DecryptionError(Exception):
    """The value was not sealed by any key we hold, or not for this context."""


def _keys(settings: Settings) -> dict[str, bytes]:
    keys = {key_id: base64.b64decode(key)
            for key_id, key in settings.encryption_previous_keys.items()}
    keys[settings.encryption_key_id] = base64.b64decode(settings.encryption_key)
    return keys


def seal(settings: Settings, plaintext: str, context: str) -> str:
    key = _keys(settings)[settings.encryption_key_id]
    nonce = os.urandom(NONCE_BYTES)
    ciphertext = AESGCM(key).encrypt(nonce, plaintext.encode(), context.encode())
    return f"{settings.encryption_key_id}:{base64.urlsafe_b64encode(nonce + ciphertext).decode()}"


def unseal(settings: Settings, sealed: str, context: str) -> str:
    key_id, _, encoded = sealed.partition(":")
    key = _keys(settings).get(key_id)
    if key is None:
        raise DecryptionError(f"no encryption key with id '{key_id}' is configured")
    try:
        raw = base64.urlsafe_b64decode(encoded)
        plaintext = AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode())
    except (InvalidTag, ValueError):
        raise DecryptionError("the value does not decrypt with its key and context") from None
    return plaintext.decode()


def needs_reseal(settings: Settings, sealed: str) -> bool:
    """True when the value was sealed with an older key (re-seal it with the current one)."""
    return sealed.partition(":")[0] != settings.encryption_key_id
