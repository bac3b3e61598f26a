from flask.views import MethodView
from ..blueprint import Blueprint

from ...auth.principal import authenticate, require_scope
from ...models import InventoryItem
from ...services import inventory as service
from ..common import list_schema, paginate
from .schemas import InventoryListArgs, InventorySchema, InventoryUpdateSchema

blp = Blueprint("inventory", __name__, url_prefix="/v1/inventory",
                description="Stock per product, with low-stock thresholds.")


@blp.route("")
class Inventory(MethodView):
    @require_scope("inventory:read")
    @blp.arguments(InventoryListArgs, location="query")
    @blp.response(200, list_schema(InventorySchema))
    def get(self, args):
        """List stock levels, newest products first"""
        return paginate(service.list_statement(authenticate(), args), InventoryItem.product_id,
                        args)


@blp.route("/<product_id>")
class InventoryByProduct(MethodView):
    @require_scope("inventory:write")
    @blp.arguments(InventoryUpdateSchema)
    @blp.response(200, InventorySchema)
    def put(self, data, product_id):
        """Set or adjust a product's stock

        Send `quantity` to set it, or `adjustment` to add or subtract atomically. Concurrent
        updates are serialised; none is lost. Stock never goes below zero (409
        `insufficient_stock`). Emits `inventory.updated`, and `inventory.low_stock_alert` plus
        `product.stock_low` when the quantity crosses down to the threshold or below.
        """
        return service.update_stock(authenticate(), product_id, data)
