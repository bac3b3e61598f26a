"""Omie shapes (its field names) -> MarketHub records (sdk/records.py)."""
from __future__ import annotations

from datetime import datetime

from ..sdk.documents import digits, document_type, is_gtin
from ..sdk.values import from_erp_local, iso, money, quantity, to_decimal

CANCELLED = "cancelled"
STAGE_STATUS = {"10": "pending", "20": "paid", "30": "paid", "40": "paid", "50": "paid",
                "60": "invoiced", "70": "shipped", "80": "delivered"}


def omie_datetime(day: str, time: str = "00:00:00") -> datetime | None:
    """Omie's separate dd/mm/aaaa and hh:mm:ss (Brasília) as aware UTC; "" -> None."""
    if not day:
        return None
    return from_erp_local(datetime.strptime(f"{day} {time or '00:00:00'}", "%d/%m/%Y %H:%M:%S"))


def _ncm(value: str | None) -> str | None:
    number = digits(value or "")
    return number if len(number) == 8 else None


def to_product(raw: dict) -> dict:
    """From a `produto_servico_cadastro` row (ListarProdutos / ConsultarProduto)."""
    info = raw.get("info") or {}
    gtin = raw.get("ean") or ""
    return {
        "external_id": str(raw["codigo_produto"]),
        "sku": raw.get("codigo") or None,
        "name": raw["descricao"],
        "description": raw.get("descr_detalhada") or None,
        "price": money(raw.get("valor_unitario") or 0),
        "cost": None,
        "gtin": gtin if is_gtin(gtin) else None,
        "ncm": _ncm(raw.get("ncm")),
        "brand": raw.get("marca") or None,
        "unit": raw.get("unidade") or None,
        "active": raw.get("inativo") != "S" and raw.get("bloqueado") != "S",
        "stock": None,  # quantidade_estoque is deprecated (reads 0); see estoque/consulta
        "updated_at": iso(omie_datetime(info.get("dAlt", ""), info.get("hAlt", ""))),
    }


def _customer(client_id, client: dict | None) -> dict:
    document = digits((client or {}).get("cnpj_cpf", ""))
    kind = document_type(document) if document else None
    return {"external_id": str(client_id) if client_id else None,
            "name": (client or {}).get("razao_social") or None,
            "document": document if kind else None, "document_type": kind,
            "email": (client or {}).get("email") or None}


def _item(det: dict) -> dict:
    product = det["produto"]
    amount, price = to_decimal(product["quantidade"]), to_decimal(product["valor_unitario"])
    total = product.get("valor_total")
    return {"product_external_id": str(product["codigo_produto"]) if product.get("codigo_produto")
            else None, "sku": product.get("codigo") or None, "name": product.get("descricao", ""),
            "quantity": quantity(amount), "unit_price": money(price),
            "total": money(total if total is not None else amount * price)}


def _number(value) -> str:
    """Omie pads order numbers ("000000000001001"); people say "1001"."""
    text = str(value or "")
    return str(int(text)) if text.isdigit() else text


def order_status(header: dict, info: dict) -> str:
    if info.get("cancelado") == "S":
        return CANCELLED
    status = STAGE_STATUS.get(str(header.get("etapa")), "pending")
    if info.get("faturado") == "S" and status in ("pending", "paid"):
        return "invoiced"
    return status


def to_order(raw: dict, clients: dict[int, dict]) -> dict:
    """From a `pedido_venda_produto` (ListarPedidos / ConsultarPedido) plus the customers read
    with ListarClientes (the order names its customer only by `codigo_cliente`)."""
    header, info = raw["cabecalho"], raw.get("infoCadastro") or {}
    totals = raw.get("total_pedido") or {}
    created = omie_datetime(info.get("dInc", ""), info.get("hInc", ""))
    erp_status = str(header.get("etapa")) + (" (cancelado)" if info.get("cancelado") == "S" else "")
    return {
        "external_id": str(header["codigo_pedido"]),
        "number": _number(header.get("numero_pedido")),
        "channel_number": header.get("codigo_pedido_integracao") or None,
        "status": order_status(header, info),
        "erp_status": erp_status,
        "ordered_on": created.date().isoformat() if created else None,
        "updated_at": iso(omie_datetime(info.get("dAlt", ""), info.get("hAlt", ""))),
        "customer": _customer(header.get("codigo_cliente"),
                              clients.get(header.get("codigo_cliente"))),
        "items": [_item(det) for det in raw.get("det") or []],
        "items_total": money(totals.get("valor_mercadorias") or 0),
        "shipping_total": money((raw.get("frete") or {}).get("valor_frete") or 0),
        "discount_total": money(totals.get("valor_descontos") or 0),
        "total": money(totals.get("valor_total_pedido") or 0),
        "invoice": None,
    }


def to_invoice(nfe: dict | None) -> dict:
    """From a StatusPedido `ListaNfe` entry; None = invoicing requested, NF-e not out yet."""
    if not nfe:
        return {"external_id": None, "number": None, "series": None, "access_key": None,
                "status": "pending"}
    key = digits(nfe.get("chave_nfe", ""))
    return {"external_id": None, "number": str(nfe.get("numero_nfe") or "") or None,
            "series": str(nfe.get("serie_nfe") or "") or None,
            "access_key": key if len(key) == 44 else None, "status": "authorized"}


def to_stock_level(product_id: int, sku: str | None, row: dict | None, location: int | None,
                   movement_id) -> dict:
    """From a ListarPosEstoque `produtos` row (None = no stock there)."""
    return {"product_external_id": str(product_id), "sku": sku,
            "quantity": quantity((row or {}).get("nSaldo") or 0),
            "deposit": str(location) if location else None,
            "movement_id": str(movement_id) if movement_id else None}
