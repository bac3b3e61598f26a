"""Omie products (`geral/produtos`) and stock (`estoque/consulta`, `estoque/ajuste`,
`estoque/local`)."""
from __future__ import annotations

from decimal import Decimal

from .protocol import Fault, date_window, flag, hungarian_page, info_time, method, parse_date, \
    required, snake_page, within
from .state import LOCATIONS, OmieState

MOTIVES = {"ENT": {"INV", "OPE", "PDV", "INI"}, "SAI": {"INV", "PER", "OPS", "PDV"},
           "SLD": {"INV", "INI", "CMC", "PDV"}, "TRF": {"TPQ", "TRF"}}
DEFAULT_LOCATION = LOCATIONS[0]["codigo_local_estoque"]


def _changed_at(product: dict, param: dict):
    prefix = "Inc" if flag(param.get("filtrar_apenas_inclusao")) else "Alt"
    return info_time(product["info"], prefix)


def _wanted_codes(param: dict) -> tuple[set, set]:
    codes = param.get("produtosPorCodigo") or []
    return ({c.get("codigo_produto") for c in codes if c.get("codigo_produto")},
            {c.get("codigo") for c in codes if c.get("codigo")})


@method("geral/produtos", "ListarProdutos")
def list_products(state: OmieState, param: dict) -> dict:
    window = date_window(param)
    ids, skus = _wanted_codes(param)
    rows = [p for _, p in sorted(state.products.items())
            if within(_changed_at(p, param), window)
            and (not (ids or skus) or p["codigo_produto"] in ids or p["codigo"] in skus)
            and param.get("inativo", p["inativo"]) == p["inativo"]]
    return snake_page(rows, param, "produto_servico_cadastro")


def find_product(state: OmieState, param: dict, id_key="codigo_produto", int_key=None) -> dict:
    if param.get(id_key):
        product = state.products.get(param[id_key])
    elif param.get(int_key or "codigo_produto_integracao"):
        wanted = param[int_key or "codigo_produto_integracao"]
        product = next((p for p in state.products.values()
                        if p["codigo_produto_integracao"] == wanted), None)
    elif param.get("codigo"):
        product = next((p for p in state.products.values() if p["codigo"] == param["codigo"]), None)
    else:
        raise Fault(102, "Informe o código do produto.")
    if product is None:
        raise Fault(103, "Produto não cadastrado!")
    return product


@method("geral/produtos", "ConsultarProduto", redundant=True)
def get_product(state: OmieState, param: dict) -> dict:
    return find_product(state, param)


def _location(param: dict) -> int:
    location = param.get("codigo_local_estoque") or DEFAULT_LOCATION
    if location not in {loc["codigo_local_estoque"] for loc in LOCATIONS}:
        raise Fault(103, f"Local de estoque [{location}] não cadastrado!")
    return location


@method("estoque/local", "ListarLocaisEstoque")
def list_locations(_state: OmieState, param: dict) -> dict:
    return hungarian_page(LOCATIONS, param, "locaisEncontrados")


@method("estoque/consulta", "ListarPosEstoque")
def list_positions(state: OmieState, param: dict) -> dict:
    required(param, "dDataPosicao")
    location = _location(param)
    wanted = param.get("lista_produtos") or []
    rows = []
    for product_id, product in sorted(state.products.items()):
        balance = state.stock[product_id].get(location, Decimal(0))
        if balance == 0 and not flag(param.get("cExibeTodos", "N")):
            continue  # "N": only products with stock (the sandbox's reading of "movimento")
        if wanted and not any(_listed(product, item) for item in wanted):
            continue
        rows.append({"nCodProd": product_id, "cCodInt": product["codigo_produto_integracao"],
                     "cCodigo": product["codigo"], "cDescricao": product["descricao"],
                     "nPrecoUnitario": product["valor_unitario"], "nSaldo": balance,
                     "nCMC": product["valor_unitario"] * Decimal("0.55"), "nPendente": Decimal(0),
                     "estoque_minimo": Decimal(0), "codigo_local_estoque": location,
                     "reservado": Decimal(0), "fisico": balance})
    answer = hungarian_page(rows, param, "produtos")
    return {**answer, "dDataPosicao": param["dDataPosicao"]}


def _listed(product: dict, item: dict) -> bool:
    return (item.get("nCodProd") == product["codigo_produto"]
            or (item.get("cCodigo") and item["cCodigo"] == product["codigo"])
            or (item.get("cCodInt") and item["cCodInt"] == product["codigo_produto_integracao"]))


@method("estoque/consulta", "PosicaoEstoque", redundant=True)
def position(state: OmieState, param: dict) -> dict:
    product = find_product(state, param, "id_prod", "cod_int")
    location = _location(param)
    balance = state.stock[product["codigo_produto"]].get(location, Decimal(0))
    return {"codigo_status": "0", "descricao_status": "Consulta realizada com sucesso!",
            "saldo": balance, "cmc": product["valor_unitario"] * Decimal("0.55"),
            "pendente": Decimal(0), "estoque_minimo": Decimal(0),
            "codigo_local_estoque": location, "reservado": Decimal(0), "fisico": balance}


def _check_adjustment(param: dict) -> Decimal:
    required(param, "data", "tipo", "quan", "valor", "origem", "motivo")
    parse_date(param["data"], None, "00:00:00")
    kind, motive = param["tipo"], param["motivo"]
    if kind not in MOTIVES:
        raise Fault(105, f"Tipo [{kind}] inválido. Valores aceitos: ENT, SAI, SLD, TRF.")
    if motive not in MOTIVES[kind]:
        accepted = ", ".join(sorted(MOTIVES[kind]))
        raise Fault(105, f"Motivo [{motive}] inválido para o tipo [{kind}]. "
                         f"Valores aceitos: {accepted}.")
    if param["origem"] not in ("AJU", "PDV"):
        raise Fault(105, f"Origem [{param['origem']}] inválida. Valores aceitos: AJU, PDV.")
    quantity = param["quan"]
    if isinstance(quantity, bool) or not isinstance(quantity, (int, Decimal)) or quantity < 0:
        raise Fault(105, "A quantidade [QUAN] deve ser um número maior ou igual a zero.")
    return Decimal(quantity)


@method("estoque/ajuste", "IncluirAjusteEstoque")
def adjust(state: OmieState, param: dict) -> dict:
    quantity = _check_adjustment(param)
    product = find_product(state, param, "id_prod", "cod_int")
    location = _location(param)
    stock = state.stock[product["codigo_produto"]]
    current = stock.get(location, Decimal(0))
    kind = param["tipo"]
    if kind == "TRF":
        target = _location({"codigo_local_estoque": param.get("codigo_local_estoque_destino")})
        stock[target] = stock.get(target, Decimal(0)) + quantity
    stock[location] = {"ENT": current + quantity, "SAI": current - quantity,
                       "SLD": quantity, "TRF": current - quantity}[kind]
    movement = state.next("movement")
    return {"codigo_status": "0", "descricao_status": "Ajuste de estoque incluído com sucesso!",
            "id_movest": movement, "id_ajuste": movement + 500_000_000}
