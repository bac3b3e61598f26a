"""The dashboard, and the pages later issues will fill (shown honestly as under construction)."""
from __future__ import annotations

from flask import current_app, g, render_template
from sqlalchemy import func

from ..api.common import tenant_select
from ..extensions import db
from ..models import ApiKey, Customer, OAuthClient, Order, Product
from .blueprint import web


def _count(model, *conditions) -> int:
    statement = tenant_select(model).where(*conditions)
    return db.session.scalar(statement.with_only_columns(func.count(),
                                                         maintain_column_froms=True))


def _plan_limit_text(plan: str) -> str:
    per_minute = current_app.config["MH_SETTINGS"].plan_limit(plan)
    return f"{per_minute} requisições por minuto" if per_minute else "sem limite de requisições"


@web.get("/")
def dashboard():
    numbers = [
        ("Produtos", _count(Product, Product.deleted_at.is_(None))),
        ("Pedidos", _count(Order)),
        ("Clientes", _count(Customer)),
        ("Chaves de API ativas", _count(ApiKey, ApiKey.revoked_at.is_(None))),
        ("Clientes OAuth ativos", _count(OAuthClient, OAuthClient.revoked_at.is_(None))),
    ]
    return render_template("dashboard.html", numbers=numbers,
                           plan_limit=_plan_limit_text(g.hub_tenant.plan))


# endpoint -> (path, title, what the page will do). To build one, drop its entry and add the
# real view under the same endpoint name, so links (url_for("web.<endpoint>")) keep working.
UNDER_CONSTRUCTION = {
    "recipes": ("/recipes", "Receitas",
                "Automatize tarefas com receitas do tipo gatilho → ação, sem escrever código."),
    "monitoring": ("/monitoring", "Monitoramento",
                   "Veja entregas, execuções e erros das suas integrações em tempo real."),
}


def _under_construction_view(title: str, purpose: str):
    def view():
        return render_template("under_construction.html", title=title, purpose=purpose)
    return view


for _endpoint, (_path, _title, _purpose) in UNDER_CONSTRUCTION.items():
    web.add_url_rule(_path, endpoint=_endpoint, methods=["GET"],
                     view_func=_under_construction_view(_title, _purpose))
