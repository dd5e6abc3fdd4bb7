"""Applications as exported by the form: header mapping, value normalisation, live-row choice."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

# Contract field -> accepted headers (compared trimmed and case-insensitively).
HEADERS: dict[str, tuple[str, ...]] = {
    "applicant_id": ("applicant_id", "ansattnummer"),
    "name": ("name", "navn"),
    "email": ("email", "e-mail", "e-post", "epost"),
    "birth_date": ("birth_date", "fødselsdato"),
    "unit": ("unit", "enhet"),
    "position": ("position", "stilling"),
    "staff_category": ("staff_category", "kategori"),
    "education": ("education", "utdanning"),
    "gender": ("gender", "kjønn"),
    "immigrant_background": ("immigrant_background", "innvandrerbakgrunn"),
    "motivation": ("motivation", "motivasjon"),
    "consent": ("consent", "samtykke"),
    "submitted_at": ("submitted_at", "innsendt"),
}
FIELDS = tuple(HEADERS)
REQUIRED = ("applicant_id", "name", "email", "birth_date", "unit", "staff_category", "consent")
SOURCE = ("source_file", "source_row")

STAFF_CATEGORY = {"operational": "operational", "operativ": "operational", "politi": "operational",
                  "civilian": "civilian", "sivil": "civilian"}
YES_NO = {"yes": "yes", "ja": "yes", "no": "no", "nei": "no"}
BACKGROUND = {**YES_NO, "unknown": "unknown", "vil ikke oppgi": "unknown", "ukjent": "unknown",
              "prefer not to say": "unknown"}

EXCEL_EPOCH = pd.Timestamp("1899-12-30")


def header_map(headers: list[str], fields: dict[str, tuple[str, ...]] = HEADERS) -> dict[str, str]:
    """Map a sheet's own headers to contract fields; unknown headers are left out."""
    wanted = {alias: field for field, aliases in fields.items() for alias in aliases}
    mapping: dict[str, str] = {}
    for header in headers:
        field = wanted.get(str(header).strip().lower())
        if field and field not in mapping.values():
            mapping[header] = field
    return mapping


def clean_text(values: pd.Series) -> pd.Series:
    """Trimmed text with blanks as missing; whole numbers from spreadsheets lose their '.0'."""
    if pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):  # CSV: vectorised
        text = values.astype("string").str.strip()
        return text.mask(text == "")

    def one(value: object) -> object:
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return pd.NA
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, dt.datetime | dt.date):
            value = value.isoformat()
        text = str(value).strip()
        return text or pd.NA

    return values.map(one).astype("string")


def coerced(values: pd.Series, **how: object) -> pd.Series:
    """`pd.to_datetime` with anything unparseable, or outside the years pandas can hold (a cell
    saying '-1' parses as the year -1), as NaT."""
    parsed = pd.to_datetime(values, errors="coerce", **how)
    inside = parsed.notna() & (parsed.dt.year > 1677) & (parsed.dt.year < 2262)
    return parsed.where(inside).astype("datetime64[ns]")


def date_cells(values: pd.Series) -> pd.Series:
    """Spreadsheet date cells as timestamps; other cells, and dates no calendar here can hold
    (year 1, say), as NaT."""
    cells = values.map(lambda v: v if isinstance(v, dt.date) else None).astype(object)
    return coerced(cells)


def parse_dates(values: pd.Series) -> pd.Series:
    """Dates as `YYYY-MM-DD`, `DD.MM.YYYY`, Excel date cells or Excel serial numbers; else NaT."""
    text = clean_text(values).str.replace(r"[ T]00:00(:00)?$", "", regex=True)
    parsed = date_cells(values)
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        parsed = parsed.fillna(coerced(text, format=fmt))
    serial = pd.to_numeric(text.where(text.str.fullmatch(r"\d{4,5}", na=False)), errors="coerce")
    parsed = parsed.fillna(EXCEL_EPOCH + pd.to_timedelta(serial, unit="D"))
    return parsed.dt.normalize()


def parse_timestamps(values: pd.Series) -> pd.Series:
    """Submission timestamps in ISO or Norwegian form, or Excel cells; unparseable -> NaT."""
    text = clean_text(values)
    parsed = date_cells(values)
    for fmt in ("ISO8601", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y"):
        parsed = parsed.fillna(coerced(text, format=fmt))
    return parsed


def normalise_choice(values: pd.Series, choices: dict[str, str]) -> pd.Series:
    """Known spellings become the contract value; anything else stays (lowercased) to be flagged."""
    text = clean_text(values).str.lower()
    return text.map(lambda v: choices.get(v, v) if isinstance(v, str) else pd.NA).astype("string")


def normalise(raw: pd.DataFrame) -> pd.DataFrame:
    """Raw rows (contract fields + source columns, any cell types) -> typed, comparable values."""
    out = pd.DataFrame(index=raw.index)
    for field in FIELDS:
        column = raw[field] if field in raw else pd.Series(pd.NA, index=raw.index, dtype=object)
        if field == "birth_date":
            out[field] = parse_dates(column)
            out["birth_date_text"] = clean_text(column)
        elif field == "submitted_at":
            out[field] = parse_timestamps(column)
        elif field == "staff_category":
            out[field] = normalise_choice(column, STAFF_CATEGORY)
        elif field == "immigrant_background":
            out[field] = normalise_choice(column, BACKGROUND).fillna("unknown")
        elif field == "consent":
            out[field] = normalise_choice(column, YES_NO)
        elif field == "email":
            out[field] = clean_text(column).str.lower()
        else:
            out[field] = clean_text(column)
    out["source_file"] = raw["source_file"].astype("string")
    out["source_row"] = raw["source_row"].astype("int64")
    return out


def mark_latest(apps: pd.DataFrame) -> pd.DataFrame:
    """Per applicant id, the row with the latest `submitted_at` is live; the others point to it.

    Ties and missing timestamps fall back to input order (later file, later row wins), so the
    outcome never depends on sort stability. Rows without an id are left to the gate.
    """
    order = apps.sort_values(["submitted_at", "source_file", "source_row"], na_position="first",
                             kind="stable")
    with_id = order[order["applicant_id"].notna()]
    latest_index = with_id.groupby("applicant_id", sort=False).tail(1)
    where = latest_index["source_file"] + " row " + latest_index["source_row"].astype("string")
    live_place = pd.Series(where.to_numpy(), index=latest_index["applicant_id"].to_numpy())
    out = apps.copy()
    out["is_latest"] = ~apps.index.isin(with_id.index) | apps.index.isin(latest_index.index)
    out["superseded_by"] = apps["applicant_id"].map(live_place).where(~out["is_latest"])
    return out
