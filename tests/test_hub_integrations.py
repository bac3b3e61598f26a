"""The hub's Integrações pages through the Flask test client, against the ERP sandboxes over real
HTTP: the cards, the form generated from each connector's auth schema, secrets masked (and kept
when the mask comes back), Testar conexão, Conectar (Bling through its consent page),
Sincronizar Agora through a real RQ worker, the sync log, tenant isolation and CSRF."""
from __future__ import annotations

import html
import re
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

import pytest
from redis import Redis
from rq import Queue
from rq.serializers import JSONSerializer
from sqlalchemy import select, update

import hub_integration_support as support
from hub_session import csrf_from, signed_in_client, text
from hub_integration_support import CREDENTIALS, CSRF_TOKEN, consent, run_pushes, run_sync_jobs
from markethub.connectors import registry
from markethub.connectors.sdk.credentials import MASK
from markethub.platform.cli import operator
from markethub.platform.db import write_transaction
from markethub.platform.extensions import db
from markethub.platform.integrations import connections, engine
from markethub.platform.models import Integration, Product, SyncRun, Tenant
from markethub.platform.services import integration_runs, integrations
from markethub.platform.web.formatting import duration, time_ago

erp = support.erp  # fixture, shared with the browser test
PASSWORD = "senha-das-integracoes"
NOW = datetime(2025, 3, 10, 15, 0, tzinfo=timezone.utc)


def csrf(client, path: str = "/hub/integrations") -> str:
    return csrf_from(client, path)


@pytest.fixture
def sign_in(app, make_account):
    """A test client signed in as a hub user of a new tenant (which also has an API key)."""
    return lambda: signed_in_client(app, make_account(), PASSWORD, "Rita Alves")


@pytest.fixture
def hub(sign_in):
    return sign_in()


def seeded(app, client, provider: str, **data) -> str:
    """An integration stored as known-good without asking the ERP (as the demo seeds them)."""
    with app.app_context():
        tenant = db.session.get(Tenant, client.account.tenant_id)
        made = integrations.create_integration(
            operator(tenant), app.config["MH_SETTINGS"],
            {"provider": provider, "credentials": dict(CREDENTIALS[provider]), **data},
            verify=False)
        return made.id


def form_defaults(client, path: str) -> dict:
    page = text(client.get(path))
    found = dict(re.findall(r'name="(csrf_token|form_id)"[^>]*?value="([^"]*)"', page))
    return {**found, "sync_mode": "manual", "sync_interval_minutes": "15",
            "name": re.search(r'id="name" name="name"[^>]*?value="([^"]*)"', page)[1]}


def connect(client, provider: str, **fields):
    path = f"/hub/integrations/connect/{provider}"
    data = {**form_defaults(client, path),
            **{f"credentials.{k}": v for k, v in CREDENTIALS[provider].items()}, **fields}
    return client.post(path, data=data)


def stored(app, integration_id: str) -> tuple[Integration, dict]:
    with app.app_context():
        row = db.session.get(Integration, integration_id)
        secrets = connections.stored_credentials(app.config["MH_SETTINGS"], row)
        db.session.expunge(row)
        return row, secrets


def only_integration(app, client) -> str:
    with app.app_context():
        return db.session.execute(select(Integration.id).where(
            Integration.tenant_id == client.account.tenant_id)).scalar_one()


def test_the_humanized_moments_and_durations_read_as_portuguese():
    ago = [time_ago(NOW - delta, now=NOW) for delta in (
        timedelta(seconds=20), timedelta(minutes=10), timedelta(hours=3), timedelta(days=1),
        timedelta(days=2))]
    assert ago == ["agora mesmo", "há 10 min", "há 3 h", "há 1 dia", "há 2 dias"]
    assert time_ago(None) == "nunca"
    assert [duration(s) for s in (0.84, 42.2, 125, 3720)] == ["0,8 s", "42 s", "2 min 05 s",
                                                             "1 h 02 min"]


def test_a_new_account_sees_a_card_per_erp_and_the_custom_integration(hub):
    page = text(hub.get("/hub/integrations"))
    for label in ("Bling ERP", "Omie", "Tiny ERP", "Integração Customizada", "Criar via API"):
        assert label in page
    assert page.count(">Desconectado<") == 3 and page.count("nunca") == 3
    for provider in ("bling", "omie", "tiny"):
        assert f'href="/hub/integrations/connect/{provider}"' in page
    assert 'href="/docs"' in page and 'href="/hub/keys"' in page
    assert re.search(r'href="/hub/integrations"\s+aria-current="page"', page)
    assert "Em construção" not in page


def test_cards_show_status_sync_mode_last_sync_and_the_error(app, hub):
    omie = seeded(app, hub, "omie", sync_mode="automatic", sync_interval_minutes=30)
    tiny = seeded(app, hub, "tiny")
    with app.app_context():
        with write_transaction() as session:
            session.execute(update(Integration).where(Integration.id == omie).values(
                last_sync_at=datetime.now(timezone.utc) - timedelta(minutes=10, seconds=5)))
        engine.mark_error(tiny, {"code": "erp_auth_failed", "message": "Tiny refused the token.",
                                 "erp_message": "Token inválido ou não informado"})
    page = text(hub.get("/hub/integrations"))
    omie_card = page[page.index(f'id="integracao-{omie}"'):page.index(f'id="integracao-{tiny}"')]
    tiny_card = page[page.index(f'id="integracao-{tiny}"'):]
    assert ">Conectado<" in omie_card and "Automática · a cada 30 min" in omie_card
    assert "Última sync:</span> <time" in omie_card and ">há 10 min<" in omie_card
    assert "Sincronizar Agora" in omie_card and f"/hub/integrations/{omie}/sync" in omie_card
    assert ">Erro<" in tiny_card and "Credenciais inválidas: o Tiny ERP recusou" in tiny_card
    assert "“Token inválido ou não informado”" in tiny_card.replace("<q>", "“").replace(
        "</q>", "”")
    assert f"/hub/integrations/{tiny}/connect" in tiny_card and "Manual" in tiny_card
    assert 'href="/hub/integrations/connect/bling"' in page  # Bling not connected yet


@pytest.mark.parametrize("provider", ["bling", "omie", "tiny"])
def test_the_form_is_generated_from_the_connectors_auth_schema(hub, provider):
    page = text(hub.get(f"/hub/integrations/connect/{provider}"))
    connector = registry.get(provider)
    schema = connector.auth.schema
    shown = dict(re.findall(r'name="credentials\.(\w+)" type="(\w+)"', page))
    seller = [n for n in schema["properties"]
              if connector.auth.oauth2 is None or n in schema["required"]]
    assert list(shown) == seller  # Bling's tokens come from the authorization, never a form
    assert {n for n, kind in shown.items() if kind == "password"} == \
        set(schema["secret"]) & set(seller)
    assert 'name="sync_mode" value="automatic"' in page and 'name="sync_interval_minutes"' in page
    assert ("Enviar estoque ao ERP" in page) is True
    assert ("Criar pedidos no ERP" in page) is (provider == "bling")  # only Bling creates orders
    assert 'name="config.sync_overlap_seconds"' in page  # the seller's options, from config_schema
    assert 'name="config.base_url"' not in page  # where the ERP is belongs to the platform


def test_bling_app_fields_are_optional_when_the_platform_has_its_own_app(app, hub,
                                                                        monkeypatch):
    settings = app.config["MH_SETTINGS"]
    monkeypatch.setattr(settings, "bling_client_id", "app-da-plataforma")
    monkeypatch.setattr(settings, "bling_client_secret", "segredo-da-plataforma")
    page = text(hub.get("/hub/integrations/connect/bling"))
    assert page.count("Deixe em branco para usar o aplicativo do MarketHub.") == 2
    for name in ("client_id", "client_secret"):
        assert re.search(rf'for="credentials-{name}">[^<]*<span class="muted optional">'
                         r"\(opcional\)", page)
    assert " required" not in page
    assert "segredo-da-plataforma" not in page and "app-da-plataforma" not in page


def test_a_stored_secret_is_masked_and_never_in_the_html(app, hub):
    integration_id = seeded(app, hub, "omie")
    secret = CREDENTIALS["omie"]["app_secret"]
    for path in ("/hub/integrations", f"/hub/integrations/{integration_id}/configure",
                 f"/hub/integrations/{integration_id}"):
        assert secret not in text(hub.get(path)), path
    page = text(hub.get(f"/hub/integrations/{integration_id}/configure"))
    assert re.search(r'name="credentials\.app_secret" type="password"\s+value="--------"', page)
    assert f'value="{CREDENTIALS["omie"]["app_key"]}"' in page  # not a secret: shown


def test_sending_the_mask_back_keeps_the_secret_and_saves_the_settings(app, hub):
    integration_id = seeded(app, hub, "tiny")
    path = f"/hub/integrations/{integration_id}/configure"
    saved = hub.post(path, data={"csrf_token": csrf(hub, path), "credentials.token": MASK,
                                 "name": "Tiny da matriz", "sync_mode": "automatic",
                                 "sync_interval_minutes": "45", "push_stock": "y",
                                 "config.calls_per_minute": "30"})
    assert saved.status_code == 303 and saved.headers["Location"] == "/hub/integrations"
    row, secrets = stored(app, integration_id)
    assert secrets == CREDENTIALS["tiny"]
    assert (row.name, row.sync_mode, row.sync_interval_minutes, row.push_stock) == (
        "Tiny da matriz", "automatic", 45, True)
    assert row.config == {"calls_per_minute": 30} and row.status == "connected"


def test_a_refused_form_names_the_fields_and_never_echoes_a_typed_secret(app, hub):
    integration_id = seeded(app, hub, "omie")
    path = f"/hub/integrations/{integration_id}/configure"
    refused = hub.post(path, data={"csrf_token": csrf(hub, path), "credentials.app_key": "abc",
                                   "credentials.app_secret": "segredo-novo-digitado",
                                   "name": "", "sync_mode": "manual",
                                   "sync_interval_minutes": "2"})
    page = text(refused)
    assert refused.status_code == 422
    assert "Use só números." in page and "Dê um nome de 1 a 120 caracteres." in page
    assert "Use de 5 a 1440 minutos." in page
    assert "segredo-novo-digitado" not in page and "o campo voltou ao valor guardado" in page
    assert stored(app, integration_id)[1] == CREDENTIALS["omie"]  # nothing saved


def test_connecting_omie_tests_the_credentials(app, hub, erp):
    erp("omie")
    wrong = connect(hub, "omie", **{"credentials.app_secret": "not-the-secret"})
    wrong_id = only_integration(app, hub)
    assert wrong.headers["Location"] == f"/hub/integrations/{wrong_id}/configure"
    page = text(hub.get(wrong.headers["Location"]))
    assert "Credenciais inválidas: o Omie recusou o acesso." in page and ">Erro<" in page

    fixed = hub.post(f"/hub/integrations/{wrong_id}/configure", data={
        "csrf_token": csrf(hub), "credentials.app_key": CREDENTIALS["omie"]["app_key"],
        "credentials.app_secret": CREDENTIALS["omie"]["app_secret"], "name": "Omie",
        "sync_mode": "manual", "sync_interval_minutes": "15"})
    assert fixed.headers["Location"] == "/hub/integrations"
    cards = text(hub.get("/hub/integrations"))
    assert "Omie conectado (conta" in cards and ">Conectado<" in cards


def test_testar_conexao_tells_bad_credentials_from_an_unreachable_erp(app, hub, erp,
                                                                      monkeypatch):
    erp("tiny")
    assert connect(hub, "tiny").headers["Location"] == "/hub/integrations"
    integration_id = only_integration(app, hub)
    path = f"/hub/integrations/{integration_id}/test"
    form = {"name": "Tiny ERP", "sync_mode": "manual", "sync_interval_minutes": "15"}

    good = text(hub.post(path, data={"csrf_token": csrf(hub), "credentials.token": MASK, **form}))
    bad = text(hub.post(path, data={"csrf_token": csrf(hub),
                                    "credentials.token": "um-token-errado-123", **form}))
    monkeypatch.setattr(app.config["MH_SETTINGS"], "tiny_base_url", "http://127.0.0.1:9/api2")
    down = text(hub.post(path, data={"csrf_token": csrf(hub), "credentials.token": MASK, **form}))

    assert "Conexão OK.</strong> O Tiny ERP aceitou as credenciais" in good
    assert "Credenciais inválidas.</strong>" in bad and "um-token-errado-123" not in bad
    assert "Servidor indisponível.</strong>" in down and "podem estar certas" in down
    assert stored(app, integration_id)[1] == CREDENTIALS["tiny"]  # a test never saves


def test_connecting_bling_goes_through_its_authorization_page(app, hub, erp, make_account):
    bling = erp("bling")
    started = connect(hub, "bling")
    # a page that moves on by itself: CSP form-action stops a form's redirect to another site
    authorize_url = html.unescape(re.search(r'id="authorize-link" href="([^"]+)"',
                                            text(started))[1])
    assert started.status_code == 200 and authorize_url.startswith(bling.url + "/Api/v3/oauth")
    assert f'http-equiv="refresh" content="0; url={html.escape(authorize_url)}"' in text(started)
    callback = urlsplit(consent(authorize_url))
    back = hub.get(f"{callback.path}?{callback.query}")
    assert back.headers["Location"].startswith("/hub/integrations?")
    shown = hub.get(back.headers["Location"])
    assert shown.status_code == 303 and shown.headers["Location"] == "/hub/integrations"
    cards = text(hub.get("/hub/integrations"))
    assert "Bling ERP conectado (conta" in cards and ">Conectado<" in cards

    other = seeded(app, hub, "omie")  # a forged "connected" for a disconnected one is no success
    with app.app_context():
        integrations.disconnect_integration(operator(db.session.get(
            Tenant, hub.account.tenant_id)), app.config["MH_SETTINGS"], other)
    forged = hub.get(f"/hub/integrations?oauth=connected&integration={other}",
                     follow_redirects=True)
    assert "Omie conectado" not in text(forged) and "não foi concluída" in text(forged)


def test_sync_now_queues_a_run_that_the_worker_runs_and_the_log_shows(app, hub, erp):
    erp("tiny", products=12, orders=3)
    connect(hub, "tiny")
    integration_id = only_integration(app, hub)
    queued = hub.post(f"/hub/integrations/{integration_id}/sync", data={"csrf_token": csrf(hub)})
    again = hub.post(f"/hub/integrations/{integration_id}/sync", data={"csrf_token": csrf(hub)})
    with app.app_context():
        [run] = db.session.execute(select(SyncRun).where(
            SyncRun.integration_id == integration_id)).scalars().all()
        run_id, status = run.id, run.status
    sync_queue = Queue("sync", connection=Redis.from_url(app.config["MH_SETTINGS"].redis_url),
                       serializer=JSONSerializer)
    job = sync_queue.fetch_job(f"sync-{integration_id}")

    assert queued.headers["Location"] == f"/hub/integrations/{integration_id}#execucao-{run_id}"
    assert status == "queued" and job is not None and list(job.args) == [run_id]
    assert again.headers["Location"] == queued.headers["Location"]  # never two runs at once
    waiting = text(hub.get(f"/hub/integrations/{integration_id}"))
    assert "Já há uma sincronização em andamento" in waiting
    assert ">Na fila<" in waiting and "data-refresh-seconds" in waiting

    run_sync_jobs(app)
    with app.app_context():
        counts = db.session.get(SyncRun, run_id).counts
    created = sum(entry["created"] for entry in counts.values())
    log = text(hub.get(f"/hub/integrations/{integration_id}"))
    row = log[log.index(f'id="execucao-{run_id}"'):]
    assert ">Concluída<" in row and "data-refresh-seconds" not in log
    assert counts["product"]["created"] == 12 and counts["order"]["created"] == 3
    assert f'data-label="Criados" class="num">{created}<' in row
    detail = text(hub.get(f"/hub/integrations/{integration_id}/runs/{run_id}"))
    assert re.search(r"<th scope=\"row\">Produtos</th><td class=\"num\">12<", detail)
    assert "Nenhum item recusado." in detail


def test_a_push_and_its_result_appear_in_the_log(app, hub, erp):
    erp("tiny", products=5, orders=0)
    connect(hub, "tiny")
    integration_id = only_integration(app, hub)
    hub.post(f"/hub/integrations/{integration_id}/sync", data={"csrf_token": csrf(hub)})
    run_sync_jobs(app)
    with app.app_context():
        tenant = db.session.get(Tenant, hub.account.tenant_id)
        product = db.session.execute(select(Product).where(
            Product.tenant_id == tenant.id)).scalars().first()
        integration_runs.request_push(operator(tenant), app.config["MH_SETTINGS"],
                                      integration_id, "update_stock", product.id)
        sku = product.sku
    pending = text(hub.get(f"/hub/integrations/{integration_id}"))
    run_pushes(app)
    done = text(hub.get(f"/hub/integrations/{integration_id}"))
    assert ">Estoque<" in pending and ">Pendente<" in pending
    assert ">Enviado<" in done and f"(SKU {sku})" in done


def test_a_run_shows_the_items_refused_in_the_erps_words(app, hub):
    integration_id = seeded(app, hub, "tiny")
    with app.app_context():
        with write_transaction() as session:
            run = SyncRun(tenant_id=hub.account.tenant_id, integration_id=integration_id,
                          trigger="scheduled", status="partial", syncs=["sync_orders"],
                          completed=["sync_orders"], requests=7, error_count=1,
                          counts={"order": {"created": 2, "updated": 0, "unchanged": 0,
                                            "failed": 1}},
                          errors=[{"entity": "order", "external_id": "7781", "code":
                                   "erp_rejected", "message": "Tiny refused pedido.obter.",
                                   "erp_message": "Pedido não localizado"}])
            session.add(run)
        run_id = run.id
    detail = text(hub.get(f"/hub/integrations/{integration_id}/runs/{run_id}"))
    assert "Concluída com falhas" in detail and "Automática" in detail
    assert "O Tiny ERP recusou este registro." in detail
    assert "<q>Pedido não localizado</q>" in detail
    assert "7781" in detail and "Itens recusados (1)" in detail


def test_disconnecting_asks_first(app, hub):
    integration_id = seeded(app, hub, "omie")
    path = f"/hub/integrations/{integration_id}/disconnect"
    confirm = hub.get(path)
    assert "Desconectar o Omie?" in text(confirm) and stored(app, integration_id)[0].status == \
        "connected"
    done = hub.post(path, data={"csrf_token": CSRF_TOKEN.search(text(confirm))[1]})
    assert done.headers["Location"] == "/hub/integrations"
    assert stored(app, integration_id)[0].status == "disconnected"


def test_another_tenants_integration_is_a_404(app, hub, sign_in):
    theirs = seeded(app, hub, "tiny")
    with app.app_context():
        with write_transaction() as session:
            run = SyncRun(tenant_id=hub.account.tenant_id, integration_id=theirs,
                          trigger="manual", status="succeeded", syncs=[], completed=[],
                          counts={}, errors=[], error_count=0, requests=0)
            session.add(run)
        run_id = run.id
    intruder = sign_in()
    mine = seeded(app, intruder, "tiny")
    token = csrf(intruder)
    for path in (f"/hub/integrations/{theirs}", f"/hub/integrations/{theirs}/configure",
                 f"/hub/integrations/{theirs}/runs/{run_id}", f"/hub/integrations/{mine}/runs/"
                 f"{run_id}", f"/hub/integrations/{theirs}/disconnect"):
        assert intruder.get(path).status_code == 404, path
    for action in ("sync", "connect", "test", "configure", "disconnect"):
        answer = intruder.post(f"/hub/integrations/{theirs}/{action}", data={"csrf_token": token})
        assert answer.status_code == 404, action
    assert stored(app, theirs)[0].status == "connected"


def test_changes_without_the_csrf_token_are_refused(app, hub):
    integration_id = seeded(app, hub, "tiny")
    for path in (f"/hub/integrations/{integration_id}/sync",
                 f"/hub/integrations/{integration_id}/configure",
                 f"/hub/integrations/{integration_id}/disconnect",
                 f"/hub/integrations/{integration_id}/test", "/hub/integrations/connect/omie"):
        answer = hub.post(path, data={"name": "x", "sync_mode": "manual",
                                      "sync_interval_minutes": "15"})
        assert answer.status_code == 400 and "Formulário expirado" in text(answer), path
    with app.app_context():
        assert db.session.execute(select(SyncRun).where(
            SyncRun.integration_id == integration_id)).first() is None
    assert stored(app, integration_id)[0].name == "Tiny ERP"
