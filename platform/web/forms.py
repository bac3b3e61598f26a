"""The hub's forms. Flask-WTF adds the CSRF token; business rules stay in the services."""
from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateTimeLocalField, HiddenField, PasswordField, SelectField,
                     SelectMultipleField, StringField)
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError


class LoginForm(FlaskForm):
    email = StringField("E-mail", validators=[DataRequired(message="Informe seu e-mail.")])
    password = PasswordField("Senha", validators=[DataRequired(message="Informe sua senha.")])
    next = HiddenField()


class CredentialForm(FlaskForm):
    """Name and scopes of a new API key or OAuth client; the service checks them."""

    form_id = HiddenField()  # lets a resubmitted form be recognised (see keys._create)
    name = StringField("Nome")
    # Rendered as grouped checkboxes by the template; no choice check here, so an unknown
    # scope reaches the service, which names it.
    scopes = SelectMultipleField("Permissões", validate_choice=False)


class ConfirmForm(FlaskForm):
    """A button that changes something (revoke, log out): only the CSRF token."""


class MintConfirmForm(ConfirmForm):
    """A confirm button that mints a secret: its id makes a resubmission harmless (once.py)."""

    form_id = HiddenField()


def _stripped(value):
    return value.strip() if isinstance(value, str) else value


_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def plain_text(_form, field) -> None:
    """The API's Text rule (PostgreSQL refuses NUL): said here in Portuguese."""
    if field.data and _CONTROL_CHARACTERS.search(field.data):
        raise ValidationError("Remova os caracteres de controle do texto.")


class WebhookForm(FlaskForm):
    """A webhook endpoint; the service checks the URL (SSRF, https) and the event types."""

    form_id = HiddenField()  # create only: a resubmitted form must not mint a second secret
    url = StringField("URL", filters=[_stripped], validators=[
        DataRequired(message="Informe a URL que vai receber os eventos."),
        Length(max=2048, message="Use uma URL de até 2.048 caracteres."), plain_text])
    description = StringField("Descrição", filters=[_stripped], validators=[
        Length(max=500, message="Use até 500 caracteres."), plain_text])
    event_types = SelectMultipleField("Eventos", validate_choice=False, validators=[
        DataRequired(message="Escolha pelo menos um evento.")])
    enabled = BooleanField("Ativo", default=True)


class TestEventForm(FlaskForm):
    event_type = SelectField("Tipo de evento", validate_choice=False)


LOCAL_MINUTE = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]  # what <input type="datetime-local"> sends
BAD_MOMENT = "Informe data e hora, por exemplo 31/01/2025 14:30."


class ReplayForm(FlaskForm):
    """A time range in the hub's time zone; `confirmed` is set by the dry run's confirm button."""

    since = DateTimeLocalField("De", format=LOCAL_MINUTE, invalid_value_message=BAD_MOMENT,
                               validators=[InputRequired(message="Informe o início do período.")])
    until = DateTimeLocalField("Até", format=LOCAL_MINUTE, invalid_value_message=BAD_MOMENT,
                               validators=[InputRequired(message="Informe o fim do período.")])
    confirmed = HiddenField()
