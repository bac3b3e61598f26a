"""Bling pushes: set a product's stock, create a sales order."""
from __future__ import annotations

from datetime import date

from ..sdk import fields as f
from ..sdk import records
from ..sdk.context import Context
from ..sdk.documents import digits, document_type
from ..sdk.errors import InvalidInputError, RejectedError
from ..sdk.samples import load_sample
from ..sdk.spec import Action
from ..sdk.values import BRASILIA, to_decimal
from .mappers import to_order, to_stock_level

BLING_ID = r"^\d{1,19}$"
AMOUNT = r"^\d+(\.\d+)?$"  # non-negative decimal
OPERATIONS = {"balance": "B", "add": "E", "remove": "S"}


def _amount(title: str) -> dict:
    return {**f.decimal(title, accept_numbers=True), "pattern": AMOUNT, "minimum": 0}


UPDATE_STOCK_INPUT = {
    **f.document({
        "product_id": f.text("Bling product id", pattern=BLING_ID),
        "sku": f.text("SKU (Bling `codigo`)", min_length=1, max_length=60),
        "quantity": _amount("Quantity"),
        "operation": f.text("balance sets the stock, add/remove move it", enum=list(OPERATIONS),
                            default="balance"),
        "deposit_id": f.text("Bling deposit id (default: the account's default deposit)",
                             pattern=BLING_ID),
        "note": f.text("Note on the stock movement", max_length=500),
    }, ["quantity"], title="Update stock"),
    "anyOf": [{"required": ["product_id"]}, {"required": ["sku"]}],
}

_CUSTOMER = {**f.obj({
    "contact_id": f.text("Bling contact id", pattern=BLING_ID),
    "name": f.text("Name", min_length=1, max_length=120),
    "document": f.text("CPF or CNPJ", min_length=11, max_length=18),
    "email": f.text("E-mail", fmt="email", max_length=120),
}, title="Customer"), "anyOf": [{"required": ["contact_id"]}, {"required": ["name", "document"]}]}
_ITEM = {**f.obj({
    "product_id": f.text("Bling product id", pattern=BLING_ID),
    "sku": f.text("SKU", min_length=1, max_length=60),
    "name": f.text("Description", max_length=120),
    "quantity": _amount("Quantity"),
    "unit_price": _amount("Unit price (BRL)"),
}, ["quantity", "unit_price"], title="Item"),
    "anyOf": [{"required": ["product_id"]}, {"required": ["sku"]}]}
_INSTALMENT = f.obj({"due_on": f.day("Due date"), "amount": _amount("Amount (BRL)"),
                     "payment_method_id": f.text("Bling payment method id", pattern=BLING_ID)},
                    ["due_on", "amount", "payment_method_id"], title="Instalment")
CREATE_ORDER_INPUT = f.document({
    "customer": _CUSTOMER,
    "items": f.array(_ITEM, "Items", min_items=1, max_items=200),
    "ordered_on": f.day("Order date (default: today)"),
    "channel_number": f.text("Order number in the sales channel (Bling `numeroLoja`)",
                             max_length=100),
    "shipping_total": _amount("Shipping (BRL)"),
    "discount_total": _amount("Discount (BRL)"),
    "notes": f.text("Notes", max_length=2000),
    "installments": f.array(_INSTALMENT, "Instalments (default: the account's rule)"),
}, ["customer", "items"], title="Create order")


def _resolve_products(client, items: list[dict]) -> dict[str, dict]:
    skus = sorted({item["sku"] for item in items if not item.get("product_id")})
    found = client.products_by_sku(skus) if skus else {}
    missing = [sku for sku in skus if sku not in found]
    if missing:
        raise RejectedError(f"Bling has no product with SKU {', '.join(missing)}.",
                            details={"skus": missing})
    return found


def _product_id(client, inputs: dict) -> int:
    if inputs.get("product_id"):
        return int(inputs["product_id"])
    return _resolve_products(client, [inputs])[inputs["sku"]]["id"]


def update_stock(ctx: Context, inputs: dict) -> dict:
    client = ctx.client
    product_id = _product_id(client, inputs)
    deposit_id = int(inputs.get("deposit_id") or client.default_deposit())
    body = {"produto": {"id": product_id}, "deposito": {"id": deposit_id},
            "operacao": OPERATIONS[inputs.get("operation", "balance")],
            "quantidade": to_decimal(inputs["quantity"])}
    if inputs.get("note"):
        body["observacoes"] = inputs["note"]
    movement = client.call("POST", "estoques", body=body)["data"]
    rows = client.call("GET", "estoques/saldos", params={"idsProdutos[]": [product_id]})["data"]
    return to_stock_level(rows[0], deposit_id, movement["id"])


def _check_customer(customer: dict) -> str | None:
    if customer.get("contact_id"):
        return None
    kind = document_type(customer["document"])
    if kind is None:
        raise InvalidInputError("The customer's CPF/CNPJ is not valid.",
                                fields={"customer.document": ["Not a valid CPF or CNPJ."]})
    return kind


def _contact_id(client, customer: dict, kind: str | None) -> int:
    if customer.get("contact_id"):
        return int(customer["contact_id"])
    document = digits(customer["document"])
    found = client.call("GET", "contatos", params={"numeroDocumento": document})["data"]
    if found:
        return found[0]["id"]
    body = {"nome": customer["name"], "situacao": "A", "tipo": "F" if kind == "cpf" else "J",
            "numeroDocumento": document}
    if customer.get("email"):
        body["email"] = customer["email"]
    return client.call("POST", "contatos", body=body)["data"]["id"]


def _order_body(inputs: dict, contact_id: int, products: dict[str, dict], today: date) -> dict:
    day = inputs.get("ordered_on") or today.isoformat()
    items = []
    for item in inputs["items"]:
        product = products.get(item.get("sku")) if not item.get("product_id") else None
        price = to_decimal(item["unit_price"])
        items.append({"produto": {"id": int(item.get("product_id") or product["id"])},
                      "codigo": item.get("sku") or "",
                      "descricao": item.get("name") or (product or {}).get("nome", ""),
                      "quantidade": to_decimal(item["quantity"]), "valor": price,
                      "valorLista": price})
    body = {"contato": {"id": contact_id}, "data": day, "dataSaida": day, "dataPrevista": day,
            "itens": items, "parcelas": [
                {"dataVencimento": part["due_on"], "valor": to_decimal(part["amount"]),
                 "formaPagamento": {"id": int(part["payment_method_id"])}}
                for part in inputs.get("installments", [])],
            "transporte": {"frete": to_decimal(inputs.get("shipping_total", "0"))},
            "desconto": {"valor": to_decimal(inputs.get("discount_total", "0")), "unidade": "REAL"}}
    for source, target in (("channel_number", "numeroLoja"), ("notes", "observacoes")):
        if inputs.get(source):
            body[target] = inputs[source]
    return body


def _existing_order(client, channel_number: str | None) -> int | None:
    """The order already created for this channel number (a retry after a lost answer)."""
    if not channel_number:
        return None
    rows = client.call("GET", "pedidos/vendas", params={"numerosLojas[]": [channel_number]})
    return rows["data"][0]["id"] if rows["data"] else None


def create_order(ctx: Context, inputs: dict) -> dict:
    kind = _check_customer(inputs["customer"])  # before any request
    client = ctx.client
    order_id = _existing_order(client, inputs.get("channel_number"))
    if order_id is None:
        products = _resolve_products(client, inputs["items"])
        contact_id = _contact_id(client, inputs["customer"], kind)
        created = client.call("POST", "pedidos/vendas", body=_order_body(
            inputs, contact_id, products, ctx.clock().astimezone(BRASILIA).date()))
        order_id = created["data"]["id"]
    order = client.call("GET", f"pedidos/vendas/{order_id}")["data"]
    status_map = {int(k): v for k, v in ctx.config.get("order_status_map", {}).items()}
    return to_order(order, status_map)


ACTIONS = (
    Action(key="update_stock", label="Atualizar estoque",
           description="Sets (or moves) a product's stock in a Bling deposit and returns the "
                       "balance Bling now holds.",
           input_schema=UPDATE_STOCK_INPUT, output_schema=records.STOCK_LEVEL,
           sample=load_sample(__package__, "update_stock"), run=update_stock),
    Action(key="create_order", label="Criar pedido de venda",
           description="Creates a sales order in Bling (finding or creating the customer's "
                       "contact by CPF/CNPJ) and returns it as Bling saved it; an order whose "
                       "channel number Bling already has is returned, not duplicated.",
           input_schema=CREATE_ORDER_INPUT, output_schema=records.ORDER,
           sample=load_sample(__package__, "create_order"), run=create_order),
)
