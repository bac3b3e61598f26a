"""One read and one write scope per resource; write does not imply read: ask for both."""
RESOURCES = ("products", "orders", "inventory", "customers", "integrations", "webhooks", "events")
READ_ONLY = {"events"}

ALL_SCOPES = tuple(
    f"{resource}:{action}"
    for resource in RESOURCES
    for action in (("read",) if resource in READ_ONLY else ("read", "write"))
)


def unknown_scopes(scopes) -> list[str]:
    return sorted(set(scopes) - set(ALL_SCOPES))
