"""Numbers, durations, moments and inline code as Brazilians read them (1.234; 98,5 %; 84 ms;
há 10 min)."""
from __future__ import annotations

import json
import re
from datetime import datetime

from ..db import utcnow

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


@web.app_template_filter("tempo_relativo")
def time_ago(value: datetime | None, empty: str = "nunca", now: datetime | None = None) -> str:
    """"há 10 min", "há 3 h", "há 2 dias"; older than a month: the date."""
    if value is None:
        return empty
    seconds = ((now or utcnow()) - value).total_seconds()
    if seconds < 60:
        return "agora mesmo"
    minutes, hours, days = int(seconds // 60), int(seconds // 3600), int(seconds // 86400)
    if minutes < 60:
        return f"há {minutes} min"
    if hours < 24:
        return f"há {hours} h"
    if days < 30:
        return f"há {days} dia" if days == 1 else f"há {days} dias"
    return value.astimezone(DISPLAY_ZONE).strftime("em %d/%m/%Y")


@web.app_template_filter("duracao")
def duration(seconds: float | None, empty: str = "—") -> str:
    """0,8 s; 42 s; 2 min 05 s; 1 h 02 min."""
    if seconds is None:
        return empty
    if seconds < 10:
        return f"{seconds:.1f} s".replace(".", ",")
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min {whole % 60:02d} s"
    return f"{whole // 3600} h {whole % 3600 // 60:02d} min"


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
