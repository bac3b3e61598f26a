"""A webhook's page: its health and delivery log (each attempt as sent and answered), and the
sending actions: a test event, retrying one delivery, replaying a time range (dry run first)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from flask import current_app, flash, g, redirect, render_template, request, url_for

from ..db import utcnow
from ..errors import ConflictError, ValidationError
from ..events import operations
from ..events.catalogue import BY_NAME, EVENT_TYPES, expand
from .blueprint import DISPLAY_ZONE, web
from .formatting import count_of
from .forms import ReplayForm, TestEventForm
from .messages import show_on_form
from .webhook_queries import delivery_page, endpoint_views, owned_delivery, owned_endpoint
from .webhook_text import event_groups, form_message

CONFLICTS = {
    "endpoint_disabled": "O webhook está desativado. Reative-o para enviar.",
    "delivery_in_flight": "Esta entrega está sendo enviada agora; aguarde alguns segundos e "
                          "tente de novo.",
}
DEFAULT_REPLAY_HOURS = 24


def _conflict(error: ConflictError) -> str:
    return CONFLICTS.get(error.code, "Não foi possível fazer isso agora; tente de novo.")


def _to_log(endpoint_id: str, anchor: str = "entregas"):
    return redirect(url_for("web.webhook", endpoint_id=endpoint_id, _anchor=anchor), code=303)


def _local_minute(moment: datetime) -> datetime:
    """An aware instant as the naive local time a datetime-local input shows."""
    return moment.astimezone(DISPLAY_ZONE).replace(tzinfo=None, second=0, microsecond=0)


def _instant(local: datetime) -> datetime:
    return local.replace(tzinfo=DISPLAY_ZONE).astimezone(timezone.utc)


def _replay_form() -> ReplayForm:
    now = utcnow()
    return ReplayForm(since=_local_minute(now - timedelta(hours=DEFAULT_REPLAY_HOURS)),
                      until=_local_minute(now + timedelta(minutes=1)))


def _test_choices() -> dict:
    """Event types grouped by resource (rendered as <optgroup>s)."""
    return {group.label: [(name, name) for name, _ in group.events] for group in event_groups()}


@web.get("/webhooks/<endpoint_id>")
def webhook(endpoint_id: str):
    endpoint = owned_endpoint(endpoint_id)  # another tenant's id: 404
    [view] = endpoint_views([endpoint])
    page = delivery_page(endpoint, request.args.get("status"), request.args.get("cursor"))
    subscribed = expand(endpoint.event_types) or [EVENT_TYPES[0].name]
    test_form = TestEventForm(event_type=subscribed[0])
    test_form.event_type.choices = _test_choices()
    return render_template("webhooks/detail.html", view=view, page=page, test_form=test_form,
                           replay_form=_replay_form())


@web.post("/webhooks/<endpoint_id>/test")
def send_webhook_test(endpoint_id: str):
    endpoint = owned_endpoint(endpoint_id)
    event_type = TestEventForm().event_type.data
    if event_type not in BY_NAME:
        flash("Escolha um tipo de evento da lista.", "error")
        return _to_log(endpoint.id, "teste")
    try:
        operations.send_test(g.principal, endpoint.id, event_type)
    except ConflictError as error:
        flash(_conflict(error), "error")
    else:
        flash(f"Evento de teste {event_type} na fila de envio. Atualize a página em instantes "
              "para ver a resposta do seu servidor.", "success")
    return _to_log(endpoint.id)


@web.post("/webhooks/<endpoint_id>/deliveries/<delivery_id>/retry")
def retry_webhook_delivery(endpoint_id: str, delivery_id: str):
    endpoint = owned_endpoint(endpoint_id)
    delivery = owned_delivery(endpoint, delivery_id)
    try:
        operations.retry_delivery(g.principal, delivery.id)
    except ConflictError as error:
        flash(_conflict(error), "error")
    else:
        flash(f"Entrega de {delivery.event_type} na fila de novo, com o mesmo webhook-id "
              f"({delivery.event_id}).", "success")
    return _to_log(endpoint.id, f"entrega-{delivery.id}")


def _replay(endpoint, form: ReplayForm) -> int | None:
    """The dry-run count, or the count sent (when confirmed); None if the form has errors."""
    since, until = _instant(form.since.data), _instant(form.until.data)
    try:
        return operations.replay(g.principal, current_app.config["MH_SETTINGS"], endpoint.id,
                                 since, until, dry_run=form.confirmed.data != "1")
    except ValidationError as error:
        show_on_form(form, error, form_message)
    except ConflictError as error:
        form.form_errors.append(_conflict(error))
    return None


@web.route("/webhooks/<endpoint_id>/replay", methods=["GET", "POST"])
def replay_webhook(endpoint_id: str):
    endpoint = owned_endpoint(endpoint_id)
    form = ReplayForm() if request.method == "POST" else _replay_form()
    count = _replay(endpoint, form) if form.validate_on_submit() else None
    if count is not None and form.confirmed.data == "1":
        flash(f"{count_of(count, 'evento', 'eventos')} na fila para reenvio a {endpoint.url}.",
              "success")
        return _to_log(endpoint.id)
    status = 422 if form.errors or form.form_errors else 200
    return render_template("webhooks/replay.html", endpoint=endpoint, form=form,
                           count=count), status
