"""The Omie sandbox's memory: one Omie company (app_key/app_secret) with its products,
customers, stock locations and balances, sales orders and NF-e. Dates are Omie's dd/mm/aaaa
and hh:mm:ss; flags are "S"/"N"."""
from __future__ import annotations

import threading
import time
from datetime import date, datetime
from decimal import Decimal

from ...sandbox_kit.calllog import CallLog
from ...sandbox_kit.fake import FakeCustomer, FakeOrder, FakeProduct, build_catalogue
from ...sdk.values import BRASILIA

PRODUCT_BASE, CLIENT_BASE, ORDER_BASE = 10_437_359_000, 2_485_000_000, 3_599_261_000
MOVEMENT_BASE, NF_BASE = 4_100_000_000, 11_268_650_000
LOCATIONS = [
    {"codigo_local_estoque": 4_004_166_001, "codigo": "01", "descricao": "Estoque Geral",
     "tipo": "PRO", "padrao": "S", "inativo": "N", "dispVenda": "S"},
    {"codigo_local_estoque": 4_004_166_002, "codigo": "02", "descricao": "Loja Centro",
     "tipo": "PRO", "padrao": "N", "inativo": "N", "dispVenda": "S"},
]
# (etapa, faturado, cancelado): every stage of the default sales kanban, plus a cancellation.
STAGES = [("10", "N", "N"), ("20", "N", "N"), ("50", "N", "N"), ("60", "S", "N"),
          ("70", "S", "N"), ("10", "N", "S")]
COMPANY = {"codigo_empresa": 1, "razao_social": "Loja Sandbox Comércio Ltda",
           "nome_fantasia": "Loja Sandbox", "cnpj": "11.222.333/0001-81", "estado": "SP",
           "cidade": "SAO PAULO (SP)", "inativa": "N"}


def omie_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def omie_time(moment: datetime) -> str:
    return moment.strftime("%H:%M:%S")


def format_document(document: str) -> str:
    if len(document) == 11:
        return f"{document[:3]}.{document[3:6]}.{document[6:9]}-{document[9:]}"
    return f"{document[:2]}.{document[2:5]}.{document[5:8]}/{document[8:12]}-{document[12:]}"


def nfe_key(day: date, number: int, code: int, cnpj: str = "11222333000181") -> str:
    """A well-formed 44-digit NF-e access key (SP, model 55, series 1) with its check digit."""
    body = f"35{day:%y%m}{cnpj}55001{number:09d}1{code % 10**8:08d}"
    weights = [2, 3, 4, 5, 6, 7, 8, 9]
    total = sum(int(d) * weights[i % 8] for i, d in enumerate(reversed(body)))
    check = 11 - total % 11
    return body + str(0 if check >= 10 else check)


def stamp(prefix: str, moment: datetime) -> dict:
    return {f"d{prefix}": omie_date(moment.date()), f"h{prefix}": omie_time(moment)}


class OmieState:
    def __init__(self, *, seed: int, products: int, customers: int, orders: int, app_key: str,
                 app_secret: str, invoice_delay: float = 0.0, clock=time.time):
        self.lock = threading.RLock()
        self.calls = CallLog()
        self.sizes = {"seed": seed, "products": products, "customers": customers,
                      "orders": orders}
        self.app_key, self.app_secret, self.clock = app_key, app_secret, clock
        self.invoice_delay = invoice_delay  # seconds until SEFAZ "authorizes" a new NF-e
        self.limits = None  # set by create_app
        self.reset()

    def reset(self) -> None:
        catalogue = build_catalogue(**self.sizes)
        self.products: dict[int, dict] = {}
        self.stock: dict[int, dict[int, Decimal]] = {}
        for fake in catalogue.products:
            self._add_product(fake)
        self.clients = {CLIENT_BASE + c.index + 1: self._client(c) for c in catalogue.customers}
        self.orders: dict[int, dict] = {}
        self.invoices: dict[int, dict] = {}
        self.counters = {"movement": MOVEMENT_BASE, "nf": NF_BASE, "nf_number": 37_000}
        for fake in catalogue.orders:
            self._add_order(fake)
        self.calls.clear()
        if self.limits is not None:
            self.limits.reset()

    def _add_product(self, fake: FakeProduct) -> None:
        product_id = PRODUCT_BASE + fake.index + 1
        self.products[product_id] = {
            "codigo_produto": product_id, "codigo_produto_integracao": "", "codigo": fake.sku,
            "descricao": fake.name, "unidade": fake.unit,
            "ncm": f"{fake.ncm[:4]}.{fake.ncm[4:6]}.{fake.ncm[6:]}", "ean": fake.gtin,
            "valor_unitario": fake.price, "marca": fake.brand, "modelo": "",
            "peso_liq": fake.weight_kg, "peso_bruto": fake.weight_kg, "altura": Decimal(0),
            "largura": Decimal(0), "profundidade": Decimal(0), "descr_detalhada": fake.description,
            "obs_internas": "", "tipoItem": "00", "codigo_familia": 0, "bloqueado": "N",
            "inativo": "N" if fake.active else "S", "importado_api": "N",
            "quantidade_estoque": Decimal(0), "estoque_minimo": Decimal(0),
            "info": {**stamp("Inc", fake.created_at), "uInc": "P000000001",
                     **stamp("Alt", fake.updated_at), "uAlt": "P000000001", "cImpAPI": "N"}}
        self.stock[product_id] = {LOCATIONS[0]["codigo_local_estoque"]: fake.stock,
                                  LOCATIONS[1]["codigo_local_estoque"]: Decimal(0)}

    @staticmethod
    def _client(fake: FakeCustomer) -> dict:
        ddd, number = fake.phone[1:3], fake.phone[5:]
        return {"codigo_cliente_integracao": f"C{fake.index + 1:05d}", "razao_social": fake.name,
                "nome_fantasia": fake.name, "cnpj_cpf": format_document(fake.document),
                "pessoa_fisica": "S" if fake.person == "F" else "N", "email": fake.email,
                "telefone1_ddd": ddd, "telefone1_numero": number, "endereco": fake.street,
                "endereco_numero": fake.number, "bairro": fake.district, "complemento": "",
                "estado": fake.uf, "cidade": f"{fake.city.upper()} ({fake.uf})",
                "cep": f"{fake.cep[:5]}-{fake.cep[5:]}", "inativo": "N"}

    def _add_order(self, fake: FakeOrder) -> None:
        order_id = ORDER_BASE + fake.index + 1
        stage, invoiced, cancelled = STAGES[fake.status % len(STAGES)]
        created = datetime.combine(fake.ordered_on, datetime.min.time()).replace(hour=9)
        self.orders[order_id] = {
            "codigo_pedido": order_id, "codigo_pedido_integracao": fake.channel_number or "",
            "numero_pedido": f"{fake.number:015d}",
            "codigo_cliente": CLIENT_BASE + fake.customer + 1,
            "data_previsao": omie_date(fake.ordered_on), "etapa": stage,
            "items": [(PRODUCT_BASE + p + 1, q, price) for p, q, price in fake.items],
            "frete": fake.shipping, "desconto": fake.discount,
            "faturado": invoiced, "cancelado": cancelled, "created": created,
            "changed": fake.updated_at, "invoiced_on": fake.ordered_on if invoiced == "S" else None}
        if invoiced == "S":
            self.add_invoice(order_id, fake.ordered_on)

    # -- helpers -------------------------------------------------------------------------------
    def now(self) -> datetime:
        return datetime.fromtimestamp(int(self.clock()), BRASILIA).replace(tzinfo=None)

    def next(self, counter: str) -> int:
        self.counters[counter] += 1
        return self.counters[counter]

    def add_invoice(self, order_id: int, day: date) -> dict:
        number, nf_id = self.next("nf_number"), self.next("nf")
        invoice = {"nIdNF": nf_id, "nIdPedido": order_id, "nNF": f"{number:09d}", "serie": "1",
                   "cChaveNFe": nfe_key(day, number, order_id), "dEmi": omie_date(day),
                   "hEmi": "10:00:00", "status": "Autorizada"}
        self.invoices[nf_id] = invoice
        return invoice

    def touch(self, entity: str, count: int, ids: list | None) -> list:
        table = self.products if entity == "products" else self.orders
        chosen = [int(i) for i in ids] if ids else _spread(sorted(table), count)
        now = self.now()
        for record_id in chosen:
            record = table[record_id]
            if entity == "products":
                record["valor_unitario"] += Decimal("1.00")
                record["info"].update(stamp("Alt", now))
            else:
                record["changed"] = now
        return chosen


def _spread(ids: list[int], count: int) -> list[int]:
    if count >= len(ids):
        return ids
    step = len(ids) / count
    return [ids[int(i * step)] for i in range(count)]
