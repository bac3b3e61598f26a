"""Random credentials, stored only as SHA-256 hashes (256 random bits need no slow hash)."""
import hashlib
import hmac
import secrets

API_KEY_PREFIX = "mh_live_"
CLIENT_SECRET_PREFIX = "mhcs_"
REFRESH_TOKEN_PREFIX = "mhrt_"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def matches(secret: str, stored_digest: str) -> bool:
    return hmac.compare_digest(digest(secret), stored_digest)


def new_api_key() -> str:
    return API_KEY_PREFIX + secrets.token_urlsafe(32)


def new_client_secret() -> str:
    return CLIENT_SECRET_PREFIX + secrets.token_urlsafe(32)


def new_refresh_token() -> str:
    return REFRESH_TOKEN_PREFIX + secrets.token_urlsafe(32)
