"""The hub's Webhooks page through the Flask test client, with the real engine delivering to a real
receiver on 127.0.0.1: create (secret once), health, disable reasons, test, retry, replay,
tenant isolation and CSRF."""
from __future__ import annotations

import re
import time
from datetime import datetime, timedelta

import httpx
import pytest
from sqlalchemy import func, select
from standardwebhooks import Webhook

import hub_webhook_support as support
from hub_session import csrf_from, signed_in_client, text
from hub_webhook_support import CSRF_TOKEN, SECRET, deliver
from markethub.platform.events import payload, ssrf
from markethub.platform.events.catalogue import BY_NAME
from markethub.platform.events.sender import _status_error
from markethub.platform.extensions import db
from markethub.platform.models import WebhookDelivery, WebhookEndpoint
from markethub.platform.web.blueprint import DISPLAY_ZONE
from markethub.platform.web.webhook_text import EVENT_LABELS, is_translated, translate

receiver, webhook_targets = support.receiver, support.webhook_targets  # fixtures, shared
PASSWORD = "senha-dos-webhooks"
ENDPOINT_ID = re.compile(r'href="/hub/webhooks/(wh_[a-z0-9]+)"')
pytestmark = pytest.mark.usefixtures("webhook_targets")


def csrf(client, path: str = "/hub/webhooks") -> str:
    return csrf_from(client, path)


@pytest.fixture
def sign_in(app, make_account):
    """A test client signed in as a hub user of a new tenant (which also has an API key)."""
    return lambda: signed_in_client(app, make_account(), PASSWORD, "Caio Prado")


@pytest.fixture
def hub(sign_in):
    return sign_in()


def new_form(client) -> dict:
    page = text(client.get("/hub/webhooks/new"))
    return {"csrf_token": CSRF_TOKEN.search(page)[1],
            "form_id": re.search(r'name="form_id"[^>]*?value="([^"]+)"', page)[1]}


def create(client, url: str, event_types=("*",), description: str = "ERP da matriz"):
    return client.post("/hub/webhooks/new", data={**new_form(client), "url": url,
                                                  "description": description,
                                                  "event_types": list(event_types)})


def create_endpoint(client, receiver, path: str = "/hook", **kwargs) -> tuple[str, str]:
    """(endpoint id, secret) of a webhook created through the hub."""
    created = create(client, receiver.url(path), **kwargs)
    assert created.status_code == 200, text(created)
    endpoint_id = re.search(r"/hub/webhooks/(wh_[a-z0-9]+)", text(created))[1]
    return endpoint_id, SECRET.search(text(created))[0]


def post(client, path: str, **data):
    return client.post(path, data={"csrf_token": csrf(client), **data})


def send_test(client, endpoint_id: str, event_type: str = "order.created"):
    return post(client, f"/hub/webhooks/{endpoint_id}/test", event_type=event_type)


def deliveries(app, endpoint_id: str) -> list[WebhookDelivery]:
    with app.app_context():
        try:
            return db.session.execute(select(WebhookDelivery).where(
                WebhookDelivery.endpoint_id == endpoint_id)
                .order_by(WebhookDelivery.id)).scalars().all()
        finally:
            db.session.remove()


def test_every_event_type_has_a_portuguese_description():
    assert set(EVENT_LABELS) == set(BY_NAME)


def _engine_messages(settings) -> list[str]:
    """Messages the engine writes (URL refusals, attempt errors), made by its own code."""
    messages = [payload.too_large_message(300_000, 262_144, "evt_x"),
                _status_error(httpx.Response(302, headers={"location": "/x"}), 302),
                _status_error(httpx.Response(410), 410), _status_error(httpx.Response(503), 503)]
    for url in ("http://10.0.0.5/", "http://[::1]/", "http://169.254.169.254/", "ftp://x/",
                "http://user:pw@127.0.0.1/", "not a url"):
        with pytest.raises(ssrf.UnsafeURLError) as refused:
            ssrf.check_url(url, settings.model_copy(update={"outbound_allowed_networks": []}))
        messages.append(refused.value.message)
    return messages


def test_the_engines_messages_are_shown_in_portuguese(webhook_targets):
    for message in _engine_messages(webhook_targets):
        assert is_translated(message), message
        assert translate(message) != message or re.fullmatch(r"HTTP \d+\.", message)


def test_a_connection_error_is_explained_in_the_log(app, hub):
    dead = support.Receiver()
    dead.close()  # nothing listens on its port any more
    endpoint_id, _ = create_endpoint(hub, dead)
    send_test(hub, endpoint_id)
    deliver(app)
    log = text(hub.get(f"/hub/webhooks/{endpoint_id}"))
    assert "Erro: Falha de conexão (ConnectError)" in log and "Nova tentativa agendada" in log


def test_create_shows_the_secret_once_and_it_signs_the_deliveries(app, hub, receiver):
    created = create(hub, receiver.url(), ["order.*", "order.created", "product.created"])
    assert created.status_code == 200 and created.headers["Cache-Control"] == "no-store"
    page = text(created)
    secret = SECRET.search(page)[0]
    assert "não será exibido novamente" in page
    for header in ("webhook-id", "webhook-timestamp", "webhook-signature"):
        assert f"<code>{header}</code>" in page
    endpoint_id = re.search(r"/hub/webhooks/(wh_[a-z0-9]+)", page)[1]

    listing = text(hub.get("/hub/webhooks"))
    assert receiver.url() in listing and "ERP da matriz" in listing
    assert "Pedidos: todos" in listing and "product.created" in listing  # order.created folded
    assert secret not in listing and secret not in text(hub.get(f"/hub/webhooks/{endpoint_id}"))

    send_test(hub, endpoint_id, "order.shipped")
    deliver(app)
    [request] = receiver.requests
    assert Webhook(secret).verify(request.body, request.headers)["event"] == "order.shipped"


def test_resubmitting_the_create_form_does_not_make_a_second_endpoint(hub, receiver):
    data = {**new_form(hub), "url": receiver.url(), "event_types": ["*"]}
    assert SECRET.search(text(hub.post("/hub/webhooks/new", data=data)))
    again = hub.post("/hub/webhooks/new", data=data)
    assert again.status_code == 303 and again.headers["Location"] == "/hub/webhooks"
    assert len(set(ENDPOINT_ID.findall(text(hub.get("/hub/webhooks"))))) == 1


@pytest.mark.parametrize("url, message", [
    ("http://10.0.0.5/hook", "“10.0.0.5” aponta para 10.0.0.5 (rede privada)"),
    ("http://169.254.169.254/latest", "(metadados de nuvem)"),
    ("ftp://arquivos.example/hook", "Informe a URL completa"),
    ("", "Informe a URL que vai receber os eventos."),
])
def test_refused_urls_are_explained_next_to_the_field(hub, url, message):
    refused = create(hub, url)
    assert refused.status_code == 422
    errors = re.search(r'id="url-errors">(.*?)</ul>', text(refused), re.S)
    assert errors and message in errors[1]
    assert not ENDPOINT_ID.search(text(hub.get("/hub/webhooks")))


def test_production_requires_https(hub, receiver, webhook_targets, monkeypatch):
    monkeypatch.setattr(webhook_targets, "env", "production")
    refused = create(hub, receiver.url())
    assert refused.status_code == 422
    assert re.search(r'id="url-errors">\s*<li>A URL precisa usar https.</li>', text(refused))


def test_event_choices_are_checked(hub, receiver):
    none = create(hub, receiver.url(), [])
    assert re.search(r'id="event_types-errors">\s*<li>Escolha pelo menos um evento.</li>',
                     text(none))
    unknown = create(hub, receiver.url(), ["order.paid"])
    assert unknown.status_code == 422
    assert "Tipo de evento desconhecido: order.paid." in text(unknown)


def test_list_shows_success_rate_and_last_delivery(app, hub, receiver):
    endpoint_id, _ = create_endpoint(hub, receiver)
    assert "Sem tentativas" in text(hub.get("/hub/webhooks"))
    receiver.statuses["order.cancelled"] = 503
    send_test(hub, endpoint_id, "order.created")
    deliver(app)
    send_test(hub, endpoint_id, "order.cancelled")
    deliver(app)

    listing = text(hub.get("/hub/webhooks"))
    assert re.search(r'class="rate rate-bad">50 %</span>\s*<span class="sub">1 de 2 '
                     r'tentativas', listing)
    assert re.search(r'badge-danger">Falha</span>\s*<span class="nowrap">HTTP 503</span>', listing)
    detail = text(hub.get(f"/hub/webhooks/{endpoint_id}"))
    assert "Nova tentativa agendada" in detail and "Entregue" in detail
    assert "As entregas estão falhando desde" in detail


@pytest.mark.parametrize("status, disable_after, reason", [
    (410, 86_400, "Seu servidor respondeu 410 Gone em"),
    (500, 0, "Todas as entregas falharam por 0 h"),
])
def test_an_endpoint_disabled_by_the_system_says_why(app, hub, receiver, webhook_targets,
                                                      monkeypatch, status, disable_after, reason):
    monkeypatch.setattr(webhook_targets, "webhook_disable_after_failing_seconds", disable_after)
    endpoint_id, _ = create_endpoint(hub, receiver)
    receiver.default_status = status
    send_test(hub, endpoint_id)
    deliver(app)

    listing = text(hub.get("/hub/webhooks"))
    assert "Desativamos o webhook" in listing and reason in listing
    assert "Desativado pelo sistema" in listing
    detail = text(hub.get(f"/hub/webhooks/{endpoint_id}"))
    assert "Desativamos este webhook." in detail and reason in detail
    assert ">Reativar</button>" in detail
    if status == 500:
        assert "último erro: HTTP 500." in detail

    assert post(hub, f"/hub/webhooks/{endpoint_id}/enable").status_code == 303
    listing = text(hub.get("/hub/webhooks"))
    assert "Desativamos" not in listing and 'badge-ok">Ativo<' in listing


def test_a_test_event_becomes_a_delivery_in_the_log(app, hub, receiver):
    endpoint_id, _ = create_endpoint(hub, receiver, event_types=["customer.*"])
    sent = send_test(hub, endpoint_id, "order.shipped")
    assert sent.status_code == 303
    assert sent.headers["Location"] == f"/hub/webhooks/{endpoint_id}#entregas"
    [delivery] = deliveries(app, endpoint_id)
    assert delivery.event_type == "order.shipped" and delivery.status == "pending"
    queued = text(hub.get(f"/hub/webhooks/{endpoint_id}"))
    assert "Evento de teste order.shipped na fila de envio." in queued
    assert re.search(r'order.shipped</code>\s*<span class="badge badge-off">teste</span>', queued)
    assert "Na fila" in queued

    deliver(app)
    log = text(hub.get(f"/hub/webhooks/{endpoint_id}"))
    assert 'badge-ok">Entregue<' in log and "1 tentativa · HTTP 200" in log
    assert "webhook-signature: v1," in log and f"POST <span class=\"break\">{receiver.url()}" in log
    assert re.search(r'<summary>Resposta</summary>\s*<pre class="code-block">ok</pre>', log)


def test_unknown_test_event_type_is_refused(app, hub, receiver):
    endpoint_id, _ = create_endpoint(hub, receiver)
    send_test(hub, endpoint_id, "order.paid")
    assert "Escolha um tipo de evento da lista." in text(hub.get(f"/hub/webhooks/{endpoint_id}"))
    assert deliveries(app, endpoint_id) == []


def test_retry_sends_a_failed_delivery_again_with_the_same_webhook_id(
        app, hub, receiver, webhook_targets, monkeypatch):
    monkeypatch.setattr(webhook_targets, "webhook_retry_schedule_seconds", [])  # one attempt
    endpoint_id, _ = create_endpoint(hub, receiver)
    receiver.default_status = 500
    send_test(hub, endpoint_id)
    deliver(app)
    [delivery] = deliveries(app, endpoint_id)
    assert delivery.status == "failed"
    assert 'badge-danger">Falhou<' in text(hub.get(f"/hub/webhooks/{endpoint_id}"))

    receiver.default_status = 200
    retried = post(hub, f"/hub/webhooks/{endpoint_id}/deliveries/{delivery.id}/retry")
    assert retried.headers["Location"].endswith(f"#entrega-{delivery.id}")
    deliver(app)

    first, second = receiver.requests
    assert first.headers["Webhook-Id"] == second.headers["Webhook-Id"] == delivery.event_id
    log = text(hub.get(f"/hub/webhooks/{endpoint_id}"))
    assert "na fila de novo, com o mesmo webhook-id" in log
    assert 'badge-ok">Entregue<' in log and "2 tentativas · HTTP 200" in log


def _local(moment: datetime) -> str:
    return moment.astimezone(DISPLAY_ZONE).strftime("%Y-%m-%dT%H:%M")


def test_replay_counts_first_and_sends_after_confirming(app, hub, receiver):
    for sku in ("R-1", "R-2", "R-3"):  # before the endpoint exists: only a replay sends them
        made = hub.post("/v1/products", headers=hub.account.headers,
                        json={"sku": f"{sku}-{time.time_ns()}", "name": "Caneca",
                              "price": "19.90"})
        assert made.status_code == 201
    endpoint_id, _ = create_endpoint(hub, receiver, event_types=["product.created"])
    now = datetime.now(DISPLAY_ZONE)
    period = {"since": _local(now - timedelta(hours=1)),
              "until": _local(now + timedelta(minutes=2))}

    dry_run = post(hub, f"/hub/webhooks/{endpoint_id}/replay", **period)
    assert dry_run.status_code == 200
    assert "3 eventos serão reenviados" in text(dry_run)
    assert deliveries(app, endpoint_id) == []  # counting sends nothing

    confirmed = post(hub, f"/hub/webhooks/{endpoint_id}/replay", confirmed="1", **period)
    assert confirmed.status_code == 303
    deliver(app)
    assert sorted(r.event for r in receiver.requests) == ["product.created"] * 3
    assert "3 eventos na fila para reenvio" in text(hub.get(f"/hub/webhooks/{endpoint_id}"))


def test_replay_range_errors_are_shown_next_to_the_fields(hub, receiver):
    endpoint_id, _ = create_endpoint(hub, receiver)
    now = datetime.now(DISPLAY_ZONE)
    backwards = post(hub, f"/hub/webhooks/{endpoint_id}/replay", since=_local(now),
                     until=_local(now - timedelta(hours=1)))
    assert backwards.status_code == 422
    assert re.search(r'id="since-errors">\s*<li>O início precisa ser antes do fim.</li>',
                     text(backwards))
    garbled = post(hub, f"/hub/webhooks/{endpoint_id}/replay", since="ontem", until="")
    assert "Informe data e hora" in text(garbled) and "Informe o fim do período." in text(garbled)


def test_edit_rotate_and_delete(app, hub, receiver):
    endpoint_id, secret = create_endpoint(hub, receiver)
    edited = post(hub, f"/hub/webhooks/{endpoint_id}/edit", url=receiver.url("/novo"),
                  description="Estoque → ERP", event_types=["inventory.*"])  # enabled unticked
    assert edited.status_code == 303
    detail = text(hub.get(f"/hub/webhooks/{endpoint_id}"))
    assert "Estoque → ERP" in detail and receiver.url("/novo") in detail
    assert "Este webhook está desativado." in detail and "Desativado por você." in detail

    confirm = hub.get(f"/hub/webhooks/{endpoint_id}/rotate-secret")
    assert "24 horas" in text(confirm)
    form_id = re.search(r'name="form_id"[^>]*?value="([^"]+)"', text(confirm))[1]
    data = {"csrf_token": CSRF_TOKEN.search(text(confirm))[1], "form_id": form_id}
    rotated = hub.post(f"/hub/webhooks/{endpoint_id}/rotate-secret", data=data)
    new_secret = SECRET.search(text(rotated))[0]
    assert new_secret != secret and "Os dois segredos valem por 24 horas" in text(rotated)
    again = hub.post(f"/hub/webhooks/{endpoint_id}/rotate-secret", data=data)  # a refresh
    assert again.status_code == 303 and not SECRET.search(text(again))

    assert "Excluir este webhook?" in text(hub.get(f"/hub/webhooks/{endpoint_id}/delete"))
    assert post(hub, f"/hub/webhooks/{endpoint_id}/delete").status_code == 303
    assert hub.get(f"/hub/webhooks/{endpoint_id}").status_code == 404
    audit = text(hub.get("/hub/audit"))
    for action in ("Webhook criado", "Webhook alterado", "Segredo do webhook trocado",
                   "Webhook excluído"):
        assert action in audit


def test_another_tenants_webhook_is_a_404(app, sign_in, receiver):
    mine, theirs = sign_in(), sign_in()
    my_endpoint, _ = create_endpoint(mine, receiver, "/meu")
    their_endpoint, _ = create_endpoint(theirs, receiver, "/deles")
    send_test(theirs, their_endpoint)
    [their_delivery] = deliveries(app, their_endpoint)

    assert receiver.url("/deles") not in text(mine.get("/hub/webhooks"))
    base = f"/hub/webhooks/{their_endpoint}"
    for path in ("", "/edit", "/delete", "/rotate-secret", "/replay"):
        assert mine.get(base + path).status_code == 404, path
    for path in ("/edit", "/enable", "/disable", "/test", "/delete", "/rotate-secret", "/replay",
                 f"/deliveries/{their_delivery.id}/retry"):
        assert post(mine, base + path, event_type="order.created").status_code == 404, path
    mixed = post(mine, f"/hub/webhooks/{my_endpoint}/deliveries/{their_delivery.id}/retry")
    assert mixed.status_code == 404

    with app.app_context():
        endpoint = db.session.get(WebhookEndpoint, their_endpoint)
        assert endpoint.enabled and endpoint.deleted_at is None
        db.session.remove()
    assert len(deliveries(app, their_endpoint)) == 1


def test_changes_without_the_csrf_token_are_refused(app, hub, receiver):
    endpoint_id, _ = create_endpoint(hub, receiver)
    [_, delivery] = [send_test(hub, endpoint_id), deliveries(app, endpoint_id)[0]]
    base = f"/hub/webhooks/{endpoint_id}"
    forged = {"/hub/webhooks/new": {"url": receiver.url("/forjado"), "event_types": ["*"]},
              base + "/edit": {"url": receiver.url("/forjado"), "event_types": ["*"]},
              base + "/disable": {}, base + "/test": {"event_type": "order.created"},
              base + "/delete": {}, base + "/rotate-secret": {},
              base + f"/deliveries/{delivery.id}/retry": {},
              base + "/replay": {"since": "2020-01-01T00:00", "until": "2030-01-01T00:00",
                                 "confirmed": "1"}}
    for path, data in forged.items():
        response = hub.post(path, data=data)
        assert response.status_code == 400, path
        assert "Formulário expirado" in text(response)

    with app.app_context():
        endpoints = db.session.execute(select(func.count()).select_from(WebhookEndpoint).where(
            WebhookEndpoint.tenant_id == hub.account.tenant_id)).scalar()
        endpoint = db.session.get(WebhookEndpoint, endpoint_id)
        assert endpoints == 1 and endpoint.enabled and endpoint.url == receiver.url()
        db.session.remove()
    assert len(deliveries(app, endpoint_id)) == 1
