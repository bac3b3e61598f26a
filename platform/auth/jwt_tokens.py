"""JWT access tokens (HS256, 1 hour by default) via joserfc, authlib's JOSE library."""
from __future__ import annotations

import time
from functools import lru_cache

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey

from ..ids import new_id

ISSUER = "markethub"
AUDIENCE = "markethub-api-v1"


class InvalidAccessToken(Exception):
    pass


def _key(secret: str) -> OctKey:
    return OctKey.import_key(secret)


def issue_access_token(secret: str, *, tenant_id: str, client_id: str, scope: str,
                       ttl_seconds: int) -> str:
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": client_id, "tid": tenant_id, "scope": scope,
              "iat": now, "nbf": now, "exp": now + ttl_seconds, "jti": new_id("jti")}
    return jwt.encode({"alg": "HS256", "typ": "at+jwt"}, claims, _key(secret))


_REGISTRY = jwt.JWTClaimsRegistry(
    iss={"essential": True, "value": ISSUER},
    aud={"essential": True, "value": AUDIENCE},
    exp={"essential": True}, sub={"essential": True}, tid={"essential": True},
)


def decode_access_token(secret: str, token: str) -> dict:
    """The token's claims (shared: do not change them), or InvalidAccessToken."""
    claims = _verified_claims(secret, token)
    if claims["exp"] <= time.time():  # checked on every use: the verification is cached
        raise InvalidAccessToken("The token has expired.")
    return claims


@lru_cache(maxsize=4096)  # a client sends the same token for an hour: verify it once
def _verified_claims(secret: str, token: str) -> dict:
    try:
        decoded = jwt.decode(token, _key(secret), algorithms=["HS256"])
        _REGISTRY.validate(decoded.claims)
    except (JoseError, ValueError) as error:
        raise InvalidAccessToken(str(error)) from error  # not cached: lru_cache keeps results
    return decoded.claims
