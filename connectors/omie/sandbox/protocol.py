"""Omie's RPC conventions: the method registry, faults, the two paging dialects and the date
filters. Handlers take (state, param) and return the answer dict, or raise Fault."""
from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime

METHODS: dict[tuple[str, str], Callable] = {}
REDUNDANT: set[tuple[str, str]] = set()  # "consumo redundante": same request twice in 60 s


class Fault(Exception):
    """`{"faultstring": "ERROR: ...", "faultcode": "SOAP-ENV:Client-<n>"}`."""

    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.body = {"faultstring": f"ERROR: {message}", "faultcode": f"SOAP-ENV:Client-{code}"}


def method(service: str, name: str, *, redundant: bool = False):
    def register(handler):
        METHODS[(service, name)] = handler
        if redundant:
            REDUNDANT.add((service, name))
        return handler
    return register


def required(param: dict, *names: str) -> None:
    for name in names:
        if param.get(name) in (None, ""):
            raise Fault(102, f"Tag [{name.upper()}] não informada!")


def snake_page(rows: list, param: dict, key: str, default_size: int = 50) -> dict:
    """`pagina`/`registros_por_pagina` -> `pagina`, `total_de_paginas`, `registros`..."""
    page, size = _paging(param.get("pagina", 1), param.get("registros_por_pagina", default_size))
    chunk, total_pages = _slice(rows, page, size)
    return {"pagina": page, "total_de_paginas": total_pages, "registros": len(chunk),
            "total_de_registros": len(rows), key: chunk}


def hungarian_page(rows: list, param: dict, key: str, default_size: int = 50) -> dict:
    """`nPagina`/`nRegPorPagina` -> `nPagina`, `nTotPaginas`, `nRegistros`, `nTotRegistros`."""
    page, size = _paging(param.get("nPagina", 1), param.get("nRegPorPagina", default_size))
    chunk, total_pages = _slice(rows, page, size)
    return {"nPagina": page, "nTotPaginas": total_pages, "nRegistros": len(chunk),
            "nTotRegistros": len(rows), key: chunk}


def _paging(page, size) -> tuple[int, int]:
    try:
        page, size = int(page), int(size)
    except (TypeError, ValueError):
        raise Fault(105, "Os parâmetros de paginação devem ser números inteiros.") from None
    if size < 1 or size > 500:
        raise Fault(105, "O número de registros por página deve estar entre 1 e 500.")
    return max(page, 1), size


def _slice(rows: list, page: int, size: int) -> tuple[list, int]:
    total_pages = math.ceil(len(rows) / size)
    if page > total_pages:
        raise Fault(5113, f"Não existem registros para a página [{page}]!")
    return rows[(page - 1) * size: page * size], total_pages


def parse_date(text: str, time_text: str | None, default_time: str) -> datetime:
    try:
        return datetime.strptime(f"{text} {time_text or default_time}", "%d/%m/%Y %H:%M:%S")
    except ValueError:
        raise Fault(105, f"Data/hora inválida [{text} {time_text or ''}]. "
                         "Use dd/mm/aaaa e hh:mm:ss.") from None


def date_window(param: dict) -> tuple[datetime | None, datetime | None]:
    start = param.get("filtrar_por_data_de")
    end = param.get("filtrar_por_data_ate")
    return (parse_date(start, param.get("filtrar_por_hora_de"), "00:00:00") if start else None,
            parse_date(end, param.get("filtrar_por_hora_ate"), "23:59:59") if end else None)


def within(moment: datetime, window) -> bool:
    start, end = window
    return (start is None or moment >= start) and (end is None or moment <= end)


def info_time(info: dict, prefix: str) -> datetime:
    return datetime.strptime(f"{info[f'd{prefix}']} {info[f'h{prefix}']}", "%d/%m/%Y %H:%M:%S")


def flag(value) -> bool:
    return str(value).upper() == "S"
