"""Service validation messages (English, shared with the API) shown in Portuguese in the hub."""
from __future__ import annotations

from ..errors import ValidationError

EXACT = {
    "Give a name of 1 to 200 characters.": "Dê um nome de 1 a 200 caracteres.",
    "Choose at least one scope.": "Escolha pelo menos uma permissão.",
}
PREFIXES = {
    "Unknown scopes: ": "Permissões desconhecidas: ",
}
FALLBACK = "Valor inválido."


def to_portuguese(message: str) -> str:
    if message in EXACT:
        return EXACT[message]
    for english, portuguese in PREFIXES.items():
        if message.startswith(english):
            return portuguese + message[len(english):]
    return FALLBACK


def show_on_form(form, error: ValidationError, translate=to_portuguese) -> None:
    """Attach each field's messages to the WTForms field of that name (or to form_errors).
    A list item's messages (`event_types[2]`) go to the list's field."""
    for name, messages in (error.fields or {}).items():
        translated = [translate(m) for m in messages]
        field = getattr(form, name.split("[", 1)[0], None)
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors or []) + translated
        else:
            form.form_errors.extend(translated)
    if not error.fields:
        form.form_errors.append("Não foi possível salvar. Confira os dados e tente novamente.")
