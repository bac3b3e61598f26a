"""What every Bling API route shares: the bearer check and rate limit in front of it, paging,
date filters and JSON bodies — with Bling's own error answers."""
from __future__ import annotations

import json
from datetime import datetime, timedelta
from decimal import Decimal

from flask import Blueprint, request

from ...sandbox_kit.app import state
from .oauth import check_bearer
from .shapes import error, too_many_requests

DATETIME = "%Y-%m-%d %H:%M:%S"
MAX_PAGE = 100


class BadRequest(Exception):
    """Raised inside a route; answered as Bling's 400 envelope."""

    def __init__(self, type_: str, message: str, description: str, fields=None):
        super().__init__(message)
        self.response = error(400, type_, message, description, fields)


def api_blueprint(name: str) -> Blueprint:
    blueprint = Blueprint(name, __name__, url_prefix="/Api/v3")
    blueprint.before_request(guard)
    blueprint.register_error_handler(BadRequest, lambda exc: exc.response)
    return blueprint


def guard():
    refused = check_bearer()
    if refused is not None:
        return refused
    limits = state().limits
    if limits is not None:
        full = limits.hit("account")
        if full is not None:
            return too_many_requests(full, limits.windows[full].limit)
    return None


def page_of(rows: list) -> list:
    pagina = _int_arg("pagina", 1, minimum=1)
    limite = min(_int_arg("limite", 100, minimum=1), MAX_PAGE)
    start = (pagina - 1) * limite
    return rows[start:start + limite]


def _int_arg(name: str, default: int, minimum: int | None = None) -> int:
    raw = request.args.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest("VALIDATION_ERROR", "Parâmetro inválido",
                         f"O parâmetro {name} deve ser um número inteiro.") from None
    if minimum is not None and value < minimum:
        raise BadRequest("VALIDATION_ERROR", "Parâmetro inválido",
                         f"O parâmetro {name} deve ser maior ou igual a {minimum}.")
    return value


def int_list(name: str) -> list[int]:
    try:
        return [int(v) for v in request.args.getlist(name)]
    except ValueError:
        raise BadRequest("VALIDATION_ERROR", "Parâmetro inválido",
                         f"O parâmetro {name} deve conter números inteiros.") from None


def date_range(start_name: str, end_name: str, fmt: str = DATETIME):
    """(start, end) from two filters; more than one year apart -> 400, as Bling documents."""
    bounds = []
    for name in (start_name, end_name):
        raw = request.args.get(name)
        if raw in (None, ""):
            bounds.append(None)
            continue
        try:
            bounds.append(datetime.strptime(raw, fmt))
        except ValueError:
            raise BadRequest("VALIDATION_ERROR", "Parâmetro inválido",
                             f"O parâmetro {name} deve estar no formato "
                             f"{'AAAA-MM-DD HH:MM:SS' if fmt == DATETIME else 'AAAA-MM-DD'}."
                             ) from None
    start, end = bounds
    if start and end and end - start > timedelta(days=366):
        raise BadRequest("VALIDATION_ERROR", "Intervalo de datas inválido",
                         "O intervalo entre as datas não pode ser superior a um ano.")
    return start, end


def within(moment: datetime, start: datetime | None, end: datetime | None) -> bool:
    return (start is None or moment >= start) and (end is None or moment <= end)


def json_body() -> dict:
    raw = request.get_data(cache=True)
    if not raw.strip():
        raise BadRequest("EMPTY_REQUEST_BODY", "Corpo da requisição vazio",
                         "O corpo da requisição não pode ser vazio.")
    try:
        body = json.loads(raw, parse_float=Decimal)
    except ValueError:
        raise BadRequest("INVALID_REQUEST_BODY", "Corpo da requisição inválido",
                         "O corpo da requisição não é um JSON válido.") from None
    if not isinstance(body, dict):
        raise BadRequest("INVALID_REQUEST_BODY", "Corpo da requisição inválido",
                         "O corpo da requisição deve ser um objeto JSON.")
    return body


def number(value) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return None
    return Decimal(value)


def ref_id(body: dict, key: str) -> int | None:
    """body[key]["id"] as an int, or None."""
    value = body.get(key)
    if isinstance(value, dict) and isinstance(value.get("id"), int) and \
            not isinstance(value.get("id"), bool):
        return value["id"]
    return None
