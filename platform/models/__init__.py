"""All models, imported here so that Alembic and the app see every table."""
from .catalog import InventoryItem, Product
from .credentials import ApiKey, OAuthClient, RefreshToken
from .customer import Customer
from .order import Order, OrderItem
from .records import AuditEntry, Event, IdempotencyRecord
from .tenant import PLANS, HubUser, Tenant
from .webhooks import WebhookAttempt, WebhookDelivery, WebhookEndpoint

__all__ = [
    "ApiKey", "AuditEntry", "Customer", "Event", "HubUser", "IdempotencyRecord", "InventoryItem",
    "OAuthClient", "Order", "OrderItem", "PLANS", "Product", "RefreshToken", "Tenant",
    "WebhookAttempt", "WebhookDelivery", "WebhookEndpoint",
]
