"""Omie sales orders (`produtos/pedido`), invoicing (`produtos/pedidovendafat`), NF-e
(`produtos/nfconsultar`), customers (`geral/clientes`) and the company (`geral/empresas`)."""
from __future__ import annotations

from decimal import Decimal

from .protocol import Fault, date_window, flag, method, required, snake_page, within
from .state import COMPANY, OmieState, omie_date, omie_time

STATUS_FILTERS = {"FATURADO": lambda o: o["faturado"] == "S",
                  "CANCELADO": lambda o: o["cancelado"] == "S",
                  "AUTORIZADO": lambda o: o["faturado"] == "S"}


def order_shape(state: OmieState, order: dict) -> dict:
    det, goods = [], Decimal(0)
    for position, (product_id, quantity, price) in enumerate(order["items"], start=1):
        product = state.products[product_id]
        goods += quantity * price
        det.append({"ide": {"codigo_item_integracao": str(position)},
                    "produto": {"codigo_produto": product_id, "codigo": product["codigo"],
                                "descricao": product["descricao"], "ncm": product["ncm"],
                                "ean": product["ean"], "unidade": product["unidade"],
                                "quantidade": quantity, "valor_unitario": price,
                                "valor_desconto": Decimal(0), "valor_total": quantity * price,
                                "cfop": "5.102"}})
    total = goods + order["frete"] - order["desconto"]
    invoiced_on = order["invoiced_on"]
    return {
        "cabecalho": {"codigo_pedido": order["codigo_pedido"],
                      "codigo_pedido_integracao": order["codigo_pedido_integracao"],
                      "numero_pedido": order["numero_pedido"],
                      "codigo_cliente": order["codigo_cliente"],
                      "data_previsao": order["data_previsao"], "etapa": order["etapa"],
                      "codigo_parcela": "000", "quantidade_itens": len(det),
                      "origem_pedido": "API"},
        "det": det,
        "frete": {"modalidade": "9", "valor_frete": order["frete"]},
        "informacoes_adicionais": {"codigo_categoria": "1.01.01",
                                   "codigo_conta_corrente": 4_200_000_001, "consumidor_final": "S",
                                   "numero_pedido_cliente": order["codigo_pedido_integracao"]},
        "lista_parcelas": {"parcela": [{"numero_parcela": 1, "percentual": Decimal(100),
                                        "data_vencimento": order["data_previsao"],
                                        "valor": total}]},
        "total_pedido": {"valor_mercadorias": goods, "valor_descontos": order["desconto"],
                         "valor_total_pedido": total},
        "infoCadastro": {"dInc": omie_date(order["created"]), "hInc": omie_time(order["created"]),
                         "dAlt": omie_date(order["changed"]), "hAlt": omie_time(order["changed"]),
                         "faturado": order["faturado"], "cancelado": order["cancelado"],
                         "autorizado": order["faturado"],
                         "dFat": omie_date(invoiced_on) if invoiced_on else ""},
    }


@method("produtos/pedido", "ListarPedidos")
def list_orders(state: OmieState, param: dict) -> dict:
    window = date_window(param)
    key = "created" if flag(param.get("filtrar_apenas_inclusao")) else "changed"
    status = STATUS_FILTERS.get(str(param.get("status_pedido", "")).upper(), lambda o: True)
    rows = [order_shape(state, o) for _, o in sorted(state.orders.items())
            if within(o[key], window) and status(o)
            and param.get("etapa", o["etapa"]) == o["etapa"]
            and param.get("filtrar_por_cliente", o["codigo_cliente"]) == o["codigo_cliente"]]
    return snake_page(rows, param, "pedido_venda_produto")


def find_order(state: OmieState, param: dict, id_key="codigo_pedido",
               int_key="codigo_pedido_integracao") -> dict:
    if param.get(id_key):
        order = state.orders.get(param[id_key])
    elif param.get(int_key):
        order = next((o for o in state.orders.values()
                      if o["codigo_pedido_integracao"] == param[int_key]), None)
    elif param.get("numero_pedido"):
        wanted = str(param["numero_pedido"]).zfill(15)
        order = next((o for o in state.orders.values() if o["numero_pedido"] == wanted), None)
    else:
        raise Fault(102, "Informe o código do pedido.")
    if order is None:
        raise Fault(103, "Pedido não cadastrado!")
    return order


@method("produtos/pedido", "ConsultarPedido", redundant=True)
def get_order(state: OmieState, param: dict) -> dict:
    return {"pedido_venda_produto": order_shape(state, find_order(state, param))}


def _visible_invoices(state: OmieState, order_id: int) -> list[dict]:
    now = state.clock()
    return [nf for nf in state.invoices.values()
            if nf["nIdPedido"] == order_id and nf.get("visible_at", 0) <= now]


@method("produtos/pedido", "StatusPedido", redundant=True)
def order_status(state: OmieState, param: dict) -> dict:
    order = find_order(state, param)
    total = order_shape(state, order)["total_pedido"]["valor_total_pedido"]
    return {"codigo_pedido": order["codigo_pedido"],
            "codigo_pedido_integracao": order["codigo_pedido_integracao"],
            "numero_pedido": order["numero_pedido"], "etapa": order["etapa"],
            "cancelada": order["cancelado"], "faturada": order["faturado"], "ambiente": "P",
            "valor_total_pedido": total,
            "ListaNfe": [{"numero_nfe": nf["nNF"], "serie_nfe": nf["serie"],
                          "status_nfe": nf["status"], "chave_nfe": nf["cChaveNFe"],
                          "data_emissao": nf["dEmi"],
                          "danfe": f"https://app.omie.com.br/danfe/{nf['nIdNF']}.pdf",
                          "xml_distr": f"https://app.omie.com.br/xml/{nf['nIdNF']}.xml"}
                         for nf in _visible_invoices(state, order["codigo_pedido"])]}


@method("produtos/pedido", "TrocarEtapaPedido")
def change_stage(state: OmieState, param: dict) -> dict:
    required(param, "etapa")
    order = find_order(state, param)
    if param["etapa"] not in ("10", "20", "30", "40", "50", "60", "70", "80"):
        raise Fault(105, f"Etapa [{param['etapa']}] inválida!")
    order["etapa"], order["changed"] = param["etapa"], state.now()
    return {"codigo_pedido": order["codigo_pedido"],
            "codigo_pedido_integracao": order["codigo_pedido_integracao"],
            "numero_pedido": order["numero_pedido"], "codigo_status": "0",
            "descricao_status": "Etapa do pedido alterada com sucesso!"}


@method("produtos/pedidovendafat", "FaturarPedidoVenda")
def invoice_order(state: OmieState, param: dict) -> dict:
    order = find_order(state, param, "nCodPed", "cCodIntPed")
    if order["cancelado"] == "S":
        raise Fault(105, f"O pedido [{int(order['numero_pedido'])}] está cancelado e não pode "
                         "ser faturado!")
    if order["faturado"] == "S":
        raise Fault(104, f"O pedido [{int(order['numero_pedido'])}] já foi faturado!")
    now = state.now()
    order.update(faturado="S", etapa="60", changed=now, invoiced_on=now.date())
    invoice = state.add_invoice(order["codigo_pedido"], now.date())
    invoice["visible_at"] = state.clock() + state.invoice_delay  # SEFAZ answers later
    return {"cCodIntPed": order["codigo_pedido_integracao"], "nCodPed": order["codigo_pedido"],
            "cCodStatus": "0", "cDescStatus": "Pedido faturado com sucesso!"}


@method("produtos/nfconsultar", "ConsultarNF", redundant=True)
def get_invoice(state: OmieState, param: dict) -> dict:
    found = next((nf for nf in state.invoices.values()
                  if nf["nIdNF"] == param.get("nCodNF") or nf["nIdPedido"] == param.get("nIdPedido")
                  or nf["cChaveNFe"] == param.get("cChaveNFe")), None)
    if found is None:
        raise Fault(103, "Nota fiscal não encontrada!")
    return {"compl": {"nIdNF": found["nIdNF"], "nIdPedido": found["nIdPedido"],
                      "cChaveNFe": found["cChaveNFe"]},
            "ide": {"nNF": found["nNF"], "serie": found["serie"], "dEmi": found["dEmi"],
                    "hEmi": found["hEmi"], "tpNF": "1", "tpAmb": "1", "dCan": ""}}


@method("geral/clientes", "ListarClientes")
def list_clients(state: OmieState, param: dict) -> dict:
    wanted = {c.get("codigo_cliente_omie") for c in param.get("clientesPorCodigo") or []}
    wanted.discard(None)
    rows = [{"codigo_cliente_omie": client_id, **client}
            for client_id, client in sorted(state.clients.items())
            if not wanted or client_id in wanted]
    return snake_page(rows, param, "clientes_cadastro")


@method("geral/empresas", "ListarEmpresas")
def list_companies(_state: OmieState, param: dict) -> dict:
    return snake_page([COMPANY], param, "empresas_cadastro")
