"""Webhooks: list endpoints with their health, create one (secret shown once), edit, enable or
disable, rotate the secret and delete. Sending (test, retry, replay) and the delivery log are in
webhook_deliveries.py. The services check, scope to the tenant and audit every change."""
from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, url_for

from ..errors import ValidationError
from ..events import subscriptions
from .blueprint import web
from .forms import ConfirmForm, MintConfirmForm, WebhookForm
from .messages import show_on_form
from .once import already_submitted, mark_submitted, new_form_id
from .webhook_queries import HEALTH_HOURS, owned_endpoint, tenant_endpoints
from .webhook_text import event_groups, form_message, simplified


def _settings():
    return current_app.config["MH_SETTINGS"]


def _overlap_hours() -> float:
    """How long the old secret keeps signing after a rotation (24 h by default)."""
    return _settings().webhook_secret_overlap_seconds / 3600


def _to_detail(endpoint_id: str):
    return redirect(url_for("web.webhook", endpoint_id=endpoint_id), code=303)


def _form_data(form: WebhookForm) -> dict:
    return {"url": form.url.data, "description": form.description.data or None,
            "event_types": simplified(form.event_types.data or [])}


def _form_page(form: WebhookForm, endpoint=None):
    status = 422 if form.is_submitted() else 200
    return render_template("webhooks/form.html", form=form, endpoint=endpoint,
                           groups=event_groups()), status


@web.get("/webhooks")
def webhooks():
    return render_template("webhooks/index.html", views=tenant_endpoints(), hours=HEALTH_HOURS)


@web.route("/webhooks/new", methods=["GET", "POST"])
def new_webhook():
    form = WebhookForm()
    if form.validate_on_submit():
        if already_submitted(form.form_id.data):
            flash("Este formulário já foi enviado; o webhook criado está na lista.", "info")
            return redirect(url_for("web.webhooks"), code=303)
        try:
            endpoint, secret = subscriptions.create_endpoint(g.principal, _settings(),
                                                             _form_data(form))
        except ValidationError as error:
            show_on_form(form, error, form_message)
        else:
            mark_submitted(form.form_id.data)
            # Rendered in the POST's own response, never stored: the secret is shown this once.
            return render_template("webhooks/secret.html", endpoint=endpoint, secret=secret,
                                   rotated=False)
    form.form_id.data = form.form_id.data or new_form_id()
    return _form_page(form)


@web.route("/webhooks/<endpoint_id>/edit", methods=["GET", "POST"])
def edit_webhook(endpoint_id: str):
    endpoint = owned_endpoint(endpoint_id)  # another tenant's id: 404
    form = WebhookForm(obj=endpoint)
    if form.validate_on_submit():
        try:
            subscriptions.update_endpoint(g.principal, _settings(), endpoint.id,
                                          {**_form_data(form), "enabled": form.enabled.data})
        except ValidationError as error:
            show_on_form(form, error, form_message)
        else:
            flash("Webhook atualizado.", "success")
            return _to_detail(endpoint.id)
    return _form_page(form, endpoint)


def _set_enabled(endpoint_id: str, enabled: bool):
    endpoint = owned_endpoint(endpoint_id)
    subscriptions.update_endpoint(g.principal, _settings(), endpoint.id, {"enabled": enabled})
    flash("Webhook reativado: os próximos eventos serão enviados." if enabled else
          "Webhook desativado: nada será enviado até você reativá-lo.", "success")
    return _to_detail(endpoint.id)


@web.post("/webhooks/<endpoint_id>/enable")
def enable_webhook(endpoint_id: str):
    return _set_enabled(endpoint_id, True)


@web.post("/webhooks/<endpoint_id>/disable")
def disable_webhook(endpoint_id: str):
    return _set_enabled(endpoint_id, False)


@web.route("/webhooks/<endpoint_id>/delete", methods=["GET", "POST"])
def delete_webhook(endpoint_id: str):
    endpoint = owned_endpoint(endpoint_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        subscriptions.delete_endpoint(g.principal, endpoint.id)
        flash(f"O webhook {endpoint.url} foi excluído.", "success")
        return redirect(url_for("web.webhooks"), code=303)
    return render_template("webhooks/confirm_delete.html", form=form, endpoint=endpoint)


@web.route("/webhooks/<endpoint_id>/rotate-secret", methods=["GET", "POST"])
def rotate_webhook_secret(endpoint_id: str):
    endpoint = owned_endpoint(endpoint_id)
    form = MintConfirmForm()
    if form.validate_on_submit():
        if already_submitted(form.form_id.data):
            flash("Este segredo já foi trocado; para outro, troque de novo.", "info")
            return _to_detail(endpoint.id)
        endpoint, secret = subscriptions.rotate_secret(g.principal, _settings(), endpoint.id)
        mark_submitted(form.form_id.data)
        return render_template("webhooks/secret.html", endpoint=endpoint, secret=secret,
                               rotated=True, overlap_hours=_overlap_hours())
    form.form_id.data = new_form_id()
    return render_template("webhooks/confirm_rotate.html", form=form, endpoint=endpoint,
                           overlap_hours=_overlap_hours())
