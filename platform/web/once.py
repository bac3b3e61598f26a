"""Forms that mint a secret act once: a refresh of the result page or a double click must not
mint a second one (the first would be lost). Each form carries a random id; the session keeps the
last few that were used."""
from __future__ import annotations

import secrets

from flask import session

SPENT_FORMS_KEPT = 10


def new_form_id() -> str:
    return secrets.token_urlsafe(16)


def already_submitted(form_id: str | None) -> bool:
    return bool(form_id) and form_id in session.get("spent_forms", [])


def mark_submitted(form_id: str | None) -> None:
    if form_id:
        session["spent_forms"] = (session.get("spent_forms", []) + [form_id])[-SPENT_FORMS_KEPT:]
