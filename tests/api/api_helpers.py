"""Plain helpers shared by the API tests (fixtures live in conftest.py)."""
PRODUCT = {"sku": "CAM-AZ-P", "name": "Camiseta Algodão Azul P", "price": "99.90"}
CUSTOMER = {"name": "Maria Silva", "email": "maria@example.com.br", "document": "529.982.247-25"}


def call_as(client, credentials: dict):
    """Like the `api` fixture, for any set of credentials."""
    class Caller:
        def __getattr__(self, method):
            def call(path, headers=None, **kwargs):
                return getattr(client, method)(path, headers={**credentials, **(headers or {})},
                                               **kwargs)
            return call
    return Caller()


def error_code(response) -> str:
    return response.json["error"]["code"]
