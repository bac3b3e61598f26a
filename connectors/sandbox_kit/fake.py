"""A deterministic, realistic Brazilian catalogue: products with NCM and valid GTIN-13,
customers with valid CPF/CNPJ, orders. Neutral shapes: each ERP sandbox turns them into its
own records. Same seed and sizes -> same catalogue, byte for byte."""
from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from ..sdk.documents import cnpj_check_digits, cpf_check_digits, gtin_check_digit

# noun, SKU prefix, NCM, unit, price range (BRL), weight kg, variant: S size+colour,
# C colour, P plain (a style only: nobody sells a pink coffee)
KINDS = [
    ("Camiseta", "CAM", "61091000", "UN", (39, 129), "0.180", "S"),
    ("Calça Jeans", "CAL", "62034200", "UN", (119, 299), "0.650", "S"),
    ("Vestido", "VES", "62044400", "UN", (89, 259), "0.300", "S"),
    ("Bermuda", "BER", "62034300", "UN", (59, 149), "0.350", "S"),
    ("Tênis Casual", "TEN", "64041100", "PAR", (149, 499), "0.900", "C"),
    ("Chinelo", "CHI", "64022000", "PAR", (19, 69), "0.250", "C"),
    ("Caneca de Cerâmica", "CAN", "69120000", "UN", (24, 69), "0.350", "C"),
    ("Jogo de Panelas", "PAN", "73239300", "JG", (199, 799), "4.200", "P"),
    ("Toalha de Banho", "TOA", "63026000", "UN", (34, 119), "0.500", "C"),
    ("Garrafa Térmica", "GAR", "96170010", "UN", (49, 189), "0.600", "C"),
    ("Fone de Ouvido Bluetooth", "FON", "85183000", "UN", (79, 599), "0.200", "C"),
    ("Carregador USB-C", "CAR", "85044010", "UN", (39, 159), "0.120", "C"),
    ("Caixa de Som Portátil", "CXS", "85182200", "UN", (99, 699), "0.800", "C"),
    ("Caderno Universitário", "CAD", "48202000", "UN", (14, 49), "0.400", "P"),
    ("Mochila Escolar", "MOC", "42029200", "UN", (89, 299), "0.700", "C"),
    ("Shampoo", "SHA", "33051000", "UN", (12, 59), "0.350", "P"),
    ("Protetor Solar FPS 50", "PRO", "33049990", "UN", (29, 99), "0.220", "P"),
    ("Café Torrado e Moído 500 g", "CAF", "09012100", "PCT", (16, 45), "0.500", "P"),
    ("Doce de Leite 400 g", "DOC", "19019020", "UN", (9, 29), "0.400", "P"),
    ("Erva-Mate 1 kg", "ERV", "09030090", "PCT", (15, 39), "1.000", "P"),
    ("Quebra-Cabeça 1000 Peças", "QUE", "95030040", "UN", (49, 149), "0.800", "P"),
]
STYLES = ["Premium", "Confort", "Eco", "Slim", "Essencial", "Plus", "Urban", "Soft", "Max",
          "Classic"]
COLORS = ["Azul", "Preto", "Branco", "Vermelho", "Verde", "Cinza", "Rosa", "Amarelo",
          "Marinho", "Bege"]
SIZES = ["P", "M", "G", "GG"]
PLAIN_STYLES = ["Tradicional", "Premium", "Especial", "Plus", "Max", "Seleção"]
BRANDS = ["Aurora", "Brisa", "Canarinho", "Ipê", "Jangada", "Mandacaru", "Pitanga", "Sabiá",
          "Tucano", "Vitória-Régia"]
FIRST_NAMES = ["Ana", "João", "Maria", "Pedro", "Lucas", "Juliana", "Fernanda", "Rafael",
               "Camila", "Gabriel", "Beatriz", "Mateus", "Larissa", "Gustavo", "Letícia", "Bruno",
               "Carolina", "Felipe", "Mariana", "Thiago", "Luíza", "André", "Patrícia", "Caio"]
SURNAMES = ["Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira",
            "Lima", "Gomes", "Costa", "Ribeiro", "Martins", "Carvalho", "Almeida", "Lopes",
            "Soares", "Fernandes", "Vieira", "Barbosa", "Araújo", "Nascimento"]
COMPANY_KINDS = ["Comércio", "Distribuidora", "Moda", "Utilidades", "Alimentos", "Papelaria"]
CITIES = [("São Paulo", "SP", "01310100", "Av. Paulista", "Bela Vista", "11"),
          ("Rio de Janeiro", "RJ", "20040002", "Rua da Assembleia", "Centro", "21"),
          ("Belo Horizonte", "MG", "30130010", "Av. Afonso Pena", "Centro", "31"),
          ("Porto Alegre", "RS", "90010150", "Rua dos Andradas", "Centro Histórico", "51"),
          ("Curitiba", "PR", "80010000", "Rua XV de Novembro", "Centro", "41"),
          ("Salvador", "BA", "40020000", "Av. Sete de Setembro", "Comércio", "71"),
          ("Recife", "PE", "50030230", "Rua do Bom Jesus", "Recife", "81"),
          ("Fortaleza", "CE", "60060440", "Av. Santos Dumont", "Aldeota", "85"),
          ("Goiânia", "GO", "74003010", "Av. Goiás", "Setor Central", "62"),
          ("Florianópolis", "SC", "88010400", "Rua Felipe Schmidt", "Centro", "48")]
SHIPPING = [Decimal("0.00"), Decimal("15.90"), Decimal("22.50"), Decimal("29.90")]
CHANNELS = ["MLB", "SHP", "AMZ", None]
# All seeded times lie in 2025 (Brasília wall clock), safely before any real "now".
ANCHOR = datetime(2025, 1, 1, 8, 0, 0)


@dataclass
class FakeProduct:
    index: int
    sku: str
    name: str
    description: str
    ncm: str
    gtin: str
    unit: str
    brand: str
    price: Decimal
    cost: Decimal
    weight_kg: Decimal
    stock: Decimal
    active: bool
    created_at: datetime
    updated_at: datetime


@dataclass
class FakeCustomer:
    index: int
    name: str
    person: str  # "F" pessoa física (CPF) | "J" jurídica (CNPJ)
    document: str
    email: str
    phone: str
    city: str
    uf: str
    cep: str
    street: str
    number: str
    district: str


@dataclass
class FakeOrder:
    index: int
    number: int
    customer: int
    items: list[tuple[int, Decimal, Decimal]]  # (product index, quantity, unit price)
    status: int  # index into the ERP's own status list: every status gets orders
    ordered_on: date
    updated_at: datetime
    shipping: Decimal
    discount: Decimal
    channel_number: str | None


@dataclass
class Catalogue:
    products: list[FakeProduct] = field(default_factory=list)
    customers: list[FakeCustomer] = field(default_factory=list)
    orders: list[FakeOrder] = field(default_factory=list)


def slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return ".".join(plain.lower().split())


def _product(rng: random.Random, index: int, seed: int) -> FakeProduct:
    noun, prefix, ncm, unit, (low, high), weight, variant = KINDS[index % len(KINDS)]
    if variant == "P":
        name = f"{noun} {rng.choice(PLAIN_STYLES)}"
    else:
        name = f"{noun} {rng.choice(STYLES)} {rng.choice(COLORS)}"
    if variant == "S":
        name += f" {rng.choice(SIZES)}"
    price = Decimal(rng.randint(low, high)) + Decimal("0.90")
    body = f"789{seed % 10000:04d}{index:05d}"
    created = ANCHOR + timedelta(minutes=rng.randint(0, 180 * 24 * 60))
    updated = created + timedelta(minutes=rng.randint(0, 150 * 24 * 60))
    return FakeProduct(
        index=index, sku=f"{prefix}-{index + 1:05d}", name=name,
        description=f"{name} da marca {BRANDS[index % len(BRANDS)]}.", ncm=ncm,
        gtin=body + gtin_check_digit(body), unit=unit, brand=BRANDS[index % len(BRANDS)],
        price=price, cost=(price * Decimal("0.55")).quantize(Decimal("0.01")),
        weight_kg=Decimal(weight), stock=Decimal(rng.choice([0, 3, 8, 15, 40, 120])),
        active=rng.random() > 0.08, created_at=created, updated_at=updated)


def _document(rng: random.Random, person: str) -> str:
    if person == "F":
        base = "".join(str(rng.randint(0, 9)) for _ in range(9))
        return base + cpf_check_digits(base)
    base = "".join(str(rng.randint(0, 9)) for _ in range(8)) + "0001"
    return base + cnpj_check_digits(base)


def _customer(rng: random.Random, index: int) -> FakeCustomer:
    person = "J" if rng.random() < 0.3 else "F"
    surname = rng.choice(SURNAMES)
    if person == "J":
        name = f"{surname} {rng.choice(COMPANY_KINDS)} Ltda"
    else:
        name = f"{rng.choice(FIRST_NAMES)} {surname} {rng.choice(SURNAMES)}"
    city, uf, cep, street, district, ddd = rng.choice(CITIES)
    return FakeCustomer(
        index=index, name=name, person=person, document=_document(rng, person),
        email=f"{slug(name)}{index}@example.com.br", phone=f"({ddd}) 9{rng.randint(1000, 9999)}-"
        f"{rng.randint(1000, 9999)}", city=city, uf=uf, cep=cep, street=street,
        number=str(rng.randint(10, 2500)), district=district)


def _order(rng: random.Random, index: int, products: list[FakeProduct],
           customers: int) -> FakeOrder:
    picks = rng.sample(range(len(products)), k=min(len(products), rng.randint(1, 4)))
    items = [(p, Decimal(rng.randint(1, 3)), products[p].price) for p in picks]
    ordered = (ANCHOR + timedelta(days=rng.randint(0, 330))).date()
    channel = CHANNELS[index % len(CHANNELS)]
    return FakeOrder(
        index=index, number=1001 + index, customer=rng.randrange(customers), items=items,
        status=index, ordered_on=ordered,
        updated_at=datetime.combine(ordered, datetime.min.time()) + timedelta(
            hours=rng.randint(1, 72)),
        shipping=rng.choice(SHIPPING),
        discount=Decimal("10.00") if rng.random() < 0.2 else Decimal("0.00"),
        channel_number=f"{channel}-{2000000000 + index * 7919}" if channel else None)


def build_catalogue(seed: int = 42, products: int = 300, customers: int = 60,
                    orders: int = 120) -> Catalogue:
    rng = random.Random(seed)
    catalogue = Catalogue()
    catalogue.products = [_product(rng, i, seed) for i in range(products)]
    catalogue.customers = [_customer(rng, i) for i in range(max(customers, 1))]
    if products:
        catalogue.orders = [_order(rng, i, catalogue.products, len(catalogue.customers))
                            for i in range(orders)]
    return catalogue
