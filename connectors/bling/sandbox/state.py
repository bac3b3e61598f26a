"""The Bling sandbox's memory: one Bling company (account) with its catalogue, contacts,
deposits, stock, sales orders, and the OAuth apps/codes/tokens. Seeded deterministically."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from ...sandbox_kit.calllog import CallLog
from ...sandbox_kit.fake import Catalogue, FakeOrder, FakeProduct, build_catalogue
from ...sdk.values import BRASILIA

PRODUCT_BASE, CONTACT_BASE, ORDER_BASE = 16_000_000_000, 17_000_000_000, 18_000_000_000
MOVEMENT_BASE, ITEM_BASE, INSTALMENT_BASE = 19_000_000_000, 20_000_000_000, 21_000_000_000
INVOICE_BASE = 22_000_000_000
FULFILLED = 9  # "Atendido": these seeded orders were invoiced
DEPOSITS = [
    {"id": 14_886_421_001, "descricao": "Geral", "situacao": 1, "padrao": True,
     "desconsiderarSaldo": False},
    {"id": 14_886_421_002, "descricao": "Loja Física", "situacao": 1, "padrao": False,
     "desconsiderarSaldo": False},
]
# The default sales-order statuses of a Bling account: (id, name, legacy value).
STATUSES = [(6, "Em aberto", 0), (9, "Atendido", 1), (12, "Cancelado", 2),
            (15, "Em andamento", 3), (18, "Venda Agenciada", 4), (21, "Em digitação", 9),
            (24, "Verificado", 5)]
PAYMENT_METHODS = {2_500_000_001: "Dinheiro", 2_500_000_002: "Cartão de crédito",
                   2_500_000_003: "PIX", 2_500_000_004: "Boleto"}
STORES = {"MLB": 203_100_001, "SHP": 203_100_002, "AMZ": 203_100_003}
COMPANY = {"id": "d4475854366a36c86a37e792f9634a51", "nome": "Loja Sandbox Comércio Ltda",
           "cnpj": "11222333000181", "email": "contato@lojasandbox.com.br",
           "dataContrato": "2023-05-10"}


@dataclass
class OAuthApp:
    client_id: str
    client_secret: str
    name: str = "MarketHub Integrações"
    redirect_uri: str | None = None


def format_ncm(ncm: str) -> str:
    return f"{ncm[:4]}.{ncm[4:6]}.{ncm[6:]}"


class BlingState:
    def __init__(self, *, seed: int, products: int, customers: int, orders: int,
                 apps: list[OAuthApp], access_ttl: int = 21600, refresh_ttl: int = 30 * 86400,
                 code_ttl: int = 60, clock=time.time):
        self.lock = threading.RLock()
        self.calls = CallLog()
        self.sizes = {"seed": seed, "products": products, "customers": customers,
                      "orders": orders}
        self.clock = clock
        self.apps = {app.client_id: app for app in apps}
        self.access_ttl, self.refresh_ttl, self.code_ttl = access_ttl, refresh_ttl, code_ttl
        self.codes: dict[str, dict] = {}
        self.access_tokens: dict[str, dict] = {}
        self.refresh_tokens: dict[str, dict] = {}
        self.limits = None  # set by create_app
        self.reset()

    # -- seeding -------------------------------------------------------------------------
    def reset(self) -> None:
        catalogue = build_catalogue(**self.sizes)
        self.products: dict[int, dict] = {}
        self.stock: dict[int, dict[int, Decimal]] = {}
        for fake in catalogue.products:
            self._add_product(fake)
        self.contacts = {CONTACT_BASE + c.index + 1: self._contact(c)
                         for c in catalogue.customers}
        self.orders: dict[int, dict] = {}
        for fake in catalogue.orders:
            self._add_order(fake, catalogue)
        self.next_ids = {"product": PRODUCT_BASE + len(self.products) + 1,
                         "contact": CONTACT_BASE + len(self.contacts) + 1,
                         "order": ORDER_BASE + len(self.orders) + 1,
                         "movement": MOVEMENT_BASE + 1, "item": ITEM_BASE + 100_000,
                         "instalment": INSTALMENT_BASE + 100_000}
        self.calls.clear()
        if self.limits is not None:
            self.limits.reset()

    def _add_product(self, fake: FakeProduct) -> None:
        product_id = PRODUCT_BASE + fake.index + 1
        self.products[product_id] = {
            "id": product_id, "nome": fake.name, "codigo": fake.sku, "preco": fake.price,
            "precoCusto": fake.cost, "tipo": "P", "situacao": "A" if fake.active else "I",
            "formato": "S", "descricaoCurta": fake.description, "unidade": fake.unit,
            "pesoLiquido": fake.weight_kg, "pesoBruto": fake.weight_kg, "gtin": fake.gtin,
            "gtinEmbalagem": fake.gtin, "marca": fake.brand,
            "tributacao": {"origem": 0, "ncm": format_ncm(fake.ncm), "cest": ""},
            "_created": fake.created_at, "_changed": fake.updated_at}
        self.stock[product_id] = {DEPOSITS[0]["id"]: fake.stock, DEPOSITS[1]["id"]: Decimal(0)}

    @staticmethod
    def _contact(fake) -> dict:
        return {"nome": fake.name, "codigo": f"C{fake.index + 1:05d}", "situacao": "A",
                "numeroDocumento": fake.document, "telefone": fake.phone, "celular": "",
                "tipo": fake.person, "email": fake.email,
                "endereco": {"geral": {"endereco": fake.street, "numero": fake.number,
                                       "bairro": fake.district, "municipio": fake.city,
                                       "uf": fake.uf, "cep": fake.cep, "complemento": ""}}}

    def _add_order(self, fake: FakeOrder, catalogue: Catalogue) -> None:
        order_id = ORDER_BASE + fake.index + 1
        status_id, _, _ = STATUSES[fake.status % len(STATUSES)]
        items = []
        for position, (product_index, quantity, price) in enumerate(fake.items):
            product = self.products[PRODUCT_BASE + product_index + 1]
            items.append({"id": ITEM_BASE + fake.index * 10 + position, "codigo": product["codigo"],
                          "unidade": product["unidade"], "quantidade": quantity,
                          "desconto": Decimal(0), "valor": price, "valorLista": price,
                          "descricao": product["nome"], "produto": {"id": product["id"]}})
        channel = fake.channel_number.split("-")[0] if fake.channel_number else None
        self.orders[order_id] = {
            "id": order_id, "numero": fake.number, "numeroLoja": fake.channel_number or "",
            "data": fake.ordered_on.isoformat(), "dataSaida": fake.ordered_on.isoformat(),
            "dataPrevista": fake.ordered_on.isoformat(),
            "contato": {"id": CONTACT_BASE + fake.customer + 1},
            "situacao": {"id": status_id}, "loja": {"id": STORES.get(channel, 0)},
            "itens": items, "parcelas": [], "desconto": fake.discount,
            "frete": fake.shipping, "outrasDespesas": Decimal(0), "observacoes": "",
            "notaFiscal": INVOICE_BASE + fake.index + 1 if status_id == FULFILLED else None,
            "_changed": fake.updated_at}

    # -- helpers the routes use ------------------------------------------------------------
    def now(self) -> datetime:
        """The sandbox's wall clock, as Bling shows it: Brasília time, to the second."""
        return datetime.fromtimestamp(int(self.clock()), BRASILIA).replace(tzinfo=None)

    def new_id(self, kind: str) -> int:
        value = self.next_ids[kind]
        self.next_ids[kind] += 1
        return value

    def balance(self, product_id: int) -> Decimal:
        return sum(self.stock.get(product_id, {}).values(), Decimal(0))

    def touch(self, entity: str, count: int, ids: list | None) -> list:
        table = self.products if entity == "products" else self.orders
        chosen = [int(i) for i in ids] if ids else _spread(sorted(table), count)
        for record_id in chosen:
            record = table[record_id]
            if entity == "products":
                record["preco"] = record["preco"] + Decimal("1.00")
            else:
                record["observacoes"] = f"Alterado em {self.now():%d/%m/%Y %H:%M:%S}"
            record["_changed"] = self.now()
        return chosen


def _spread(ids: list[int], count: int) -> list[int]:
    """`count` ids spread over the whole table (not just its first page)."""
    if count >= len(ids):
        return ids
    step = len(ids) / count
    return [ids[int(i * step)] for i in range(count)]
