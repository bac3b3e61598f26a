"""All models, imported here so that Alembic and the app see every table."""
from .catalog import InventoryItem, Product
from .credentials import ApiKey, OAuthClient, RefreshToken
from .customer import Customer
from .integration import (ExternalRef, Integration, IntegrationOAuthState, IntegrationPush,
                          SyncRun)
from .order import Order, OrderItem
from .records import AuditEntry, Event, IdempotencyRecord
from .tenant import PLANS, HubSession, HubUser, Tenant
from .webhooks import WebhookAttempt, WebhookDelivery, WebhookEndpoint

__all__ = [
    "ApiKey", "AuditEntry", "Customer", "Event", "ExternalRef", "HubSession", "HubUser",
    "IdempotencyRecord", "Integration", "IntegrationOAuthState", "IntegrationPush", "InventoryItem",
    "OAuthClient", "Order", "OrderItem", "PLANS", "Product", "RefreshToken", "SyncRun", "Tenant",
    "WebhookAttempt", "WebhookDelivery", "WebhookEndpoint",
]
