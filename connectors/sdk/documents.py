"""Brazilian identifiers and product codes: check digits for CPF, CNPJ and GTIN.

Connectors refuse a bad document before sending anything; the sandboxes use the same code to
seed valid ones."""
from __future__ import annotations

import re

_NON_DIGIT = re.compile(r"\D")


def digits(value: str) -> str:
    return _NON_DIGIT.sub("", value or "")


def _mod11(values: list[int], weights: list[int]) -> int:
    remainder = sum(v * w for v, w in zip(values, weights, strict=False)) % 11
    return 0 if remainder < 2 else 11 - remainder


def cpf_check_digits(base9: str) -> str:
    numbers = [int(d) for d in base9]
    first = _mod11(numbers, list(range(10, 1, -1)))
    second = _mod11(numbers + [first], list(range(11, 1, -1)))
    return f"{first}{second}"


def cnpj_check_digits(base12: str) -> str:
    numbers = [int(d) for d in base12]
    weights = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]
    first = _mod11(numbers, weights[1:])
    second = _mod11(numbers + [first], weights)
    return f"{first}{second}"


def gtin_check_digit(body: str) -> str:
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


def is_cpf(value: str) -> bool:
    number = digits(value)
    return (len(number) == 11 and number != number[0] * 11
            and cpf_check_digits(number[:9]) == number[9:])


def is_cnpj(value: str) -> bool:
    number = digits(value)
    return (len(number) == 14 and number != number[0] * 14
            and cnpj_check_digits(number[:12]) == number[12:])


def is_gtin(value: str) -> bool:
    return bool(re.fullmatch(r"\d{8}|\d{12,14}", value or "")) and \
        gtin_check_digit(value[:-1]) == value[-1]


def document_type(value: str) -> str | None:
    """'cpf' or 'cnpj' for a valid document (any punctuation), else None."""
    if is_cpf(value):
        return "cpf"
    if is_cnpj(value):
        return "cnpj"
    return None
