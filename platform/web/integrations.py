"""Integrações: a card per ERP of the connector catalogue (status, sync mode, last sync), and the
card's actions: Conectar (Omie, Tiny: test the stored credentials; Bling: its OAuth
authorization page, back through /integrations/oauth/callback), Sincronizar Agora (queues a run
and opens the sync log) and Desconectar (after a confirm step).

The configuration form is in integration_settings.py; the sync log in integration_log.py. The
services check, scope to the tenant and audit every change.
"""
from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, request, url_for

from ..errors import ConflictError, NotFoundError
from ..models import Integration
from ..services import integration_runs
from ..services import integrations as service
from .blueprint import web
from .forms import ConfirmForm
from .integration_queries import connector, erp_cards, integration_view
from .integration_text import describe_error, oauth_message

MAX_REASON = 60  # the callback's `reason` is an error code


def settings():
    return current_app.config["MH_SETTINGS"]


def erp_name(integration: Integration) -> str:
    return connector(integration.provider).label


def to_cards():
    return redirect(url_for("web.integrations"), code=303)


def to_log(integration_id: str, anchor: str | None = None):
    return redirect(url_for("web.integration_log", integration_id=integration_id,
                            _anchor=anchor), code=303)


def connected_text(integration: Integration) -> str:
    account = f" (conta “{integration.account_label}”)" if integration.account_label else ""
    return (f"{erp_name(integration)} conectado{account}. Clique em Sincronizar Agora para "
            "trazer produtos e pedidos.")


def flash_error(error: dict | None, erp: str) -> None:
    text = describe_error(error, erp)
    if text is None:
        flash(f"Não foi possível conectar ao {erp}. Tente de novo.", "error")
        return
    said = f" Resposta do {erp}: “{text.erp_message}”" if text.erp_message else ""
    flash(text.headline + said, "error")


def authorize(integration: Integration):
    """Send the seller to the ERP's authorization page; the callback brings them back here.

    A page that moves on by itself, not a redirect: the hub's CSP (`form-action 'self'`) stops
    a form submission from being redirected to another site, and should."""
    url = integration_runs.start_authorization(g.principal, settings(), integration.id,
                                               return_to=url_for("web.integrations"))
    return render_template("integrations/authorize.html", url=url,
                           erp=erp_name(integration), integration=integration,
                           ttl_minutes=settings().erp_oauth_state_ttl_seconds // 60)


@web.get("/integrations")
def integrations():
    if "oauth" in request.args:
        return _after_authorization()
    return render_template("integrations/index.html", cards=erp_cards())


def _after_authorization():
    """How the ERP's authorization went, said once (a flash), then the page's clean address.
    Only what the tenant's own integration confirms is called a success."""
    integration = None
    try:
        integration = service.get_integration(g.principal, request.args.get("integration", ""))
    except NotFoundError:
        pass
    erp = erp_name(integration) if integration else "ERP"
    if (request.args.get("oauth") == "connected" and integration is not None
            and integration.status == "connected"):
        flash(connected_text(integration), "success")
    else:
        flash(oauth_message((request.args.get("reason") or "")[:MAX_REASON] or None, erp),
              "error")
    return to_cards()


@web.post("/integrations/<integration_id>/connect")
def connect_integration(integration_id: str):
    integration = service.get_integration(g.principal, integration_id)  # another tenant's: 404
    if connector(integration.provider).auth.oauth2 is not None:
        return authorize(integration)
    result = service.connect_integration(g.principal, settings(), integration.id)
    if result.ok:
        flash(connected_text(service.get_integration(g.principal, integration.id)), "success")
    else:
        flash_error(result.error, erp_name(integration))
    return to_cards()


@web.post("/integrations/<integration_id>/sync")
def sync_integration(integration_id: str):
    view = integration_view(integration_id)
    integration = view.integration
    if view.syncing:
        flash("Já há uma sincronização em andamento; acompanhe abaixo.", "info")
        return to_log(integration.id, f"execucao-{view.last_run.id}")
    try:
        run = integration_runs.request_sync(g.principal, settings(), integration.id)
    except ConflictError:
        flash(f"Conecte o {erp_name(integration)} antes de sincronizar.", "error")
        return to_cards()
    flash("Sincronização na fila. Esta página se atualiza sozinha enquanto ela roda.", "success")
    return to_log(integration.id, f"execucao-{run.id}")


@web.route("/integrations/<integration_id>/disconnect", methods=["GET", "POST"])
def disconnect_integration(integration_id: str):
    integration = service.get_integration(g.principal, integration_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        service.disconnect_integration(g.principal, settings(), integration.id)
        flash(f"{erp_name(integration)} desconectado: as sincronizações e os envios pararam.",
              "success")
        return to_cards()
    return render_template("integrations/confirm_disconnect.html", form=form,
                           integration=integration, erp=erp_name(integration),
                           oauth=connector(integration.provider).auth.oauth2 is not None)
