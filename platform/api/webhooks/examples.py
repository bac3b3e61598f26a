"""Examples shown in the API docs for webhooks, deliveries and events."""
from ...events.catalogue import BY_NAME

AT = "2026-11-29T12:00:00+00:00"
EVENT_ID = "evt_01jb0j3m8v2k6c9x5t7r4n2q8w"

WEBHOOK_CREATE = {"url": "https://erp.example.com.br/hooks/markethub",
                  "event_types": ["order.*", "product.stock_low"],
                  "description": "Pedidos e estoque baixo → ERP"}
WEBHOOK_UPDATE = {"event_types": ["order.*"], "enabled": True}
WEBHOOK = {
    "id": "wh_01jb0j3m8v2k6c9x5t7r4n2q8w", "object": "webhook_endpoint", **WEBHOOK_CREATE,
    "enabled": True, "disabled_reason": None, "disabled_at": None, "failing_since": None,
    "previous_secret_expires_at": None,
    "health": {"window_hours": 24, "attempts": 120, "succeeded": 118, "success_rate": 0.9833,
               "last_attempt_at": AT},
    "created_at": AT, "updated_at": AT,
}
WEBHOOK_WITH_SECRET = {**WEBHOOK, "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}

EVENT = {"id": EVENT_ID, "event": "order.created", "timestamp": AT,
         "tenant_id": "ten_01jb0j3m8v2k6c9x5t7r4n2q8w", "data": BY_NAME["order.created"].example}

ATTEMPT = {
    "id": "att_01jb0j3m8v2k6c9x5t7r4n2q8w", "attempt_number": 1, "started_at": AT,
    "url": WEBHOOK["url"],
    "request_headers": {"content-type": "application/json", "webhook-id": EVENT_ID,
                        "webhook-timestamp": "1795953600",
                        "webhook-signature": "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4="},
    "request_body": '{"id":"evt_01jb0j3m8v2k6c9x5t7r4n2q8w","event":"order.created",...}',
    "response_status": 503, "response_body": "Service Unavailable",
    "response_body_truncated": False, "latency_ms": 84.2, "succeeded": False,
    "error": "HTTP 503.",
}
DELIVERY = {
    "id": "dlv_01jb0j3m8v2k6c9x5t7r4n2q8w", "object": "webhook_delivery",
    "endpoint_id": WEBHOOK["id"], "event_id": EVENT_ID, "event_type": "order.created",
    "status": "pending", "attempt_count": 1, "next_attempt_at": "2026-11-29T12:01:00+00:00",
    "last_status_code": 503, "last_error": "HTTP 503.", "created_at": AT, "updated_at": AT,
    "completed_at": None, "attempts": [ATTEMPT],
}
SEND_TEST = {"event_type": "order.created"}
REPLAY = {"since": "2026-11-28T00:00:00+00:00", "until": "2026-11-29T00:00:00+00:00",
          "dry_run": True}
REPLAY_RESULT = {"object": "webhook_replay", "endpoint_id": WEBHOOK["id"], **REPLAY,
                 "count": 42}


def page(item: dict) -> dict:
    return {"object": "list", "data": [item], "has_more": False, "next_cursor": None}


def event_type(name: str) -> dict:
    event = BY_NAME[name]
    return {"type": event.name, "group": event.group, "description": event.fires_when,
            "schema": event.schema, "example": event.example}
