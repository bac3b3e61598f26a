"""Configuration forms generated from a connector's JSON Schemas: the auth schema (credentials;
secrets as password inputs showing the mask) and the seller's part of its config schema, plus
the integration's own settings (sync mode, interval, automatic reactions).

Input names are the service's field paths (`credentials.app_key`, `config.page_size`), so a
refusal from the service lands on the field that caused it. Checks here only give Portuguese
messages for the schema's rules; the service checks everything again.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from markethub.connectors.sdk import Connector
from markethub.connectors.sdk.credentials import MASK

from .integration_text import REACTIONS

INPUT_KINDS = {"string": "text", "integer": "integer", "number": "number", "boolean": "checkbox"}
# Portuguese label and hint per auth or option field (the schemas speak English)
LABELS = {
    "client_id": ("Client ID", "Do aplicativo cadastrado na Central de Extensões do Bling."),
    "client_secret": ("Client Secret", "Do mesmo aplicativo. Guardado com criptografia."),
    "app_key": ("App Key", "No Omie: Configurações → Aplicativos → chaves de acesso. Só "
                           "números."),
    "app_secret": ("App Secret", "Do mesmo lugar. Guardado com criptografia."),
    "token": ("Token da API", "No Tiny: Configurações → Extensões → Token API. Guardado com "
                              "criptografia."),
    "page_size": ("Registros por página", "Quantos registros pedir ao ERP por requisição."),
    "deposit_id": ("Depósito do estoque", "O depósito que recebe as atualizações de estoque "
                                          "(0 = o padrão da conta)."),
    "sync_overlap_seconds": ("Margem de releitura (segundos)", "Relemos este intervalo antes da "
                             "última sincronização, para não perder alterações simultâneas."),
    "calls_per_minute": ("Chamadas por minuto do seu plano", "30 (Crescer), 60 (Evoluir) ou "
                                                             "120 (Potencializar)."),
}
PATTERN_MESSAGES = {r"^\d+$": "Use só números."}
SUPPLIED_HINT = "Deixe em branco para usar o aplicativo do MarketHub."
MIN_INTERVAL, MAX_INTERVAL = 5, 1440


@dataclass(frozen=True)
class SchemaField:
    name: str  # the field path the service names: credentials.app_key
    kind: str  # text | password | integer | number | checkbox | select
    label: str
    hint: str | None
    required: bool = False
    choices: tuple = ()
    rules: dict = field(default_factory=dict)  # the JSON Schema keywords we check here

    @property
    def key(self) -> str:
        return self.name.split(".", 1)[1]

    @property
    def input_id(self) -> str:
        return self.name.replace(".", "-")


def _field(prefix: str, name: str, prop: dict, required: bool, secret: bool) -> SchemaField:
    label, hint = LABELS.get(name, (prop.get("title", name), prop.get("description")))
    kind = "select" if "enum" in prop else INPUT_KINDS.get(prop.get("type"), "text")
    kind = "password" if secret else kind
    rules = {k: prop[k] for k in ("minLength", "maxLength", "pattern", "minimum", "maximum",
                                  "default") if k in prop}
    return SchemaField(f"{prefix}.{name}", kind, label, hint, required,
                       tuple(prop.get("enum", ())), rules)


def credential_fields(connector: Connector, supplied: set[str]) -> list[SchemaField]:
    """The auth schema's fields a seller fills in. OAuth token fields are the authorization's
    and not shown; fields the platform `supplied` (its own OAuth app) become optional."""
    schema = connector.auth.schema
    required = set(schema.get("required", ()))
    secret = set(schema.get("secret", ()))
    fields = [_field("credentials", name, prop, name in required and name not in supplied,
                     name in secret)
              for name, prop in schema["properties"].items()
              if connector.auth.oauth2 is None or name in required]
    return [replace(spec, hint=SUPPLIED_HINT) if spec.key in supplied else spec
            for spec in fields]


def option_fields(config_schema: dict) -> list[SchemaField]:
    """The seller's connector options that fit one input (objects and lists are API-only)."""
    return [_field("config", name, prop, False, False)
            for name, prop in config_schema["properties"].items()
            if prop.get("type") in INPUT_KINDS or "enum" in prop]


def reaction_flags(connector: Connector, reactions: dict[str, str]) -> list[tuple[str, str, str]]:
    """(flag, label, help) of the reactions this ERP can do (it has the action)."""
    actions = {action.key for action in connector.actions}
    return [(flag, REACTIONS[flag][0], REACTIONS[flag][1].format(erp=connector.label))
            for flag, action in reactions.items() if action in actions]


def _number(text: str, kind: str):
    value = float(text.replace(",", "."))
    if kind == "integer":
        if not value.is_integer():
            raise ValueError(text)
        return int(value)
    return int(value) if value.is_integer() else value


def _range_error(value, rules: dict) -> str | None:
    low, high = rules.get("minimum"), rules.get("maximum")
    if (low is not None and value < low) or (high is not None and value > high):
        if low is not None and high is not None:
            return f"Use um valor de {low} a {high}."
        return f"Use no mínimo {low}." if low is not None else f"Use no máximo {high}."
    return None


def _text_error(value: str, spec: SchemaField) -> str | None:
    rules = spec.rules
    if spec.kind == "password" and value == MASK:
        return None  # the stored secret, kept
    if len(value) < rules.get("minLength", 0):
        return f"Use pelo menos {rules['minLength']} caracteres."
    if "maxLength" in rules and len(value) > rules["maxLength"]:
        return f"Use até {rules['maxLength']} caracteres."
    if "pattern" in rules and not re.search(rules["pattern"], value):
        return PATTERN_MESSAGES.get(rules["pattern"], "Formato inválido.")
    return None


def read_value(spec: SchemaField, form) -> tuple[object, str | None]:
    """(value, error) of one field; value None means "not given" (leave it out)."""
    if spec.kind == "checkbox":
        return spec.name in form, None
    text = (form.get(spec.name) or "").strip()
    if not text:
        return None, "Preencha este campo." if spec.required else None
    if spec.kind == "select":
        return (text, None) if text in spec.choices else (None, "Escolha uma opção da lista.")
    if spec.kind in ("integer", "number"):
        try:
            value = _number(text, spec.kind)
        except ValueError:
            return None, ("Informe um número inteiro." if spec.kind == "integer"
                          else "Informe um número.")
        return value, _range_error(value, spec.rules)
    return text, _text_error(text, spec)


def read_fields(specs: list[SchemaField], form, errors: dict) -> dict:
    """The given values by key; each field's error goes into `errors` by field path."""
    values = {}
    for spec in specs:
        value, error = read_value(spec, form)
        if error:
            errors[spec.name] = [error]
        elif value is not None:
            values[spec.key] = value
    return values


def read_settings(form, flags: list, errors: dict) -> dict:
    """Name, sync mode and interval, and the reactions offered (unticked = off)."""
    name = (form.get("name") or "").strip()
    if not 1 <= len(name) <= 120:
        errors["name"] = ["Dê um nome de 1 a 120 caracteres."]
    mode = form.get("sync_mode")
    if mode not in ("automatic", "manual"):
        errors["sync_mode"] = ["Escolha automática ou manual."]
    try:
        interval = int(form.get("sync_interval_minutes") or "")
    except ValueError:
        interval = None
    if interval is None or not MIN_INTERVAL <= interval <= MAX_INTERVAL:
        errors["sync_interval_minutes"] = [f"Use de {MIN_INTERVAL} a {MAX_INTERVAL} minutos."]
    return {"name": name, "sync_mode": mode, "sync_interval_minutes": interval,
            "reactions": {flag: flag in form for flag, _, _ in flags}}
