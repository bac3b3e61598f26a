"""The Tiny (Olist ERP) sandbox's memory: one account (token) with products, deposits named
by text, stock, customers and orders. Decimals travel as strings ("70.90"), dates as
dd/mm/yyyy and dd/mm/yyyy hh:mm:ss."""
from __future__ import annotations

import threading
import time
from datetime import datetime
from decimal import Decimal

from ...sandbox_kit.calllog import CallLog
from ...sandbox_kit.fake import FakeCustomer, FakeOrder, FakeProduct, build_catalogue
from ...sdk.values import BRASILIA

PRODUCT_BASE, ORDER_BASE, CONTACT_BASE = 46_829_000, 764_179_000, 512_000_000
DEPOSITS = ["Geral", "Loja Física"]
# (code used by pedido.alterar.situacao, label shown by the searches)
STATUSES = [("aberto", "Em aberto"), ("aprovado", "Aprovado"),
            ("preparando_envio", "Preparando envio"), ("faturado", "Faturado"),
            ("pronto_envio", "Pronto para envio"), ("enviado", "Enviado"),
            ("entregue", "Entregue"), ("nao_entregue", "Não Entregue"),
            ("cancelado", "Cancelado")]
ACCOUNT = {"razao_social": "Loja Sandbox Comércio Ltda", "fantasia": "Loja Sandbox",
           "cnpj_cpf": "11.222.333/0001-81", "uf": "SP", "cidade": "São Paulo"}


def dec(value: Decimal, places: int = 2) -> str:
    return f"{value:.{places}f}"


def tiny_date(moment) -> str:
    return moment.strftime("%d/%m/%Y")


def tiny_datetime(moment: datetime) -> str:
    return moment.strftime("%d/%m/%Y %H:%M:%S")


class TinyState:
    def __init__(self, *, seed: int, products: int, customers: int, orders: int, token: str,
                 clock=time.time):
        self.lock = threading.RLock()
        self.calls = CallLog()
        self.sizes = {"seed": seed, "products": products, "customers": customers,
                      "orders": orders}
        self.token, self.clock = token, clock
        self.limits = None  # set by create_app
        self.reset()

    def reset(self) -> None:
        catalogue = build_catalogue(**self.sizes)
        self.products: dict[int, dict] = {}
        self.stock: dict[int, dict[str, Decimal]] = {}
        for fake in catalogue.products:
            self._add_product(fake)
        self.customers = [self._customer(c) for c in catalogue.customers]
        self.orders = {ORDER_BASE + o.index + 1: self._order(o) for o in catalogue.orders}
        self.calls.clear()
        if self.limits is not None:
            self.limits.reset()

    def _add_product(self, fake: FakeProduct) -> None:
        product_id = PRODUCT_BASE + fake.index + 1
        self.products[product_id] = {
            "id": product_id, "codigo": fake.sku, "nome": fake.name, "unidade": fake.unit,
            "preco": fake.price, "preco_promocional": Decimal(0), "preco_custo": fake.cost,
            "preco_custo_medio": fake.cost, "ncm": f"{fake.ncm[:4]}.{fake.ncm[4:6]}.{fake.ncm[6:]}",
            "origem": "0", "gtin": fake.gtin, "gtin_embalagem": "", "localizacao": "",
            "peso_liquido": fake.weight_kg, "peso_bruto": fake.weight_kg, "marca": fake.brand,
            "tipo": "P", "situacao": "A" if fake.active else "I", "tipoVariacao": "N",
            "descricao_complementar": fake.description, "created": fake.created_at,
            "changed": fake.updated_at}
        self.stock[product_id] = {DEPOSITS[0]: fake.stock, DEPOSITS[1]: Decimal(0)}

    @staticmethod
    def _customer(fake: FakeCustomer) -> dict:
        return {"codigo": f"{CONTACT_BASE + fake.index + 1}", "nome": fake.name,
                "tipo_pessoa": fake.person, "cpf_cnpj": fake.document, "email": fake.email,
                "fone": fake.phone, "endereco": fake.street, "numero": fake.number,
                "bairro": fake.district, "cidade": fake.city, "uf": fake.uf, "cep": fake.cep}

    def _order(self, fake: FakeOrder) -> dict:
        items = []
        for product_index, amount, price in fake.items:
            product = self.products[PRODUCT_BASE + product_index + 1]
            items.append({"id_produto": product["id"], "codigo": product["codigo"],
                          "descricao": product["nome"], "unidade": product["unidade"],
                          "quantidade": amount, "valor_unitario": price})
        code, _ = STATUSES[fake.status % len(STATUSES)]
        return {"numero": str(fake.number), "numero_ecommerce": fake.channel_number,
                "data_pedido": fake.ordered_on, "cliente": self.customers[fake.customer],
                "itens": items, "valor_frete": fake.shipping, "valor_desconto": fake.discount,
                "situacao": code, "changed": fake.updated_at}

    def now(self) -> datetime:
        return datetime.fromtimestamp(int(self.clock()), BRASILIA).replace(tzinfo=None)

    def touch(self, entity: str, count: int, ids: list | None) -> list:
        table = self.products if entity == "products" else self.orders
        chosen = [int(i) for i in ids] if ids else _spread(sorted(table), count)
        now = self.now()
        for record_id in chosen:
            if entity == "products":
                table[record_id]["preco"] += Decimal("1.00")
            table[record_id]["changed"] = now
        return chosen


def _spread(ids: list[int], count: int) -> list[int]:
    if count >= len(ids):
        return ids
    step = len(ids) / count
    return [ids[int(i * step)] for i in range(count)]
