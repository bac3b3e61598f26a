from flask.views import MethodView
from ..blueprint import Blueprint

from ...auth.principal import authenticate
from ..access import requires
from ...models import Order
from ...services import orders as service
from ..common import already_dumped, get_owned, list_schema, paginate
from ..idempotency import idempotent
from .. import examples
from .schemas import OrderListArgs, OrderSchema, OrderUpdateSchema

blp = Blueprint("orders", __name__, url_prefix="/v1/orders",
                description="Sales orders from every channel, with exact totals and a status "
                            "state machine.")


@blp.route("")
class Orders(MethodView):
    @requires("orders:read")
    @blp.arguments(OrderListArgs, location="query")
    @blp.response(200, list_schema(OrderSchema), example=examples.page(examples.ORDER))
    def get(self, args):
        """List orders, newest first"""
        return paginate(service.list_statement(authenticate(), args), Order.id, args)

    @requires("orders:write")  # the scope is checked before a replay, too
    @idempotent
    @blp.arguments(OrderSchema, example=examples.ORDER_CREATE)
    @blp.response(201, OrderSchema, example=examples.ORDER)
    def post(self, data):
        """Create an order

        Totals are computed exactly: `items_total` = Σ quantity × unit_price, `total` =
        items_total + shipping_total − discount_total. `external_number` is unique per channel
        (409 `duplicate_order`). Emits `order.created`.
        """
        return already_dumped(service.create_order(authenticate(), data)), 201


@blp.route("/<order_id>")
class OrderById(MethodView):
    @requires("orders:read")
    @blp.response(200, OrderSchema, example=examples.ORDER)
    def get(self, order_id):
        """Get an order"""
        return get_owned(Order, order_id, "order")

    @requires("orders:write")
    @blp.arguments(OrderUpdateSchema, example=examples.ORDER_UPDATE)
    @blp.response(200, OrderSchema, example=examples.ORDER)
    def put(self, data, order_id):
        """Update an order's status, tracking code, notes or metadata

        Status moves pending → paid → invoiced → shipped → delivered; cancelled is allowed
        until the order ships. Any other move is a 409 `invalid_status_transition`. Emits
        `order.updated`, `order.status_changed`, and `order.shipped` / `order.delivered` /
        `order.cancelled`.
        """
        return service.update_order(authenticate(), order_id, data)
