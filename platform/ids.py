"""Public ids carry a prefix that says what they are (`prod_…`, `ord_…`) and sort by creation."""
import os
import threading
import time
from datetime import datetime

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base32, lower case
_RANDOM_BITS = 80
_lock = threading.Lock()
_last = (0, 0)  # (milliseconds, random part) of the previous id made by this process


def _next_value() -> int:
    """Monotonic within the process: ids made in the same millisecond (the events of one
    transaction, a batch import) still sort in creation order, as lists and the outbox expect."""
    global _last
    with _lock:
        millis = int(time.time() * 1000)
        random_part = int.from_bytes(os.urandom(10), "big")
        last_millis, last_random = _last
        if millis <= last_millis:
            millis, random_part = last_millis, last_random + 1
            if random_part >> _RANDOM_BITS:  # 2^80 ids in one millisecond: borrow the next one
                millis, random_part = millis + 1, 0
        _last = (millis, random_part)
        return (millis << _RANDOM_BITS) | random_part


def new_id(prefix: str) -> str:
    """48-bit millisecond timestamp + 80 random bits, 26 base32 characters (a monotonic ULID)."""
    return _encode(prefix, _next_value())


def first_id_at(prefix: str, when: datetime) -> str:
    """The smallest id `new_id(prefix)` can make at `when`: ids below it were made before."""
    return _encode(prefix, int(when.timestamp() * 1000) << _RANDOM_BITS)


def _encode(prefix: str, value: int) -> str:
    chars = []
    for _ in range(26):
        value, index = divmod(value, 32)
        chars.append(_ALPHABET[index])
    return f"{prefix}_{''.join(reversed(chars))}"
