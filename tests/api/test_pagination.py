"""Cursor pagination: newest first, `limit`, `has_more`, and `next_cursor` walks every row once."""
from __future__ import annotations

import pytest


def _walk(api, path: str, limit: int, **filters) -> list[dict]:
    pages, cursor = [], None
    while True:
        query = {**filters, "limit": limit, **({"cursor": cursor} if cursor else {})}
        response = api.get(path, query_string=query)
        assert response.status_code == 200, response.json
        page = response.json
        pages.append(page)
        assert len(page["data"]) <= limit
        if not page["has_more"]:
            assert page["next_cursor"] is None
            return pages
        assert len(page["data"]) == limit
        cursor = page["next_cursor"]


@pytest.fixture
def seven_products(make_product):
    return [make_product()["id"] for _ in range(7)]


def test_default_page_is_newest_first(api, seven_products):
    page = api.get("/v1/products").json

    assert page["object"] == "list"
    assert [p["id"] for p in page["data"]] == list(reversed(seven_products))
    assert (page["has_more"], page["next_cursor"]) == (False, None)


@pytest.mark.parametrize("limit,sizes", [(1, [1] * 7), (3, [3, 3, 1]), (7, [7]), (100, [7])])
def test_cursor_walks_every_row_once_in_order(api, seven_products, limit, sizes):
    pages = _walk(api, "/v1/products", limit)

    assert [len(page["data"]) for page in pages] == sizes
    walked = [p["id"] for page in pages for p in page["data"]]
    assert walked == list(reversed(seven_products))  # no duplicates, no gaps


def test_exact_multiple_of_limit_has_no_empty_last_page(api, make_product):
    for _ in range(4):
        make_product()

    pages = _walk(api, "/v1/products", 2)

    assert [len(page["data"]) for page in pages] == [2, 2]


def test_rows_created_while_walking_do_not_disturb_the_walk(api, seven_products, make_product):
    first = api.get("/v1/products", query_string={"limit": 3}).json
    make_product()  # newer than every row: belongs before the first page

    rest = _walk_from(api, first["next_cursor"], 3)

    walked = [p["id"] for p in first["data"]] + rest
    assert walked == list(reversed(seven_products))


def _walk_from(api, cursor, limit) -> list[str]:
    ids = []
    while cursor:
        page = api.get("/v1/products", query_string={"limit": limit, "cursor": cursor}).json
        ids += [p["id"] for p in page["data"]]
        cursor = page["next_cursor"]
    return ids


def test_deleted_rows_are_skipped_without_breaking_the_walk(api, seven_products):
    first = api.get("/v1/products", query_string={"limit": 3}).json
    cursor_row = first["data"][-1]["id"]
    api.delete(f"/v1/products/{cursor_row}")  # the cursor's own row goes away

    rest = _walk_from(api, first["next_cursor"], 3)

    assert rest == list(reversed(seven_products))[3:]


def test_empty_list(api):
    page = api.get("/v1/products").json

    assert page == {"object": "list", "data": [], "has_more": False, "next_cursor": None}


@pytest.mark.parametrize("path,make", [
    ("/v1/orders", "make_order"), ("/v1/customers", "make_customer"),
])
def test_other_lists_paginate_too(api, request, path, make):
    factory = request.getfixturevalue(make)
    created = [factory()["id"] for _ in range(5)]

    walked = [row["id"] for page in _walk(api, path, 2) for row in page["data"]]

    assert walked == list(reversed(created))


def test_inventory_paginates_by_product(api, make_product):
    created = [make_product()["id"] for _ in range(5)]

    walked = [row["product_id"] for page in _walk(api, "/v1/inventory", 2)
              for row in page["data"]]

    assert walked == list(reversed(created))


def test_filters_apply_across_pages(api, make_product):
    wanted = [make_product(active=bool(i % 2))["id"] for i in range(8)]

    walked = [p["id"] for page in _walk(api, "/v1/products", 2, active="true")
              for p in page["data"]]

    assert walked == list(reversed(wanted[1::2]))
