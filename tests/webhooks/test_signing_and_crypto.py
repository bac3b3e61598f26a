"""Standard Webhooks signatures, checked with the official `standardwebhooks` package, and the
AES-256-GCM sealing of secrets at rest."""
from __future__ import annotations

import base64
import time

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from markethub.platform import crypto
from markethub.platform.events import signing
from markethub.platform.settings import Settings

BODY = b'{"id":"evt_1","event":"order.created","data":{"total":"214.80"}}'


def _headers(secrets, message_id="evt_1", timestamp=None):
    return signing.headers(secrets, message_id, timestamp or int(time.time()), BODY)


def test_secrets_are_whsec_with_32_random_bytes():
    secret = signing.new_secret()
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 32
    assert signing.new_secret() != secret


def test_the_official_library_verifies_our_signature():
    secret = signing.new_secret()
    assert Webhook(secret).verify(BODY, _headers([secret]))["id"] == "evt_1"


def test_a_changed_body_or_id_fails_verification():
    secret = signing.new_secret()
    headers = _headers([secret])
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(BODY.replace(b"214.80", b"1.00"), headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(BODY, {**headers, "webhook-id": "evt_2"})


def test_during_rotation_both_secrets_verify_the_same_request():
    old, new = signing.new_secret(), signing.new_secret()
    headers = _headers([new, old])

    assert len(headers["webhook-signature"].split(" ")) == 2
    assert Webhook(new).verify(BODY, headers)
    assert Webhook(old).verify(BODY, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(signing.new_secret()).verify(BODY, headers)


def test_sealed_secrets_round_trip_and_hide_the_plaintext():
    settings = Settings(_env_file=None)
    sealed = crypto.seal(settings, "whsec_abc", "webhook_endpoint:wh_1")

    assert "whsec_abc" not in sealed and sealed.startswith("k1:")
    assert crypto.unseal(settings, sealed, "webhook_endpoint:wh_1") == "whsec_abc"
    assert crypto.seal(settings, "whsec_abc", "webhook_endpoint:wh_1") != sealed  # fresh nonce


def test_a_sealed_value_does_not_open_on_another_row():
    settings = Settings(_env_file=None)
    sealed = crypto.seal(settings, "whsec_abc", "webhook_endpoint:wh_1")
    with pytest.raises(crypto.DecryptionError):
        crypto.unseal(settings, sealed, "webhook_endpoint:wh_2")


def test_tampered_ciphertext_is_refused():
    settings = Settings(_env_file=None)
    key_id, _, encoded = crypto.seal(settings, "whsec_abc", "ctx").partition(":")
    raw = bytearray(base64.urlsafe_b64decode(encoded))
    raw[-1] ^= 1
    with pytest.raises(crypto.DecryptionError):
        crypto.unseal(settings, f"{key_id}:{base64.urlsafe_b64encode(bytes(raw)).decode()}",
                      "ctx")


def test_key_rotation_keeps_old_values_readable():
    old_key = base64.b64encode(b"o" * 32).decode()
    new_key = base64.b64encode(b"n" * 32).decode()
    before = Settings(_env_file=None, encryption_key=old_key, encryption_key_id="k1")
    after = Settings(_env_file=None, encryption_key=new_key, encryption_key_id="k2",
                     encryption_previous_keys={"k1": old_key})
    sealed = crypto.seal(before, "secret", "ctx")

    assert crypto.unseal(after, sealed, "ctx") == "secret"
    assert crypto.needs_reseal(after, sealed)
    assert not crypto.needs_reseal(after, crypto.seal(after, "secret", "ctx"))
    with pytest.raises(crypto.DecryptionError, match="no encryption key with id 'k1'"):
        crypto.unseal(Settings(_env_file=None, encryption_key=new_key, encryption_key_id="k2"),
                      sealed, "ctx")
