"""Brazilian identifiers and product codes: normalise, then check the check digits."""
from __future__ import annotations

import re

_NON_ALNUM = re.compile(r"[^0-9A-Za-z]")
_CNPJ_SHAPE = re.compile(r"^[0-9A-Z]{12}[0-9]{2}$")  # alphanumeric CNPJ (from July 2026)


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def _mod11_digit(values: list[int], weights: list[int]) -> int:
    remainder = sum(v * w for v, w in zip(values, weights, strict=False)) % 11
    return 0 if remainder < 2 else 11 - remainder


def is_valid_cpf(value: str) -> bool:
    digits = _digits(value)
    if len(digits) != 11 or digits == digits[0] * 11:
        return False
    numbers = [int(d) for d in digits]
    first = _mod11_digit(numbers[:9], list(range(10, 1, -1)))
    second = _mod11_digit(numbers[:10], list(range(11, 1, -1)))
    return numbers[9] == first and numbers[10] == second


def is_valid_cnpj(value: str) -> bool:
    """Numeric and the new alphanumeric CNPJ: characters count as their ASCII code minus 48."""
    cnpj = _NON_ALNUM.sub("", value).upper()
    if not _CNPJ_SHAPE.match(cnpj) or cnpj == cnpj[0] * 14:
        return False
    values = [ord(c) - 48 for c in cnpj]
    weights = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]
    first = _mod11_digit(values[:12], weights[1:])
    second = _mod11_digit(values[:13], weights)
    return values[12] == first and values[13] == second


def normalise_document(value: str) -> tuple[str, str] | None:
    """CPF or CNPJ -> (normalised, 'cpf' | 'cnpj'), or None when neither is valid."""
    cleaned = _NON_ALNUM.sub("", value).upper()
    if len(cleaned) == 11 and is_valid_cpf(cleaned):
        return cleaned, "cpf"
    if len(cleaned) == 14 and is_valid_cnpj(cleaned):
        return cleaned, "cnpj"
    return None


def is_valid_gtin(value: str) -> bool:
    """GTIN-8/12/13/14 (EAN, UPC) with the GS1 mod-10 check digit."""
    if not re.fullmatch(r"\d{8}|\d{12,14}", value):
        return False
    body, check = value[:-1], int(value[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def normalise_ncm(value: str) -> str | None:
    digits = _digits(value)
    return digits if len(digits) == 8 and len(re.sub(r"[\d.\s]", "", value)) == 0 else None


def normalise_cep(value: str) -> str | None:
    digits = _digits(value)
    return digits if len(digits) == 8 and len(re.sub(r"[\d\-.\s]", "", value)) == 0 else None


UF = frozenset("AC AL AP AM BA CE DF ES GO MA MT MS MG PA PB PR PE PI RJ RN RS RO RR SC SP SE TO"
               .split())
