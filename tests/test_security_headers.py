def test_api_answers_carry_nosniff_and_request_id(client, account):
    response = client.get("/v1/products", headers=account.headers)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Request-Id"].startswith("req_")
    assert "Strict-Transport-Security" not in response.headers  # only in production


def test_hub_pages_forbid_framing_and_foreign_scripts(client):
    response = client.get("/hub/")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
