"""Tenants and hub users, created by operators (CLI) and by the demo seed."""
from __future__ import annotations

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from ..db import write_transaction
from ..errors import ConflictError, ValidationError
from ..models import PLANS, HubUser, Tenant

MIN_PASSWORD_LENGTH = 10


def create_tenant(name: str, plan: str = "starter") -> Tenant:
    if plan not in PLANS:
        raise ValidationError(f"Unknown plan '{plan}'.", fields={"plan": [f"One of {PLANS}."]})
    with write_transaction() as session:
        tenant = Tenant(name=name, plan=plan)
        session.add(tenant)
    return tenant


def change_plan(tenant_id: str, plan: str) -> Tenant:
    if plan not in PLANS:
        raise ValidationError(f"Unknown plan '{plan}'.", fields={"plan": [f"One of {PLANS}."]})
    with write_transaction() as session:
        tenant = session.get(Tenant, tenant_id)
        tenant.plan = plan
    return tenant


def create_hub_user(tenant_id: str, email: str, password: str, name: str) -> HubUser:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError("Password too short.", fields={
            "password": [f"At least {MIN_PASSWORD_LENGTH} characters."]})
    email = email.strip().lower()
    with write_transaction() as session:
        if session.execute(select(HubUser.id).where(HubUser.email == email)).first():
            raise ConflictError(f"A hub user with email {email} exists.", code="duplicate_email")
        user = HubUser(tenant_id=tenant_id, email=email, name=name,
                       password_hash=generate_password_hash(password))
        session.add(user)
    return user
