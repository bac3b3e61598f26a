"""Re-record every operation's sample from the sandboxes:

    python -m markethub.connectors.sandbox_kit.record_samples

Each sample is real output of the connector against its sandbox (one recorded fixture per
operation), written to `connectors/<erp>/samples/<key>.json`."""
from __future__ import annotations

import json
from pathlib import Path

from ..registry import get, keys, sandbox
from .connect import open_sandbox_session
from .server import BackgroundServer

INPUTS = {
    ("bling", "update_stock"): {"sku": "CAM-00001", "quantity": "12"},
    ("bling", "create_order"): {"customer": {"name": "Ana Souza", "document": "529.982.247-25"},
                                "items": [{"sku": "CAM-00001", "quantity": "2",
                                           "unit_price": "70.90"}],
                                "ordered_on": "2026-03-10", "shipping_total": "15.90"},
    ("omie", "update_stock"): {"sku": "CAM-00001", "quantity": "12"},
    ("omie", "create_invoice"): {"order_id": "3599261002"},
    ("tiny", "update_stock"): {"sku": "CAM-00001", "quantity": "12"},
}
FAST = {"bling": {"requests_per_second": 1000}, "omie": {}, "tiny": {"calls_per_minute": 6000}}


def record(key: str) -> dict[str, dict]:
    connector = get(key)
    samples = {}
    with BackgroundServer(sandbox(key).create_app(products=30, orders=8, rate_limit=False)) as srv:
        session = open_sandbox_session(key, srv.url, FAST[key])
        for sync in connector.syncs:
            samples[sync.key] = next(iter(session.sync(sync.key))).records[1]
        for trigger in connector.triggers:  # a trigger emits the records its sync reads
            samples[trigger.key] = next(samples[sync.key] for sync in connector.syncs
                                        if sync.record_schema is trigger.output_schema)
        for action in connector.actions:
            samples[action.key] = session.run(action.key, INPUTS[(key, action.key)])
    return samples


def main() -> None:
    root = Path(__file__).resolve().parent.parent
    for key in keys():
        for name, sample in record(key).items():
            path = root / key / "samples" / f"{name}.json"
            path.write_text(json.dumps(sample, ensure_ascii=False, indent=2) + "\n", "utf-8")
            print(f"wrote {path.relative_to(root)}")


if __name__ == "__main__":
    main()
