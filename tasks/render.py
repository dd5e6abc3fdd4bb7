"""The one jinja2 environment: strict about missing variables, HTML autoescaped."""

from __future__ import annotations

import tomllib
from functools import cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from tasks.workspace import PROJECT

TEMPLATES = PROJECT / "templates"

environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html", "htm"], default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


@cache
def labels(locale: str) -> dict:
    with (TEMPLATES / locale / "labels.toml").open("rb") as handle:
        return tomllib.load(handle)


def render(template: str, /, **context: object) -> str:
    return environment.get_template(template).render(**context)


def reason_texts(locale: str) -> dict[str, str]:
    """The templates every reason is said with (scoring.reasons.say), in `locale`."""
    return labels(locale)["reason_texts"]
