from flask.views import MethodView
from ..blueprint import Blueprint

from ...auth.principal import authenticate
from ..access import requires
from ...services import products as service
from ..common import already_dumped, list_schema, paginate
from ..idempotency import idempotent
from .. import examples
from .representation import product_json
from .schemas import ProductListArgs, ProductSchema

blp = Blueprint("products", __name__, url_prefix="/v1/products",
                description="The catalogue: SKU, prices, GTIN, NCM, dimensions.")


@blp.route("")
class Products(MethodView):
    @requires("products:read")
    @blp.arguments(ProductListArgs, location="query")
    @blp.response(200, list_schema(ProductSchema), example=examples.page(examples.PRODUCT))
    def get(self, args):
        """List products, newest first"""
        page = paginate(service.list_statement(authenticate(), args), service.ID, args,
                        view=product_json)
        return already_dumped({"object": "list", **page})

    @requires("products:write")  # the scope is checked before a replay, too
    @idempotent
    @blp.arguments(ProductSchema, example=examples.PRODUCT_CREATE)
    @blp.response(201, ProductSchema, example=examples.PRODUCT)
    def post(self, data):
        """Create a product

        Emits `product.created`. The product starts with zero stock.
        """
        return service.create_product(authenticate(), data)


@blp.route("/<product_id>")
class ProductById(MethodView):
    @requires("products:read")
    @blp.response(200, ProductSchema, example=examples.PRODUCT)
    def get(self, product_id):
        """Get a product"""
        return already_dumped(product_json(service.get_product(authenticate(), product_id)))

    @requires("products:write")
    @blp.arguments(ProductSchema(partial=True), example=examples.PRODUCT_UPDATE)
    @blp.response(200, ProductSchema, example=examples.PRODUCT)
    def put(self, data, product_id):
        """Update a product

        Fields left out keep their values. Emits `product.updated` with `previous_attributes`.
        """
        return service.update_product(authenticate(), product_id, data)

    @requires("products:write")
    @blp.response(204)
    def delete(self, product_id):
        """Delete a product

        Its SKU becomes free; orders keep their copy of SKU and name. Emits `product.deleted`.
        """
        service.delete_product(authenticate(), product_id)
