"""Tiny v2 shapes (its field names; decimals as strings) -> MarketHub records."""
from __future__ import annotations

from datetime import datetime

from ..sdk.documents import digits, document_type, is_gtin
from ..sdk.values import from_erp_local, iso, money, optional_money, quantity, to_decimal

# The labels the searches show -> our status.
ORDER_STATUS = {"em aberto": "pending", "aprovado": "paid", "preparando envio": "paid",
                "faturado": "invoiced", "pronto para envio": "invoiced", "enviado": "shipped",
                "entregue": "delivered", "não entregue": "shipped", "cancelado": "cancelled",
                "dados incompletos": "pending"}


def tiny_datetime(text: str | None) -> datetime | None:
    if not text:
        return None
    for fmt in ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y"):
        try:
            return from_erp_local(datetime.strptime(text, fmt))
        except ValueError:
            continue
    raise ValueError(f"not a Tiny date: {text!r}")


def tiny_date(text: str | None) -> str | None:
    return datetime.strptime(text, "%d/%m/%Y").date().isoformat() if text else None


def _ncm(value: str | None) -> str | None:
    number = digits(value or "")
    return number if len(number) == 8 else None


def to_product(raw: dict) -> dict:
    """From a `produto` of produtos.pesquisa / lista.atualizacoes.produtos / produto.obter."""
    gtin = str(raw.get("gtin") or "")
    return {
        "external_id": str(raw["id"]),
        "sku": str(raw.get("codigo") or "") or None,
        "name": raw["nome"],
        "description": raw.get("descricao_complementar") or None,
        "price": money(raw.get("preco") or "0"),
        "cost": optional_money(raw.get("preco_custo")),
        "gtin": gtin if is_gtin(gtin) else None,
        "ncm": _ncm(raw.get("ncm")),
        "brand": raw.get("marca") or None,
        "unit": raw.get("unidade") or None,
        "active": raw.get("situacao", "A") == "A",
        "stock": None,  # the searches carry no stock (produto.obter.estoque does)
        "updated_at": iso(tiny_datetime(raw.get("data_alteracao"))),
    }


def _customer(client: dict) -> dict:
    document = digits(client.get("cpf_cnpj") or "")
    kind = document_type(document) if document else None
    return {"external_id": str(client.get("codigo")) if client.get("codigo") else None,
            "name": client.get("nome") or None, "document": document if kind else None,
            "document_type": kind, "email": client.get("email") or None}


def _item(entry: dict) -> dict:
    item = entry["item"]
    amount, price = to_decimal(item["quantidade"]), to_decimal(item["valor_unitario"])
    return {"product_external_id": str(item["id_produto"]) if item.get("id_produto") else None,
            "sku": item.get("codigo") or None, "name": item.get("descricao", ""),
            "quantity": quantity(amount), "unit_price": money(price),
            "total": money(amount * price)}


def to_order(raw: dict) -> dict:
    """From `pedido.obter.php` (the search rows carry no items)."""
    label = str(raw.get("situacao") or "")
    invoice_id = str(raw.get("id_nota_fiscal") or "0")
    return {
        "external_id": str(raw["id"]),
        "number": str(raw["numero"]),
        "channel_number": raw.get("numero_ecommerce") or None,
        "status": ORDER_STATUS.get(label.lower(), "pending"),
        "erp_status": label,
        "ordered_on": tiny_date(raw.get("data_pedido")),
        "updated_at": iso(tiny_datetime(raw.get("data_alteracao"))),
        "customer": _customer(raw.get("cliente") or {}),
        "items": [_item(entry) for entry in raw.get("itens") or []],
        "items_total": money(raw.get("total_produtos") or "0"),
        "shipping_total": money(raw.get("valor_frete") or "0"),
        "discount_total": money(raw.get("valor_desconto") or "0"),
        "total": money(raw.get("total_pedido") or "0"),
        "invoice": None if invoice_id in ("", "0") else {
            "external_id": invoice_id, "number": None, "series": None, "access_key": None,
            "status": "pending"},
    }


def to_stock_level(raw: dict, deposit: str | None) -> dict:
    """From `produto.obter.estoque.php`: the deposit's balance (or the total)."""
    balance = raw.get("saldo")
    for entry in raw.get("depositos") or []:
        if deposit and entry.get("deposito", {}).get("nome") == deposit:
            balance = entry["deposito"].get("saldo")
    return {"product_external_id": str(raw["id"]), "sku": raw.get("codigo") or None,
            "quantity": quantity(balance or "0"), "deposit": deposit, "movement_id": None}
