from flask.views import MethodView
from ..blueprint import Blueprint

from ...auth.principal import authenticate
from ..access import requires
from ...models import InventoryItem
from ...services import inventory as service
from ..common import list_schema, paginate
from .. import examples
from .schemas import InventoryListArgs, InventorySchema, InventoryUpdateSchema

blp = Blueprint("inventory", __name__, url_prefix="/v1/inventory",
                description="Stock per product, with low-stock thresholds.")


@blp.route("")
class Inventory(MethodView):
    @requires("inventory:read")
    @blp.arguments(InventoryListArgs, location="query")
    @blp.response(200, list_schema(InventorySchema), example=examples.page(examples.INVENTORY))
    def get(self, args):
        """List stock levels, newest products first"""
        return paginate(service.list_statement(authenticate(), args), InventoryItem.product_id,
                        args)


@blp.route("/<product_id>")
class InventoryByProduct(MethodView):
    @requires("inventory:write")
    @blp.arguments(InventoryUpdateSchema, example=examples.INVENTORY_UPDATE)
    @blp.response(200, InventorySchema, example=examples.INVENTORY)
    def put(self, data, product_id):
        """Set or adjust a product's stock

        Send `quantity` to set it, or `adjustment` to add or subtract atomically. Concurrent
        updates are serialised; none is lost. Stock never goes below zero (409
        `insufficient_stock`). Emits `inventory.updated`, and `inventory.low_stock_alert` plus
        `product.stock_low` when the quantity crosses down to the threshold or below.
        """
        return service.update_stock(authenticate(), product_id, data)
