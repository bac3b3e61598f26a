"""Omie pushes: set a product's stock, invoice a sales order."""
from __future__ import annotations

from ..sdk import fields as f
from ..sdk import records
from ..sdk.context import Context
from ..sdk.errors import RejectedError
from ..sdk.samples import load_sample
from ..sdk.spec import Action
from ..sdk.values import BRASILIA, to_decimal
from .client import END_OF_LIST, fault_code
from .mappers import to_invoice, to_stock_level

OMIE_ID = r"^\d{1,19}$"
AMOUNT = r"^\d+(\.\d+)?$"
# Our operation -> Omie adjustment type and the motive Omie accepts for it.
OPERATIONS = {"balance": ("SLD", "INV"), "add": ("ENT", "INV"), "remove": ("SAI", "INV")}

UPDATE_STOCK_INPUT = {
    **f.document({
        "product_id": f.text("Omie product id (codigo_produto)", pattern=OMIE_ID),
        "sku": f.text("SKU (Omie `codigo`)", min_length=1, max_length=60),
        "quantity": {**f.decimal("Quantity", accept_numbers=True), "pattern": AMOUNT,
                     "minimum": 0},
        "operation": f.text("balance sets the stock, add/remove move it", enum=list(OPERATIONS),
                            default="balance"),
        "deposit_id": f.text("Omie stock location (codigo_local_estoque); default: the "
                             "account's default location", pattern=OMIE_ID),
        "note": f.text("Note on the adjustment", max_length=500),
    }, ["quantity"], title="Update stock"),
    "anyOf": [{"required": ["product_id"]}, {"required": ["sku"]}],
}
CREATE_INVOICE_INPUT = {
    **f.document({
        "order_id": f.text("Omie order id (codigo_pedido)", pattern=OMIE_ID),
        "order_integration_code": f.text("Your code for the order (codigo_pedido_integracao)",
                                         min_length=1, max_length=60),
    }, [], title="Create invoice"),
    "anyOf": [{"required": ["order_id"]}, {"required": ["order_integration_code"]}],
}
CREATE_INVOICE_OUTPUT = f.document({
    "order_external_id": f.erp_id("Omie order id"),
    "message": f.text("Omie's answer to the invoicing request"),
    "invoice": records.INVOICE,
}, ["order_external_id", "message", "invoice"], title="Invoice request")


def _today(ctx: Context) -> str:
    return ctx.clock().astimezone(BRASILIA).strftime("%d/%m/%Y")


def _product(client, inputs: dict) -> tuple[int, str | None]:
    if inputs.get("product_id"):
        return int(inputs["product_id"]), inputs.get("sku")
    found = client.products_by_sku([inputs["sku"]])
    if inputs["sku"] not in found:
        raise RejectedError(f"Omie has no product with SKU {inputs['sku']}.",
                            details={"skus": [inputs["sku"]]})
    return found[inputs["sku"]]["codigo_produto"], inputs["sku"]


def update_stock(ctx: Context, inputs: dict) -> dict:
    client = ctx.client
    product_id, sku = _product(client, inputs)
    kind, motive = OPERATIONS[inputs.get("operation", "balance")]
    location = int(inputs["deposit_id"]) if inputs.get("deposit_id") else None
    param = {"id_prod": product_id, "data": _today(ctx), "tipo": kind, "motivo": motive,
             "origem": "AJU", "quan": to_decimal(inputs["quantity"]), "valor": 0,
             "obs": inputs.get("note") or "Ajuste de estoque via MarketHub"}
    if location:
        param["codigo_local_estoque"] = location
    ack = client.ack(client.call("estoque/ajuste", "IncluirAjusteEstoque", param))
    # ListarPosEstoque, not PosicaoEstoque: a list is never "consumo redundante".
    position = {"nPagina": 1, "nRegPorPagina": 1, "dDataPosicao": _today(ctx), "cExibeTodos": "S",
                "lista_produtos": [{"nCodProd": product_id}]}
    if location:
        position["codigo_local_estoque"] = location
    data = client.call("estoque/consulta", "ListarPosEstoque", position)
    rows = [] if fault_code(data) == END_OF_LIST else data.get("produtos") or []
    row = rows[0] if rows else None
    return to_stock_level(product_id, sku or (row or {}).get("cCodigo"), row,
                          location or (row or {}).get("codigo_local_estoque"), ack.get("id_movest"))


def create_invoice(ctx: Context, inputs: dict) -> dict:
    """Idempotent: when Omie refuses because the order is already invoiced (a retry after a
    lost answer), the existing invoice is returned instead of an error."""
    client = ctx.client
    if inputs.get("order_id"):
        invoice_key, status_key = {"nCodPed": int(inputs["order_id"])}, \
            {"codigo_pedido": int(inputs["order_id"])}
    else:
        code = inputs["order_integration_code"]
        invoice_key, status_key = {"cCodIntPed": code}, {"codigo_pedido_integracao": code}
    try:
        answer = client.ack(client.call("produtos/pedidovendafat", "FaturarPedidoVenda",
                                        invoice_key), "cCodStatus", "cDescStatus")
        message, status_key = answer.get("cDescStatus", ""), {"codigo_pedido": answer["nCodPed"]}
        refusal = None
    except RejectedError as error:
        message, refusal = error.erp_message or error.message, error
    status = client.call("produtos/pedido", "StatusPedido", status_key)
    if refusal is not None and status.get("faturada") != "S":
        raise refusal
    invoices = status.get("ListaNfe") or []
    return {"order_external_id": str(status["codigo_pedido"]), "message": message,
            "invoice": to_invoice(invoices[-1] if invoices else None)}


ACTIONS = (
    Action(key="update_stock", label="Atualizar estoque",
           description="Adjusts a product's stock in an Omie stock location and returns the "
                       "balance Omie now holds.",
           input_schema=UPDATE_STOCK_INPUT, output_schema=records.STOCK_LEVEL,
           sample=load_sample(__package__, "update_stock"), run=update_stock),
    Action(key="create_invoice", label="Faturar pedido",
           description="Asks Omie to invoice a sales order (NF-e) and returns the invoice number "
                       "and access key once SEFAZ authorizes it (pending until then); an order "
                       "already invoiced returns its invoice.",
           input_schema=CREATE_INVOICE_INPUT, output_schema=CREATE_INVOICE_OUTPUT,
           sample=load_sample(__package__, "create_invoice"), run=create_invoice),
)
