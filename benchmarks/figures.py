"""How every benchmark prints its figures: one JSON line for machines, then a table for people
(Markdown, to paste into RESULTS.md)."""

from __future__ import annotations

import json


def rows(figures: dict, prefix: str = "") -> list[tuple[str, object]]:
    """(name, value) pairs, nested dicts as dotted names."""
    out: list[tuple[str, object]] = []
    for name, value in figures.items():
        if isinstance(value, dict):
            out += rows(value, f"{prefix}{name}.")
        else:
            out.append((f"{prefix}{name}", value))
    return out


def report(figures: dict) -> None:
    print(json.dumps(figures))
    print("\n| figure | value |\n|---|---:|")
    for name, value in rows(figures):
        print(f"| {name} | {value:,} |" if isinstance(value, int | float) else
              f"| {name} | {value} |")
