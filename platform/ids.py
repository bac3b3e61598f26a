"""Public ids carry a prefix that says what they are (`prod_…`, `ord_…`) and sort by creation."""
import os
import time

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base32, lower case


def new_id(prefix: str) -> str:
    """48-bit millisecond timestamp + 80 random bits, 26 base32 characters (a ULID)."""
    value = (int(time.time() * 1000) << 80) | int.from_bytes(os.urandom(10), "big")
    chars = []
    for _ in range(26):
        value, index = divmod(value, 32)
        chars.append(_ALPHABET[index])
    return f"{prefix}_{''.join(reversed(chars))}"
