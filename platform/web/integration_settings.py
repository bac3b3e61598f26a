"""Connecting an ERP and its Configurar page: a form generated from the connector's auth JSON
Schema (and the seller's connector options), with the integration's sync settings and automatic
reactions, plus "Testar conexão".

Secrets are shown as the mask and a returned mask keeps the stored secret (the service merges).
A secret the seller typed is never written back into a page: after a refused form or a test the
field shows the stored one (masked) again, and a new one has to be typed again.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import flash, g, redirect, render_template, request, url_for
from werkzeug.exceptions import NotFound

from markethub.connectors import registry
from markethub.connectors.sdk.credentials import MASK

from ..errors import ValidationError
from ..integrations.connections import platform_credentials, seller_config_schema
from ..models import Integration
from ..services import integrations as service
from ..services.integrations import REACTIONS
from .blueprint import web
from .integration_forms import (SchemaField, credential_fields, option_fields, reaction_flags,
                                read_fields, read_settings)
from .integration_text import TestOutcome, test_outcome
from .integrations import authorize, connected_text, flash_error, settings, to_cards
from .once import already_submitted, mark_submitted, new_form_id

DEFAULT_INTERVAL = 15
SETTING_FIELDS = ("name", "sync_mode", "sync_interval_minutes")


@dataclass
class ConfigPage:
    """Everything the form template needs: the fields, what to show in them and why not."""
    provider: str
    label: str
    oauth: bool
    credentials: list[SchemaField]
    options: list[SchemaField]
    flags: list  # (flag, label, help) of the reactions this ERP supports
    integration: Integration | None = None
    values: dict = field(default_factory=dict)  # field path -> value shown
    errors: dict = field(default_factory=dict)  # field path -> messages
    form_errors: list = field(default_factory=list)
    retype: set = field(default_factory=set)  # secrets typed but not shown again
    test: TestOutcome | None = None
    form_id: str | None = None

    @property
    def fields(self) -> list[SchemaField]:
        return [*self.credentials, *self.options]

    @property
    def advanced_errors(self) -> bool:
        """An advanced option was refused: its section opens."""
        return any(spec.name in self.errors for spec in self.options)


def _page(provider: str, integration: Integration | None = None) -> ConfigPage:
    connector = registry.get(provider)
    supplied = set(platform_credentials(settings(), provider))
    return ConfigPage(provider, connector.label, connector.auth.oauth2 is not None,
                      credential_fields(connector, supplied),
                      option_fields(seller_config_schema(provider)),
                      reaction_flags(connector, REACTIONS), integration)


def _stored_values(page: ConfigPage) -> None:
    integration = page.integration
    shown = service.represent(settings(), integration)  # secrets masked
    page.values = {f"credentials.{name}": value for name, value in shown["credentials"].items()}
    page.values.update({f"config.{name}": value for name, value in shown["config"].items()})
    page.values.update({name: getattr(integration, name) for name in SETTING_FIELDS})
    page.values.update(shown["reactions"])


def _submitted_values(page: ConfigPage) -> None:
    """The form as sent, except a secret typed anew: never echoed into the page, the field
    goes back to the stored value (masked), if there is one."""
    form = request.form
    stored = (service.represent(settings(), page.integration)["credentials"]
              if page.integration else {})
    for spec in page.fields:
        if spec.kind == "checkbox":
            page.values[spec.name] = spec.name in form
        elif spec.kind == "password" and form.get(spec.name, "") not in ("", MASK):
            page.retype.add(spec.name)
            page.values[spec.name] = stored.get(spec.key, "")
        else:
            page.values[spec.name] = form.get(spec.name, "")
    page.values.update({name: form.get(name, "") for name in SETTING_FIELDS})
    page.values.update({flag: flag in form for flag, _, _ in page.flags})


def _read(page: ConfigPage) -> dict:
    """The service's input from the form; field errors go to page.errors."""
    data = read_settings(request.form, page.flags, page.errors)
    data["credentials"] = read_fields(page.credentials, request.form, page.errors)
    options = read_fields(page.options, request.form, page.errors)
    offered = {spec.key for spec in page.options}
    kept = {name: value for name, value in ((page.integration and page.integration.config)
                                            or {}).items() if name not in offered}
    data["config"] = {**kept, **options}  # options only the API sets survive a hub save
    return data


def _refused(page: ConfigPage, error: ValidationError) -> None:
    shown = {spec.name for spec in page.fields} | set(SETTING_FIELDS)
    for name in error.fields or {}:
        if name in shown:
            page.errors.setdefault(name, []).append("Valor inválido.")
        else:
            page.form_errors.append(f"Valor inválido em {name}.")
    if not error.fields:
        page.form_errors.append("Não foi possível salvar. Confira os dados e tente novamente.")


def _render(page: ConfigPage):
    if request.method == "POST":
        _submitted_values(page)
    failed = page.errors or page.form_errors
    return render_template("integrations/form.html", page=page), 422 if failed else 200


@web.route("/integrations/connect/<provider>", methods=["GET", "POST"])
def new_integration(provider: str):
    if provider not in registry.keys():
        raise NotFound()
    page = _page(provider)
    page.form_id = request.form.get("form_id") or new_form_id()
    if request.method == "GET":
        page.values = {"name": page.label, "sync_mode": "automatic",
                       "sync_interval_minutes": DEFAULT_INTERVAL}
        return _render(page)
    if already_submitted(page.form_id):  # a double click must not make a second integration
        flash("Este formulário já foi enviado; a integração criada está na lista.", "info")
        return to_cards()
    data = _read(page)
    if page.errors:
        return _render(page)
    try:
        integration = service.create_integration(g.principal, settings(),
                                                 {"provider": provider, **data})
    except ValidationError as error:
        _refused(page, error)
        return _render(page)
    mark_submitted(page.form_id)
    return _after_connect(integration)


def _after_connect(integration: Integration):
    if registry.get(integration.provider).auth.oauth2 is not None:
        return authorize(integration)
    if integration.status == "connected":
        flash(connected_text(integration), "success")
        return to_cards()
    flash_error(integration.last_error, registry.get(integration.provider).label)
    return redirect(url_for("web.configure_integration", integration_id=integration.id),
                    code=303)


@web.route("/integrations/<integration_id>/configure", methods=["GET", "POST"])
def configure_integration(integration_id: str):
    integration = service.get_integration(g.principal, integration_id)  # another tenant's: 404
    page = _page(integration.provider, integration)
    if request.method == "GET":
        _stored_values(page)
        return _render(page)
    data = _read(page)
    if page.errors:
        return _render(page)
    before = integration.status
    try:
        updated = service.update_integration(g.principal, settings(), integration.id, data)
    except ValidationError as error:
        _refused(page, error)
        return _render(page)
    return _after_save(before, updated)


def _after_save(before: str, integration: Integration):
    flash("Configurações salvas.", "success")
    if integration.status == "error":
        flash_error(integration.last_error, registry.get(integration.provider).label)
        return redirect(url_for("web.configure_integration", integration_id=integration.id),
                        code=303)
    if integration.status == "connected" and before != "connected":
        flash(connected_text(integration), "success")
    elif before == "connected" and integration.status == "disconnected":
        flash("O aplicativo mudou: clique em Conectar para autorizar de novo.", "info")
    return to_cards()


def _trial_credentials(page: ConfigPage) -> dict | None:
    """The credentials typed in the form, or None when they are the stored ones (then the
    test also takes the integration out of `error` when they pass)."""
    typed = read_fields(page.credentials, request.form, page.errors)
    if page.oauth:
        return None  # the tokens come from the authorization, not from the form
    shown = service.represent(settings(), page.integration)["credentials"]
    unchanged = all(shown.get(name) == value for name, value in typed.items())
    return None if unchanged else typed


@web.post("/integrations/<integration_id>/test")
def test_integration(integration_id: str):
    integration = service.get_integration(g.principal, integration_id)
    page = _page(integration.provider, integration)
    trial = _trial_credentials(page)
    if page.errors:
        return _render(page)
    try:
        result = service.test_integration(g.principal, settings(), integration.id, trial)
    except ValidationError as error:
        _refused(page, error)
        return _render(page)
    page.integration = service.get_integration(g.principal, integration.id)
    page.test = test_outcome(result, page.label)
    return _render(page)
