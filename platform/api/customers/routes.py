from flask.views import MethodView
from ..blueprint import Blueprint

from ...auth.principal import authenticate, require_scope
from ...models import Customer
from ...services import customers as service
from ..common import get_owned, list_schema, paginate
from ..idempotency import idempotent
from .schemas import CustomerListArgs, CustomerSchema

blp = Blueprint("customers", __name__, url_prefix="/v1/customers",
                description="Buyers, with CPF/CNPJ validated and stored normalised.")


@blp.route("")
class Customers(MethodView):
    @require_scope("customers:read")
    @blp.arguments(CustomerListArgs, location="query")
    @blp.response(200, list_schema(CustomerSchema))
    def get(self, args):
        """List customers, newest first"""
        return paginate(service.list_statement(authenticate(), args), Customer.id, args)

    @idempotent
    @require_scope("customers:write")
    @blp.arguments(CustomerSchema)
    @blp.response(201, CustomerSchema)
    def post(self, data):
        """Create a customer

        CPF and CNPJ (including the alphanumeric CNPJ) are checked and stored without
        punctuation; a document is unique per account (409 `duplicate_document`).
        Emits `customer.created`.
        """
        return service.create_customer(authenticate(), data)


@blp.route("/<customer_id>")
class CustomerById(MethodView):
    @require_scope("customers:read")
    @blp.response(200, CustomerSchema)
    def get(self, customer_id):
        """Get a customer"""
        return get_owned(Customer, customer_id, "customer")

    @require_scope("customers:write")
    @blp.arguments(CustomerSchema(partial=True))
    @blp.response(200, CustomerSchema)
    def put(self, data, customer_id):
        """Update a customer

        Fields left out keep their values. Emits `customer.updated`.
        """
        return service.update_customer(authenticate(), customer_id, data)
