"""Tiny pushes: set a product's stock."""
from __future__ import annotations

from ..sdk import fields as f
from ..sdk import records
from ..sdk.context import Context
from ..sdk.errors import RejectedError
from ..sdk.samples import load_sample
from ..sdk.spec import Action
from ..sdk.values import quantity, to_decimal
from .mappers import to_stock_level

OPERATIONS = {"balance": "B", "add": "E", "remove": "S"}

UPDATE_STOCK_INPUT = {
    **f.document({
        "product_id": f.text("Tiny product id", pattern=r"^\d{1,19}$"),
        "sku": f.text("SKU (Tiny `codigo`)", min_length=1, max_length=60),
        "quantity": {**f.decimal("Quantity", accept_numbers=True),
                     "pattern": r"^\d+(\.\d+)?$", "minimum": 0},
        "operation": f.text("balance sets the stock, add/remove move it", enum=list(OPERATIONS),
                            default="balance"),
        "deposit": f.text("Deposit name (Tiny v2 names deposits; default: the account's)",
                          max_length=100),
        "note": f.text("Note on the stock movement", max_length=500),
    }, ["quantity"], title="Update stock"),
    "anyOf": [{"required": ["product_id"]}, {"required": ["sku"]}],
}


def _product_id(client, inputs: dict) -> str:
    if inputs.get("product_id"):
        return inputs["product_id"]
    product = client.product_by_sku(inputs["sku"])
    if product is None:
        raise RejectedError(f"Tiny has no product with SKU {inputs['sku']}.",
                            details={"skus": [inputs["sku"]]})
    return str(product["id"])


def update_stock(ctx: Context, inputs: dict) -> dict:
    client = ctx.client
    product_id = _product_id(client, inputs)
    movement = {"idProduto": int(product_id),
                "tipo": OPERATIONS[inputs.get("operation", "balance")],
                "quantidade": quantity(to_decimal(inputs["quantity"]))}
    for source, target in (("deposit", "deposito"), ("note", "observacoes")):
        if inputs.get(source):
            movement[target] = inputs[source]
    client.call("produto.atualizar.estoque.php", {"estoque": {"estoque": movement}})
    stock = client.call("produto.obter.estoque.php", {"id": product_id})["produto"]
    return to_stock_level(stock, inputs.get("deposit") or None)


ACTIONS = (
    Action(key="update_stock", label="Atualizar estoque",
           description="Sets (or moves) a product's stock in Tiny and returns the balance Tiny "
                       "now holds.",
           input_schema=UPDATE_STOCK_INPUT, output_schema=records.STOCK_LEVEL,
           sample=load_sample(__package__, "update_stock"), run=update_stock),
)
