"""Numbers, durations and inline code as Brazilians read them (1.234; 98,5 %; 84 ms)."""
from __future__ import annotations

import json
import re
from datetime import datetime

from markupsafe import Markup, escape

from .blueprint import DISPLAY_ZONE, web

_BACKTICKS = re.compile(r"`([^`]+)`")


@web.app_template_filter("numero")
def number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def count_of(value: int, singular: str, plural: str) -> str:
    return f"{number(value)} {singular if value == 1 else plural}"


@web.app_template_filter("porcentagem")
def percent(rate: float | None, empty: str = "—") -> str:
    if rate is None:
        return empty
    text = f"{rate * 100:.1f}".replace(".", ",").removesuffix(",0")
    return f"{text} %"


@web.app_template_filter("milissegundos")
def milliseconds(value: float | None) -> str:
    if value is None:
        return "—"
    if value >= 1000:
        return f"{value / 1000:.2f} s".replace(".", ",")
    return f"{value:.0f} ms"


@web.app_template_filter("datahora_segundos")
def datetime_with_seconds(value: datetime | None, empty: str = "—") -> str:
    if value is None:
        return empty
    return value.astimezone(DISPLAY_ZONE).strftime("%d/%m/%Y %H:%M:%S")


@web.app_template_filter("codigo")
def inline_code(text: str) -> Markup:
    """`name` in a description becomes <code>name</code>; everything else is escaped."""
    return Markup(_BACKTICKS.sub(lambda m: f"<code>{m.group(1)}</code>", str(escape(text))))


@web.app_template_filter("json_legivel")
def readable_json(body: str | None) -> str | None:
    """A JSON body indented for reading; anything else (or cut short) exactly as it is."""
    try:
        return json.dumps(json.loads(body), indent=2, ensure_ascii=False)
    except (TypeError, ValueError):
        return body


web.add_app_template_global(count_of, "contagem")
