"""Hub errors as Portuguese pages inside the layout (the API keeps its JSON error body)."""
from __future__ import annotations

import logging

from flask import g, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..errors import AppError
from .blueprint import web
from .forms import LoginForm

log = logging.getLogger("markethub.web")

MESSAGES = {
    400: ("Pedido inválido", "O pedido não pôde ser processado."),
    403: ("Acesso negado", "Você não tem permissão para ver esta página."),
    404: ("Página não encontrada", "O item que você procura não existe ou não pertence à sua "
                                   "conta."),
    405: ("Ação não permitida", "Esta página não aceita esta ação."),
    413: ("Envio grande demais", "O conteúdo enviado passa do limite permitido."),
    429: ("Muitas tentativas", "Aguarde um minuto e tente novamente."),
    500: ("Erro interno", "Algo deu errado do nosso lado. O erro foi registrado; tente de novo "
                          "em instantes."),
}


def _page(status: int, title: str | None = None, message: str | None = None):
    fallback = MESSAGES[500] if status >= 500 else MESSAGES[400]
    default_title, default_message = MESSAGES.get(status, fallback)
    return render_template("error.html", status=status, title=title or default_title,
                           message=message or default_message,
                           request_id=g.get("request_id")), status


@web.errorhandler(CSRFError)
def _csrf_error(_error):
    return _page(400, "Formulário expirado",
                 "Não conseguimos confirmar que este envio partiu do hub. Recarregue a página e "
                 "tente novamente.")


@web.errorhandler(HTTPException)
def _http_error(error: HTTPException):
    status = error.code or 500
    if status == 429 and g.get("hub_user") is None:
        form = LoginForm()
        return render_template("login.html", form=form, error="Muitas tentativas de acesso. "
                               "Aguarde um minuto e tente novamente."), 429
    return _page(status)


@web.errorhandler(AppError)
def _app_error(error: AppError):
    return _page(error.status)


@web.errorhandler(Exception)
def _unexpected(_error: Exception):
    log.exception("unhandled exception in the hub")
    return _page(500)
