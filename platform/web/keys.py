"""Chaves de API: list, create (secret shown once) and revoke API keys and OAuth clients."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, url_for

from ..api.common import get_owned
from ..errors import ValidationError
from ..models import ApiKey, OAuthClient
from ..services import credentials
from .blueprint import web
from .forms import ConfirmForm, CredentialForm
from .messages import show_on_form
from .once import already_submitted, mark_submitted, new_form_id
from .scope_labels import scope_groups

# What differs between the two kinds of credential; the views below are shared.
KINDS = {
    "api_key": {"model": ApiKey, "create": credentials.create_api_key,
                "revoke": credentials.revoke_api_key, "noun": "chave de API",
                "new_title": "Nova chave de API", "created_template": "keys/created_key.html",
                "revoked_message": "A chave de API “{name}” foi revogada."},
    "oauth_client": {"model": OAuthClient, "create": credentials.create_oauth_client,
                     "revoke": credentials.revoke_oauth_client, "noun": "cliente OAuth",
                     "new_title": "Novo cliente OAuth",
                     "created_template": "keys/created_client.html",
                     "revoked_message": "O cliente OAuth “{name}” foi revogado."},
}


@web.get("/keys")
def api_keys():
    tenant_id = g.principal.tenant_id
    return render_template("keys/index.html", keys=credentials.list_api_keys(tenant_id),
                           clients=credentials.list_oauth_clients(tenant_id))


def _create(kind: str):
    spec = KINDS[kind]
    form = CredentialForm()
    if form.validate_on_submit():
        if already_submitted(form.form_id.data):
            # A refresh of the result page or a double click: never mint a second secret.
            flash("Este formulário já foi enviado; a credencial criada está na lista.", "info")
            return redirect(url_for("web.api_keys"), code=303)
        try:
            credential, secret = spec["create"](g.principal, form.name.data or "",
                                                form.scopes.data or [])
        except ValidationError as error:
            show_on_form(form, error)
        else:
            mark_submitted(form.form_id.data)
            # Rendered in the POST's own response, never stored: the secret is shown this once.
            return render_template(spec["created_template"], credential=credential, secret=secret)
    form.form_id.data = form.form_id.data or new_form_id()
    status = 422 if form.is_submitted() else 200
    return render_template("keys/new.html", form=form, kind=kind, title=spec["new_title"],
                           groups=scope_groups()), status


def _revoke(kind: str, credential_id: str):
    spec = KINDS[kind]
    credential = get_owned(spec["model"], credential_id, kind)  # another tenant's id: 404
    form = ConfirmForm()
    if form.validate_on_submit():
        spec["revoke"](g.principal, credential.id)
        flash(spec["revoked_message"].format(name=credential.name), "success")
        return redirect(url_for("web.api_keys"), code=303)
    return render_template("keys/confirm_revoke.html", form=form, kind=kind,
                           noun=spec["noun"], credential=credential)


@web.route("/keys/new", methods=["GET", "POST"])
def new_api_key():
    return _create("api_key")


@web.route("/clients/new", methods=["GET", "POST"])
def new_oauth_client():
    return _create("oauth_client")


@web.route("/keys/<key_id>/revoke", methods=["GET", "POST"])
def revoke_api_key(key_id: str):
    return _revoke("api_key", key_id)


@web.route("/clients/<client_id>/revoke", methods=["GET", "POST"])
def revoke_oauth_client(client_id: str):
    return _revoke("oauth_client", client_id)
