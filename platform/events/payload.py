"""What we POST: {"id", "event", "timestamp", "tenant_id", "data"} — the same shape that
GET /v1/events returns, so pushing and pulling are handled alike."""
from __future__ import annotations

import json
from datetime import timezone


def envelope(event_id: str, event_type: str, created_at, tenant_id: str, data: dict) -> dict:
    return {"id": event_id, "event": event_type,
            "timestamp": created_at.astimezone(timezone.utc).isoformat(),
            "tenant_id": tenant_id, "data": data}


def encode(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def too_large_message(size: int, cap: int, event_id: str) -> str:
    return (f"The payload is {size:,} bytes, above the {cap:,}-byte cap "
            f"(MARKETHUB_WEBHOOK_MAX_PAYLOAD_BYTES): not sent. Fetch the event with "
            f"GET /v1/events/{event_id}.")
