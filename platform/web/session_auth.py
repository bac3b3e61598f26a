"""Hub sign-in: the session cookie (a server-side session's id, services/hub_sessions.py), the
login throttle, the `next` check and the hub Principal."""
from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from flask import current_app, flash, g, redirect, render_template, request, session, url_for

from ..auth.principal import Principal
from ..auth.scopes import ALL_SCOPES
from ..extensions import db, limiter
from ..models import HubUser, Tenant
from ..services import hub_sessions
from .blueprint import web
from .forms import LoginForm

PUBLIC_ENDPOINTS = {"web.login"}
BAD_CREDENTIALS = "E-mail ou senha incorretos."
# Only failed attempts count (see _failed), so a user who types the password right is never slowed.
LOGIN_LIMIT_PER_EMAIL = "10/minute"
LOGIN_LIMIT_PER_IP = "30/minute"


def hub_principal(user: HubUser, tenant: Tenant) -> Principal:
    """A hub user acts on their own tenant with every scope; their events say origin "hub"."""
    return Principal(tenant.id, tenant.plan, "hub_user", user.id, frozenset(ALL_SCOPES),
                     origin="hub")


def safe_next(target: str | None) -> str | None:
    """A redirect target inside the hub, or None: never another site (open redirect)."""
    if not target or len(target) > 2000 or "\\" in target:
        return None
    if any(ord(char) < 32 or ord(char) == 127 for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/"):
        return None
    if not (parts.path == "/hub" or parts.path.startswith("/hub/")):
        return None
    if ".." in parts.path.split("/"):
        return None
    return target


def _password_marker(user: HubUser) -> str:
    """Changes when the password does, so a new password ends the sessions made with the old."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def _signed_in_user() -> HubUser | None:
    session_id = session.get("hub_session_id")
    if not session_id:
        return None
    user = hub_sessions.signed_in_user(session_id)
    if user is None or session.get("hub_password_marker") != _password_marker(user):
        session.clear()
        return None
    return user


@web.before_request
def _require_login():
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    user = _signed_in_user()
    if user is None:
        wanted = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("web.login", next=safe_next(wanted)))
    tenant = db.session.get(Tenant, user.tenant_id)
    g.hub_user, g.hub_tenant = user, tenant
    # The API's scoping helpers (tenant_select, get_owned) and the access log read g.principal.
    g.principal = hub_principal(user, tenant)
    return None


def _login_email_key() -> str:
    return "hub-login:email:" + (request.form.get("email") or "").strip().lower()


def _login_ip_key() -> str:
    return f"hub-login:ip:{request.remote_addr}"


def _failed(response) -> bool:
    return response.status_code != 303  # a good sign-in redirects with 303


@web.route("/login", methods=["GET", "POST"])
@limiter.limit(LOGIN_LIMIT_PER_EMAIL, key_func=_login_email_key, methods=["POST"],
               deduct_when=_failed)
@limiter.limit(LOGIN_LIMIT_PER_IP, key_func=_login_ip_key, methods=["POST"],
               deduct_when=_failed)
def login():
    form = LoginForm(next=request.args.get("next"))
    if _signed_in_user() is not None and request.method == "GET":
        return redirect(safe_next(form.next.data) or url_for("web.dashboard"))
    if not form.validate_on_submit():
        return render_template("login.html", form=form)
    signed_in = hub_sessions.sign_in(form.email.data, form.password.data,
                                     current_app.config["MH_SETTINGS"].hub_session_hours)
    if signed_in is None:
        return render_template("login.html", form=form, error=BAD_CREDENTIALS)
    user, session_id = signed_in
    session.clear()  # nothing from before the sign-in survives it
    session["hub_session_id"] = session_id
    session["hub_password_marker"] = _password_marker(user)
    return redirect(safe_next(form.next.data) or url_for("web.dashboard"), code=303)


@web.post("/logout")
def logout():
    # CSRFProtect has already refused a forged request before this runs.
    hub_sessions.sign_out(session["hub_session_id"])  # _require_login saw it signed in
    session.clear()
    flash("Você saiu do hub.", "info")
    return redirect(url_for("web.login"), code=303)
