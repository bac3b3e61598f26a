from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from ..api.customers.schemas import CustomerSchema
from ..auth.principal import Principal
from ..db import contains_pattern, utcnow, write_transaction
from ..errors import ConflictError, NotFoundError
from ..models import Customer
from .. import validators
from . import outbox


_REPRESENTATION = CustomerSchema()  # one instance: its dump plan is worked out once


def represent(customer: Customer) -> dict:
    return _REPRESENTATION.dump(customer)


def _apply(customer: Customer, data: dict) -> None:
    for name, value in data.items():
        setattr(customer, name, value)
    if "document" in data:
        normalised = validators.normalise_document(data["document"]) if data["document"] else None
        customer.document_type = normalised[1] if normalised else None


def _duplicate(data: dict) -> ConflictError:
    return ConflictError("Another customer already has this CPF/CNPJ.", code="duplicate_document",
                         fields={"document": ["Already in use."]})


def create_customer(principal: Principal, data: dict) -> Customer:
    customer = Customer(tenant_id=principal.tenant_id, metadata_={})
    _apply(customer, data)
    try:
        with write_transaction(keep_loaded=True) as session:
            session.add(customer)
            session.flush()
            outbox.emit(session, principal, "customer.created", represent(customer))
    except IntegrityError:
        raise _duplicate(data) from None
    return customer


def update_customer(principal: Principal, customer_id: str, data: dict) -> Customer:
    try:
        with write_transaction(keep_loaded=True) as session:
            customer = session.execute(
                select(Customer).where(Customer.tenant_id == principal.tenant_id,
                                       Customer.id == customer_id).with_for_update()
            ).scalar_one_or_none()
            if customer is None:
                raise NotFoundError("customer", customer_id)
            before = represent(customer)
            _apply(customer, data)
            if represent(customer) != before:
                customer.updated_at = utcnow()
                after = represent(customer)
                outbox.emit(session, principal, "customer.updated", {
                    **after, "previous_attributes": outbox.changed_attributes(before, after)})
    except IntegrityError:
        raise _duplicate(data) from None
    return customer


def list_statement(principal: Principal, args: dict):
    statement = select(Customer).where(Customer.tenant_id == principal.tenant_id)
    if "email" in args:
        statement = statement.where(Customer.email == args["email"])
    if "document" in args:
        normalised = validators.normalise_document(args["document"])
        statement = statement.where(Customer.document == (normalised[0] if normalised
                                                          else args["document"]))
    if "updated_since" in args:
        statement = statement.where(Customer.updated_at >= args["updated_since"])
    if args.get("q"):
        pattern = contains_pattern(args["q"])
        statement = statement.where(or_(Customer.name.ilike(pattern, escape="\\"),
                                        Customer.email.ilike(pattern, escape="\\"),
                                        Customer.document.ilike(pattern, escape="\\")))
    return statement
