from flask.views import MethodView
from ..blueprint import Blueprint

from ...auth.principal import authenticate
from ..access import requires
from ...models import Customer
from ...services import customers as service
from ..common import get_owned, list_schema, paginate
from ..idempotency import idempotent
from .. import examples
from .schemas import CustomerListArgs, CustomerSchema

blp = Blueprint("customers", __name__, url_prefix="/v1/customers",
                description="Buyers, with CPF/CNPJ validated and stored normalised.")


@blp.route("")
class Customers(MethodView):
    @requires("customers:read")
    @blp.arguments(CustomerListArgs, location="query")
    @blp.response(200, list_schema(CustomerSchema), example=examples.page(examples.CUSTOMER))
    def get(self, args):
        """List customers, newest first"""
        return paginate(service.list_statement(authenticate(), args), Customer.id, args)

    @requires("customers:write")  # the scope is checked before a replay, too
    @idempotent
    @blp.arguments(CustomerSchema, example=examples.CUSTOMER_CREATE)
    @blp.response(201, CustomerSchema, example=examples.CUSTOMER)
    def post(self, data):
        """Create a customer

        CPF and CNPJ (including the alphanumeric CNPJ) are checked and stored without
        punctuation; a document is unique per account (409 `duplicate_document`).
        Emits `customer.created`.
        """
        return service.create_customer(authenticate(), data)


@blp.route("/<customer_id>")
class CustomerById(MethodView):
    @requires("customers:read")
    @blp.response(200, CustomerSchema, example=examples.CUSTOMER)
    def get(self, customer_id):
        """Get a customer"""
        return get_owned(Customer, customer_id, "customer")

    @requires("customers:write")
    @blp.arguments(CustomerSchema(partial=True), example=examples.CUSTOMER_UPDATE)
    @blp.response(200, CustomerSchema, example=examples.CUSTOMER)
    def put(self, data, customer_id):
        """Update a customer

        Fields left out keep their values. Emits `customer.updated`.
        """
        return service.update_customer(authenticate(), customer_id, data)
