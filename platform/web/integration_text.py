"""The ERP integrations in Portuguese: statuses, triggers, entities, actions, and what each error
code means to a seller. The engine's own message (English, technical) stays available as detail;
the ERP's words (`erp_message`) are shown as the ERP said them."""
from __future__ import annotations

from dataclasses import dataclass

from .blueprint import web

INTEGRATION_STATUS = {"connected": ("Conectado", "ok"), "disconnected": ("Desconectado", "off"),
                      "error": ("Erro", "danger")}
RUN_STATUS = {"queued": ("Na fila", "info"), "running": ("Sincronizando", "info"),
              "succeeded": ("Concluída", "ok"), "partial": ("Concluída com falhas", "warn"),
              "failed": ("Falhou", "danger")}
PUSH_STATUS = {"pending": ("Pendente", "info"), "succeeded": ("Enviado", "ok"),
               "failed": ("Falhou", "danger")}
ERP_DESCRIPTIONS = {  # the catalogue's descriptions are in English
    "bling": "Produtos, estoque e pedidos de venda pela API v3, com autorização OAuth.",
    "omie": "Produtos, estoque, pedidos de venda e emissão de NF-e.",
    "tiny": "Produtos, estoque e pedidos pela API v2 (Olist Tiny).",
}
SYNC_MODES = {"automatic": "Automática", "manual": "Manual"}
TRIGGERS = {"manual": "Manual", "scheduled": "Automática"}
ENTITIES = {"product": "Produtos", "inventory": "Estoque", "order": "Pedidos",
            "customer": "Clientes"}
ACTIONS = {"update_stock": "Estoque", "create_order": "Pedido", "create_invoice": "Nota fiscal"}
# reaction flag -> (label, what it does; {erp} is the ERP's name)
REACTIONS = {
    "push_stock": ("Enviar estoque ao ERP",
                   "Quando o estoque de um produto muda no MarketHub, atualizamos no {erp}."),
    "create_orders": ("Criar pedidos no ERP",
                      "Cada pedido criado no MarketHub é criado também no {erp}."),
}

CHECK_SETTINGS = " Confira os dados em Configurar."
UNAVAILABLE = ("Servidor indisponível: não conseguimos falar com o {erp} agora. As credenciais "
               "podem estar certas; tente de novo em alguns minutos.")
ERRORS = {
    "erp_auth_failed": "Credenciais inválidas: o {erp} recusou o acesso." + CHECK_SETTINGS,
    "erp_token_expired": "A autorização do {erp} expirou. Clique em Conectar para autorizar de "
                         "novo.",
    "erp_unavailable": UNAVAILABLE,
    "erp_unreachable": UNAVAILABLE,
    "erp_rate_limited": "O {erp} pediu para esperar: o limite de requisições da conta foi "
                        "atingido. Tentamos de novo sozinhos.",
    "erp_rejected": "O {erp} recusou este registro.",
    "erp_request_failed": "O {erp} não aceitou a requisição.",
    "invalid_input": "Dados inválidos para o {erp}.",
    "unreadable_record": "Não conseguimos ler este registro do {erp}.",
    "validation_error": "O MarketHub recusou o registro vindo do {erp}.",
    "unmatched_items": "Itens do pedido que não correspondem a produtos do MarketHub.",
    "status_not_reachable": "O status do pedido no {erp} não pode ser aplicado aqui.",
    "duplicate_sku_in_erp": "O mesmo SKU aparece em mais de um produto do {erp}.",
    "fractional_stock": "O {erp} tem estoque fracionado; o MarketHub conta unidades inteiras.",
    "negative_stock": "O {erp} tem estoque negativo; o MarketHub mantém o estoque em zero ou "
                      "mais.",
    "order_not_in_erp": "Este pedido ainda não está no {erp}: sincronize os pedidos antes de "
                        "faturar.",
    "integration_not_connected": "A integração não estava conectada quando a sincronização ia "
                                 "começar.",
    "integration_deleted": "A integração foi removida antes do envio.",
    "internal_error": "A sincronização parou por um erro interno (registrado). A próxima "
                      "continua de onde esta parou.",
    # the OAuth authorization's answers (the callback's `reason`)
    "invalid_state": "Este link de autorização é desconhecido, expirou ou já foi usado. Clique "
                     "em Conectar para começar de novo.",
    "access_denied": "A autorização foi negada na página do {erp}. Nada foi alterado.",
    "missing_code": "O {erp} não autorizou a conexão. Tente de novo.",
    "integration_not_found": "A integração foi removida durante a autorização.",
}
FALLBACK_ERROR = "O {erp} respondeu com um erro."


def status_of(table: dict, status: str) -> tuple[str, str]:
    """(label, badge level) of a status; an unknown one is shown as it is."""
    return table.get(status, (status, "off"))


@dataclass(frozen=True)
class ErrorText:
    headline: str  # what happened, in Portuguese
    erp_message: str | None  # the ERP's own words
    detail: str | None  # the engine's technical message
    kind: str  # auth | unavailable | other


def describe_error(error: dict | None, erp: str) -> ErrorText | None:
    if not error:
        return None
    code = error.get("code", "")
    kind = ("auth" if code in ("erp_auth_failed", "erp_token_expired") else
            "unavailable" if error.get("retryable") or code in ("erp_unavailable",
                                                                  "erp_unreachable") else "other")
    headline = ERRORS.get(code, FALLBACK_ERROR).format(erp=erp)
    fields = error.get("fields")
    if fields:
        headline += " Campos: " + ", ".join(sorted(fields)) + "."
    return ErrorText(headline, error.get("erp_message"), error.get("message"), kind)


def oauth_message(reason: str | None, erp: str) -> str:
    return ERRORS.get(reason or "", "A autorização no {erp} não foi concluída ({reason}). Tente "
                      "de novo.").format(erp=erp, reason=reason)


def push_summary(action: str, result: dict | None) -> str | None:
    """What the ERP made, in one line (the action's output)."""
    if not result:
        return None
    if action == "update_stock":
        return f"Estoque {result.get('quantity')} (SKU {result.get('sku')})"
    if action == "create_order":
        return f"Pedido nº {result.get('number') or result.get('external_id')} no ERP"
    invoice = result.get("invoice") or {}
    if invoice.get("number"):
        key = f", chave {invoice['access_key']}" if invoice.get("access_key") else ""
        return f"NF-e nº {invoice['number']} série {invoice.get('series') or '—'}{key}"
    return result.get("message")


def entity_counts(counts: dict | None) -> list[tuple[str, dict]]:
    """(entity, counts) in the order a seller thinks of them: products, stock, orders…"""
    order = list(ENTITIES)
    return sorted((counts or {}).items(),
                  key=lambda item: (order.index(item[0]) if item[0] in order else len(order),
                                    item[0]))


def counts_total(counts: dict | None) -> dict:
    """created / updated / unchanged / failed summed over the run's entities."""
    total = dict.fromkeys(("created", "updated", "unchanged", "failed"), 0)
    for entry in (counts or {}).values():
        for name in total:
            total[name] += entry.get(name, 0)
    return total


for _name, _table in (("status_integracao", INTEGRATION_STATUS), ("status_execucao", RUN_STATUS),
                      ("status_envio", PUSH_STATUS)):
    web.add_app_template_global(lambda status, _t=_table: status_of(_t, status), _name)
web.add_app_template_global(describe_error, "erro_erp")
web.add_app_template_global(push_summary, "resumo_envio")
web.add_app_template_global(counts_total, "totais")
web.add_app_template_global(entity_counts, "por_entidade")
web.add_app_template_filter(lambda key: ENTITIES.get(key, key), "entidade")
web.add_app_template_filter(lambda key: ACTIONS.get(key, key), "acao_erp")
web.add_app_template_filter(lambda key: TRIGGERS.get(key, key), "gatilho")
web.add_app_template_filter(lambda key: SYNC_MODES.get(key, key), "modo_sync")


@dataclass(frozen=True)
class TestOutcome:
    """A credentials test as the configuration page shows it."""
    ok: bool
    title: str
    text: str
    erp_message: str | None = None
    detail: str | None = None


TEST_TITLES = {"auth": "Credenciais inválidas", "unavailable": "Servidor indisponível"}


def test_outcome(result, erp: str) -> TestOutcome:
    """`result` is the integrations service's TestResult."""
    if result.ok:
        account = f" (conta “{result.label}”)" if result.label else ""
        return TestOutcome(True, "Conexão OK", f"O {erp} aceitou as credenciais{account}.")
    described = describe_error(result.error or {"code": "unknown"}, erp)
    title = TEST_TITLES.get(described.kind, "Não foi possível testar")
    text = described.headline.removeprefix(title + ": ").removesuffix(CHECK_SETTINGS)
    return TestOutcome(False, title, text[:1].upper() + text[1:], described.erp_message,
                       described.detail)
