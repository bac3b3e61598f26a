"""The hub's forms. Flask-WTF adds the CSRF token; business rules stay in the services."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, SelectMultipleField, StringField
from wtforms.validators import DataRequired


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
