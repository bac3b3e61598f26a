"""Each operation ships one recorded sample (`<connector>/samples/<key>.json`): the recipe
builder's data picker and the Zapier/Make generators show it; the contract suite checks it
against the output schema."""
from __future__ import annotations

import json
from importlib import resources


def load_sample(package: str, key: str) -> dict:
    text = resources.files(package).joinpath("samples", f"{key}.json").read_text("utf-8")
    return json.loads(text)
