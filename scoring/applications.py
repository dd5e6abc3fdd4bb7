"""Applications as exported by the form: header mapping, value normalisation, live-row choice."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable

import numpy as np
import pandas as pd

from scoring.reasons import Words, say
from scoring.record import APPLICATION, HEADERS

EXCEL_EPOCH = pd.Timestamp("1899-12-30")
EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
Reason = Callable[[pd.DataFrame, Words], pd.Series]


def _plain(key: str) -> Reason:
    return lambda rows, words: say(words, key, rows.index)


def _quoting(key: str, column: str) -> Reason:
    return lambda rows, words: say(words, key, rows.index,
                                   value=rows[column].astype("string").fillna(""))


# The reason an application row gets for each rule of the applications gate it fails (the
# gate's expectations carry the rule's key in `meta.rule`).
APPLICATION_REASONS: dict[str, Reason] = {
    "id_missing": _plain("id_missing"),
    "name_missing": _plain("name_missing"),
    "unit_missing": _plain("unit_missing"),
    "email_missing": _plain("email_missing"),
    "email_invalid": _quoting("email_invalid", "email"),
    "birth_date_invalid": lambda rows, words: _quoting("birth_date_invalid", "birth_date_text")(
        rows, words).where(rows["birth_date_text"].notna(),
                           words["birth_date_missing"]),
    "birth_date_implausible": lambda rows, words: say(
        words, "birth_date_implausible", rows.index,
        value=rows["birth_date"].dt.strftime("%Y-%m-%d")),
    "category_missing": _plain("category_missing"),
    "staff_category_unknown": _quoting("staff_category_unknown", "staff_category"),
    "immigrant_background_unknown": _quoting("immigrant_background_unknown",
                                             "immigrant_background"),
    "consent_unknown": _quoting("consent_unknown", "consent"),
    "superseded": lambda rows, words: say(words, "superseded", rows.index,
                                          file=rows["superseded_file"],
                                          row=rows["superseded_row"]),
}


# The field each reason of the applications gate is about: what a quarantined applicant fixes.
REASON_FIELDS = {
    "id_missing": "applicant_id", "name_missing": "name", "unit_missing": "unit",
    "email_missing": "email", "email_invalid": "email", "birth_date_missing": "birth_date",
    "birth_date_invalid": "birth_date", "birth_date_implausible": "birth_date",
    "category_missing": "staff_category", "staff_category_unknown": "staff_category",
    "immigrant_background_unknown": "immigrant_background", "consent_unknown": "consent",
}


def columns_for(headers: list[str],
                fields: dict[str, tuple[str, ...]] = HEADERS) -> dict[str, list[str]]:
    """Per contract field, the sheet's headers that can hold it, in the sheet's order."""
    wanted = {alias: field for field, aliases in fields.items() for alias in aliases}
    candidates: dict[str, list[str]] = {}
    for header in headers:
        if field := wanted.get(str(header).strip().lower()):
            candidates.setdefault(field, []).append(header)
    return candidates


def header_map(headers: list[str], fields: dict[str, tuple[str, ...]] = HEADERS) -> dict[str, str]:
    """Map a sheet's own headers to contract fields, the first header of each field;
    unknown headers are left out."""
    return {named[0]: field for field, named in columns_for(headers, fields).items()}


def best_columns(cells: pd.DataFrame,
                 fields: dict[str, tuple[str, ...]] = HEADERS) -> dict[str, str]:
    """Map a sheet's columns to contract fields, like `header_map`; where two columns can hold
    one field (an anonymous Microsoft Forms export has its own blank "Name" and an "Email" of
    "anonymous" before the form's "Navn" and "E-post"), the one with more values that fit wins,
    the first on a tie."""
    def fit(field: str, header: str) -> int:
        values = clean_text(cells[header])
        return int(values.str.match(EMAIL).sum() if field == "email" else values.notna().sum())

    def best(field: str, named: list[str]) -> str:  # a column alone wins unread
        return named[0] if len(named) == 1 else max(named, key=lambda h: fit(field, h))

    return {best(field, named): field
            for field, named in columns_for(list(cells.columns), fields).items()}


def passed_over(cells: pd.DataFrame, mapping: dict[str, str],
                fields: dict[str, tuple[str, ...]] = HEADERS) -> dict[str, list[str]]:
    """Per field that two columns could hold, the columns `mapping` (from `best_columns`) did
    not read it from: what HR should know was left unread."""
    chosen = {field: header for header, field in mapping.items()}
    return {field: [header for header in named if header != chosen[field]]
            for field, named in columns_for(list(cells.columns), fields).items()
            if len(named) > 1}


def has_control(raw: pd.DataFrame) -> pd.Series:
    """Rows with a cell that holds a control character, which reading removes. A column is
    searched row by row only when the whole of it, searched at once, holds one."""
    found = pd.Series(False, index=raw.index)
    for name in raw.columns:
        text = raw[name].dropna().astype(str).tolist()
        if re.search(CONTROL, "".join(text)):
            found |= raw[name].astype("string").str.contains(CONTROL, regex=True, na=False)
    return found


MONTH_FIRST = r"(\d{1,2})/(\d{1,2})/\d{4}"


def month_first(texts: pd.Series) -> str | None:
    """An example when a column of dates is written month first (M/D/YYYY, as American
    settings write it): most dates in that form and some with a day past 12 second."""
    written = texts.dropna()
    parts = written.str.fullmatch(MONTH_FIRST)
    if not len(written) or parts.mean() < 0.5:
        return None
    days = written[parts].str.extract(MONTH_FIRST)[1].astype(int)
    return str(written[parts][days > 12].iloc[0]) if (days > 12).any() else None


CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"  # invisible, and refused by stores and mail
COMBINING = "[\u0300-\u036f]"  # a decomposed å or ø (as macOS writes names) holds one of these


def some_cell(pattern: re.Pattern[str], values: pd.Series) -> bool:
    """Whether `pattern` matches in a text cell of `values`, searched at once in all of them,
    each set between NULs, which a pattern can anchor on: a column is gone through cell by
    cell only when this finds something, which is rare."""
    texts = [value for value in values.dropna().tolist() if isinstance(value, str)]
    return pattern.search("\x00" + "\x00".join(texts) + "\x00") is not None


def clean_text(values: pd.Series) -> pd.Series:
    """Trimmed text in NFC with blanks as missing and control characters (a NUL, a vertical
    tab) removed; whole numbers from spreadsheets lose their '.0'."""
    if pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):  # CSV: vectorised
        text = values.astype("string")
        whole = "".join(text.dropna().tolist())  # searched at once: both are rare
        if re.search(CONTROL, whole):
            text = text.str.replace(CONTROL, "", regex=True)
        text = text.str.strip()
        if re.search(COMBINING, whole):  # normalise only the rows that need it
            decomposed = text.str.contains(COMBINING, regex=True, na=False)
            text = text.mask(decomposed, text[decomposed].str.normalize("NFC"))
        return text.mask(text == "")

    def one(value: object) -> object:
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return pd.NA
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, dt.datetime | dt.date):
            value = value.isoformat()
        text = unicodedata.normalize("NFC", re.sub(CONTROL, "", str(value))).strip()
        return text or pd.NA

    return values.map(one).astype("string")


def coerced(values: pd.Series, format: str | None = None) -> pd.Series:
    """`pd.to_datetime` with anything unparseable, or outside the years pandas can hold (a cell
    saying '-1' parses as the year -1), as NaT."""
    parsed = pd.to_datetime(values, errors="coerce", format=format)
    inside = parsed.notna() & (parsed.dt.year > 1677) & (parsed.dt.year < 2262)
    return parsed.where(inside).astype("datetime64[ns]")


def date_cells(values: pd.Series) -> pd.Series:
    """Spreadsheet date cells as timestamps; other cells, and dates no calendar here can hold
    (year 1, say), as NaT."""
    cells = values.map(lambda v: v if isinstance(v, dt.date) else None).astype(object)
    return coerced(cells)


def fill_by_format(parsed: pd.Series, text: pd.Series, formats: tuple[str, ...]) -> pd.Series:
    """`parsed` with its gaps filled from `text` by the one of `formats` each value is written
    in. No value fits two of them, so they are tried in the order a sample of the column fits
    them, each on the values still unparsed: a column written in one way is parsed once, not
    once per format it is not written in."""
    sample = text.dropna().head(100)
    for fmt in sorted(formats, key=lambda fmt: -coerced(sample, format=fmt).count()):
        todo = parsed.isna() & text.notna()
        if not todo.any():
            break
        parsed = parsed.fillna(coerced(text[todo], format=fmt))
    return parsed


def parse_dates(values: pd.Series) -> pd.Series:
    """Dates as `YYYY-MM-DD`, `DD.MM.YYYY`, Excel date cells or Excel serial numbers; else NaT."""
    text = clean_text(values).str.replace(r"[ T]00:00(:00)?$", "", regex=True)
    parsed = fill_by_format(date_cells(values), text, ("%Y-%m-%d", "%d.%m.%Y"))
    serial = pd.to_numeric(text.where(text.str.fullmatch(r"\d{4,5}", na=False)), errors="coerce")
    parsed = parsed.fillna(EXCEL_EPOCH + pd.to_timedelta(serial, unit="D"))
    return parsed.dt.normalize()


def parse_timestamps(values: pd.Series) -> pd.Series:
    """Submission timestamps in ISO or Norwegian form, or Excel cells; unparseable -> NaT."""
    return fill_by_format(date_cells(values), clean_text(values),
                          ("ISO8601", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y"))


def normalise_choice(values: pd.Series, choices: dict[str, str]) -> pd.Series:
    """Known spellings become the contract value; anything else stays (lowercased) to be flagged."""
    text = clean_text(values).str.lower()
    return text.map(lambda v: choices.get(v, v) if isinstance(v, str) else pd.NA).astype("string")


def column_of(raw: pd.DataFrame, name: str) -> pd.Series:
    """An optional column, or blanks when the sheet has none."""
    return raw[name] if name in raw else pd.Series(pd.NA, index=raw.index, dtype=object)


def normalise(raw: pd.DataFrame) -> pd.DataFrame:
    """Raw rows (contract fields + source columns, any cell types) -> typed, comparable values."""
    out = pd.DataFrame(index=raw.index)
    for field in APPLICATION:
        name = field.name
        column = column_of(raw, name)
        if field.kind == "date":
            out[name] = parse_dates(column)
            out[f"{name}_text"] = clean_text(column)
        elif field.kind == "timestamp":
            out[name] = parse_timestamps(column)
        elif field.kind == "choice":
            out[name] = normalise_choice(column, field.choices)
        elif name == "email":
            out[name] = clean_text(column).str.lower()
        else:
            out[name] = clean_text(column)
    out["immigrant_background"] = out["immigrant_background"].fillna("unknown")
    out["source_file"] = raw["source_file"].astype("string")
    out["source_row"] = raw["source_row"].astype("int64")
    return out


def mark_latest(apps: pd.DataFrame) -> pd.DataFrame:
    """Per applicant id, the row with the latest `submitted_at` is live; the others point to it
    (`superseded_file`, `superseded_row`).

    Ties and missing timestamps fall back to input order (later file, later row wins), so the
    outcome never depends on sort stability. Rows without an id are left to the gate.
    """
    order = apps.sort_values(["submitted_at", "source_file", "source_row"], na_position="first",
                             kind="stable")
    with_id = order[order["applicant_id"].notna()]
    latest_index = with_id.groupby("applicant_id", sort=False).tail(1)
    live_place = latest_index.set_index("applicant_id")[["source_file", "source_row"]]
    out = apps.copy()
    out["is_latest"] = ~apps.index.isin(with_id.index) | apps.index.isin(latest_index.index)
    superseded = ~out["is_latest"]
    out["superseded_file"] = apps["applicant_id"].map(live_place["source_file"]).where(superseded)
    out["superseded_row"] = apps["applicant_id"].map(live_place["source_row"]).where(
        superseded).astype("Int64")
    return out
