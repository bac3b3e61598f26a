"""The webhooks engine in Portuguese: event descriptions, and its English messages (URL refusals,
disable reasons, attempt errors) as the hub shows them.

The engine's wording is matched here; tests/test_hub_webhooks.py drives the real engine and checks
that every message it produces has a translation, so a change of wording there fails a test.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from ..events.catalogue import EVENT_TYPES, GROUPS
from .blueprint import format_datetime, web

GROUP_LABELS = {"product": "Produtos", "order": "Pedidos", "customer": "Clientes",
                "inventory": "Estoque", "integration": "Integrações"}
PREVIOUS = " `previous_attributes` traz os valores anteriores."
EVENT_LABELS = {
    "product.created": "Um produto é criado (pela API, pelo hub ou por sincronização com o ERP).",
    "product.updated": "Os dados de um produto mudam (o estoque não: veja `inventory.updated`)."
                       + PREVIOUS,
    "product.deleted": "Um produto é excluído; vem como estava, com `active: false`.",
    "product.stock_low": "O estoque de um produto cai até o mínimo ou abaixo: uma vez por queda, "
                         "de novo só depois de voltar acima.",
    "order.created": "Um pedido é criado (pela API, pelo hub ou por sincronização).",
    "order.updated": "Qualquer alteração em um pedido, inclusive de status." + PREVIOUS,
    "order.status_changed": "Um pedido muda de status; `previous_status` diz qual era.",
    "order.shipped": "O pedido passa a `shipped` (enviado).",
    "order.delivered": "O pedido passa a `delivered` (entregue).",
    "order.cancelled": "O pedido passa a `cancelled` (cancelado).",
    "customer.created": "Um cliente é cadastrado.",
    "customer.updated": "Os dados de um cliente mudam." + PREVIOUS,
    "inventory.updated": "A quantidade ou o estoque mínimo de um produto muda; "
                         "`previous_quantity` traz a quantidade anterior.",
    "inventory.low_stock_alert": "O estoque cai até o mínimo ou abaixo (a mesma queda de "
                                 "`product.stock_low`, com o item de estoque).",
    "integration.connected": "Uma integração com ERP é conectada (credenciais conferidas).",
    "integration.disconnected": "Uma integração com ERP é desconectada por você.",
    "integration.error": "Uma integração com ERP para de funcionar; `error` diz por quê.",
}
ALL_EVENTS = "*"


@dataclass(frozen=True)
class EventGroup:
    key: str
    label: str
    wildcard: str  # e.g. "order.*"
    events: tuple[tuple[str, str], ...]  # (type, description)


def event_groups() -> list[EventGroup]:
    return [EventGroup(group, GROUP_LABELS.get(group, group), f"{group}.*",
                       tuple((t.name, EVENT_LABELS.get(t.name, t.fires_when))
                             for t in EVENT_TYPES if t.group == group)) for group in GROUPS]


def simplified(patterns: list[str]) -> list[str]:
    """What was ticked, minus what a ticked wildcard already covers (the form without JS)."""
    if ALL_EVENTS in patterns:
        return [ALL_EVENTS]
    wildcards = {p[:-2] for p in patterns if p.endswith(".*")}
    kept = [p for p in patterns if p.endswith(".*") or p.split(".")[0] not in wildcards]
    return list(dict.fromkeys(kept))


def subscription_summary(patterns: list[str]) -> list[str]:
    if ALL_EVENTS in patterns:
        return ["Todos os eventos"]
    return [f"{GROUP_LABELS.get(p[:-2], p[:-2])}: todos" if p.endswith(".*") else p
            for p in patterns]


# --- the engine's English, in Portuguese -------------------------------------------------------

ADDRESS_KINDS = {
    "cloud metadata": "metadados de nuvem", "loopback": "esta própria máquina",
    "link-local": "link-local", "multicast": "multicast", "carrier-grade NAT": "CGNAT",
    "unspecified": "não especificado", "private": "rede privada", "reserved": "reservado",
    "non-global": "não público",
}
EXACT = {
    "Not a valid URL.": "URL inválida.",
    "Give an absolute http(s) URL, e.g. https://example.com/webhooks.":
        "Informe a URL completa, com http:// ou https://, por exemplo "
        "https://sualoja.com.br/webhooks.",
    "Webhook URLs must use https.": "A URL precisa usar https.",
    "Credentials in the URL are not supported; verify our signature instead.":
        "Não coloque usuário e senha na URL; para saber que o envio é nosso, verifique a "
        "assinatura.",
    "Must be before until.": "O início precisa ser antes do fim.",
    "Narrow the time range.": "Período grande demais: diminua o intervalo.",
    "HTTP 410 Gone: the endpoint is disabled.": "HTTP 410 Gone: o webhook foi desativado.",
    "The endpoint was deleted.": "O webhook foi excluído.",
}


def _number(digits: str) -> str:
    return digits.replace(",", ".")


def _kind(match) -> str:
    return f"{match['address']} ({ADDRESS_KINDS.get(match['kind'], match['kind'])})"


PATTERNS = (
    (r"'(?P<host>.+)' resolves to (?P<address>\S+) \((?P<kind>[^)]+)\), which outbound calls "
     r"may not reach\.",
     lambda m: f"“{m['host']}” aponta para {_kind(m)}; por segurança não enviamos webhooks para "
               "endereços internos."),
    (r"The host '(?P<host>.+)' does not resolve\.",
     lambda m: f"O endereço “{m['host']}” não foi encontrado (DNS)."),
    (r"Unknown event type '(?P<type>[^']*)'\. .*",
     lambda m: f"Tipo de evento desconhecido: {m['type']}."),
    (r"HTTP (?P<status>\d+)\.", lambda m: f"HTTP {m['status']}."),
    (r"HTTP (?P<status>\d+): redirects are not followed \(Location: (?P<to>.*)\)\.",
     lambda m: f"HTTP {m['status']}: redirecionamentos não são seguidos (Location: {m['to']})."),
    (r"Timed out after (?P<seconds>[\d.]+) s \((?P<kind>\w+)\)\.",
     lambda m: f"Sem resposta em {m['seconds'].replace('.', ',')} s ({m['kind']})."),
    (r"Connection failed \((?P<kind>\w+)\): (?P<detail>.*)",
     lambda m: f"Falha de conexão ({m['kind']}): {m['detail']}"),
    (r"Refused by the SSRF guard: (?P<why>.*)",
     lambda m: f"Bloqueado pela proteção de rede: {translate(m['why'])}"),
    (r"Internal error while sending \((?P<kind>\w+)\)\.",
     lambda m: f"Erro interno ao enviar ({m['kind']}); tentaremos de novo."),
    (r"The endpoint is disabled: (?P<why>.*)",
     lambda m: f"O webhook está desativado: {describe_reason(m['why']).text}"),
    (r"The payload is (?P<size>[\d,]+) bytes, above the (?P<cap>[\d,]+)-byte cap .*GET "
     r"(?P<path>\S+)\.",
     lambda m: f"O evento tem {_number(m['size'])} bytes, acima do limite de {_number(m['cap'])}: "
               f"não foi enviado. Consulte-o em GET {m['path']}."),
)
_COMPILED = tuple((re.compile(pattern, re.DOTALL), render) for pattern, render in PATTERNS)


def translate(message: str | None) -> str | None:
    """An engine message in Portuguese; an unknown one is shown as it is (never hidden)."""
    if not message:
        return message
    if message in EXACT:
        return EXACT[message]
    for pattern, render in _COMPILED:
        match = pattern.fullmatch(message)
        if match:
            return render(match)
    return message


def is_translated(message: str) -> bool:
    return message in EXACT or any(p.fullmatch(message) for p, _ in _COMPILED)


def form_message(message: str) -> str:
    """For form fields: an unknown message becomes a plain Portuguese one."""
    return translate(message) if is_translated(message) else "Valor inválido."


# --- why an endpoint is disabled ---------------------------------------------------------------

@dataclass(frozen=True)
class Reason:
    text: str
    by_system: bool  # the tenant did not choose it: say so prominently


def _when(iso: str) -> str:
    try:
        return format_datetime(datetime.fromisoformat(iso))
    except ValueError:
        return iso


def _gone(m) -> str:
    return (f"Seu servidor respondeu 410 Gone em {_when(m['at'])}, então paramos de enviar. "
            "Reative quando ele voltar a receber.")


def _streak(m) -> str:
    hours = m["hours"].replace(".", ",")
    return (f"Todas as entregas falharam por {hours} h (desde {_when(m['since'])}); último erro: "
            f"{translate(m['error'] + '.')} Corrija o problema e reative o webhook.")


REASONS = (
    (re.compile(r"Disabled by the account\.|Created disabled\.|by its owner"),
     lambda m: Reason("Desativado por você.", by_system=False)),
    (re.compile(r"The endpoint answered 410 Gone at (?P<at>\S+); we stopped sending\..*",
                re.DOTALL), lambda m: Reason(_gone(m), by_system=True)),
    (re.compile(r"Every delivery failed for (?P<hours>[\d.]+) h \(since (?P<since>[^)]+)\); last "
                r"error: (?P<error>.*)\. Enable it again when it is fixed\.", re.DOTALL),
     lambda m: Reason(_streak(m), by_system=True)),
)


def describe_reason(reason: str | None) -> Reason:
    if not reason:
        return Reason("Desativado.", by_system=False)
    for pattern, render in REASONS:
        match = pattern.fullmatch(reason)
        if match:
            return render(match)
    return Reason(f"Desativado pelo sistema: {reason}", by_system=True)


web.add_app_template_filter(subscription_summary, "assinaturas")
web.add_app_template_global(translate, "traduzir")
