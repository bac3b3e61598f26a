"""Examples shown in the API docs for integrations, sync runs, pushes and the catalogue."""
AT = "2026-11-29T12:00:00+00:00"
LATER = "2026-11-29T12:15:00+00:00"

INTEGRATION = {
    "id": "int_01jnq3v8w2k6c9x5t7r4n2q8we", "object": "integration", "provider": "omie",
    "name": "Omie da loja", "status": "connected", "error": None,
    "account_label": "Loja Sandbox Comércio Ltda", "auth_kind": "app_keys",
    "credentials": {"app_key": "5002391847113", "app_secret": "--------"},
    "sync_mode": "automatic", "sync_interval_minutes": 15,
    "reactions": {"push_stock": True, "create_orders": False}, "config": {"page_size": 100},
    "last_sync_at": AT, "next_sync_at": LATER, "connected_at": AT, "created_at": AT,
    "updated_at": AT,
}
INTEGRATION_CREATE = {
    "provider": "omie", "name": "Omie da loja",
    "credentials": {"app_key": "5002391847113", "app_secret": "omie-app-secret"},
    "sync_mode": "automatic", "sync_interval_minutes": 15,
    "reactions": {"push_stock": True, "create_orders": False},
}
INTEGRATION_UPDATE = {"credentials": {"app_key": "5002391847113", "app_secret": "--------"},
                      "sync_mode": "manual", "reactions": {"push_stock": False}}
TEST = {"credentials": {"app_secret": "another-secret"}}
TEST_RESULT = {"object": "integration_test", "ok": False, "status": "connected", "label": None,
               "error": {"code": "erp_auth_failed", "retryable": False, "status": 500,
                         "message": "Omie refused the app key/secret: A chave de acesso não "
                                    "está preenchida ou não é válida.",
                         "erp_message": "A chave de acesso não está preenchida ou não é válida.",
                         "erp_code": "SOAP-ENV:Client-101"}}
SYNC_RUN = {
    "id": "run_01jnq4a0b2k6c9x5t7r4n2q8wf", "object": "sync_run",
    "integration_id": INTEGRATION["id"], "trigger": "manual", "status": "partial",
    "counts": {"product": {"created": 298, "updated": 0, "unchanged": 0, "failed": 2},
               "order": {"created": 120, "updated": 0, "unchanged": 0, "failed": 0},
               "customer": {"created": 58, "updated": 0, "unchanged": 0, "failed": 0}},
    "errors": [{"entity": "product", "external_id": "3184562301", "code": "duplicate_sku",
                "message": "Another product already has SKU 'CAM-AZ-P'.",
                "fields": {"sku": ["Already in use."]}}],
    "error_count": 2, "error": None, "requests": 9, "created_at": AT, "started_at": AT,
    "finished_at": "2026-11-29T12:00:21+00:00", "duration_seconds": 21.4,
}
SYNC_QUEUED = {**SYNC_RUN, "status": "queued", "counts": {}, "errors": [], "error_count": 0,
               "requests": 0, "started_at": None, "finished_at": None, "duration_seconds": None}
PUSH = {
    "id": "psh_01jnq4a0b2k6c9x5t7r4n2q8wg", "object": "integration_push",
    "integration_id": INTEGRATION["id"], "action": "create_invoice", "resource": "order",
    "local_id": "ord_01jb0j3m8v2k6c9x5t7r4n2q8w", "source_event_id": None,
    "status": "succeeded", "attempts": 1, "next_attempt_at": None,
    "external_id": "35261111222333000181550010000010061234567890",
    "result": {"order_external_id": "1006", "message": "Pedido faturado com sucesso!",
               "invoice": {"external_id": None, "number": "1006", "series": "1",
                           "access_key": "35261111222333000181550010000010061234567890",
                           "status": "authorized"}},
    "error": None, "created_at": AT, "finished_at": AT,
}
PUSH_CREATE = {"action": "create_invoice", "order_id": "ord_01jb0j3m8v2k6c9x5t7r4n2q8w"}
PUSH_QUEUED = {**PUSH, "status": "pending", "attempts": 0, "next_attempt_at": AT,
               "external_id": None, "result": None, "finished_at": None}
OAUTH_START = {"return_to": "/hub/integrations"}
OAUTH_STARTED = {"object": "oauth_authorization",
                 "authorize_url": "https://www.bling.com.br/Api/v3/oauth/authorize?"
                                  "response_type=code&client_id=markethub&state=8sV1…"}
CATALOGUE = {"format_version": 1, "digest": "sha256:9f2c…", "connectors": [{
    "key": "tiny", "label": "Tiny ERP", "version": "1.0.0",
    "description": "Tiny ERP (Olist) via API v2: products, stock and orders.",
    "auth": {"kind": "token", "schema": {"type": "object", "required": ["token"],
                                         "properties": {"token": {"type": "string"}},
                                         "secret": ["token"]}},
    "config_schema": {"type": "object", "properties": {"calls_per_minute": {"type": "integer"}}},
    "actions": [{"key": "tiny.update_stock", "kind": "action", "label": "Atualizar estoque"}],
    "triggers": [], "syncs": [{"key": "tiny.sync_products", "kind": "sync",
                               "label": "Sincronizar produtos", "entity": "product"}]}]}


def page(item: dict) -> dict:
    return {"object": "list", "data": [item], "has_more": True, "next_cursor": item["id"]}
