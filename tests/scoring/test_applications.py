import datetime as dt
import unicodedata

import pandas as pd

from scoring.applications import clean_text, header_map, mark_latest, normalise


def raw(**columns) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    return pd.DataFrame(columns).assign(source_file="a.csv", source_row=range(2, n + 2))


def test_norwegian_and_english_headers_map_case_and_space_insensitively():
    mapping = header_map([" Ansattnummer", "E-POST", "fødselsdato", "Kategori", "unknown"])
    assert mapping == {" Ansattnummer": "applicant_id", "E-POST": "email",
                       "fødselsdato": "birth_date", "Kategori": "staff_category"}


def test_dates_in_every_accepted_form_parse_and_impossible_ones_do_not():
    apps = normalise(raw(birth_date=["1990-05-17", "17.05.1990", dt.datetime(1990, 5, 17),
                                     "31.02.2000", "17/05/1990", None]))
    parsed = apps["birth_date"]
    assert list(parsed[:3]) == [pd.Timestamp("1990-05-17")] * 3
    assert parsed[3:].isna().all()


def test_norwegian_values_become_the_contract_values():
    apps = normalise(raw(staff_category=["Politi", " sivil ", "ekstern"],
                         consent=["Ja", "nei", ""],
                         immigrant_background=["ja", "Vil ikke oppgi", None]))
    assert list(apps["staff_category"]) == ["operational", "civilian", "ekstern"]
    assert list(apps["consent"].fillna("-")) == ["yes", "no", "-"]
    assert list(apps["immigrant_background"]) == ["yes", "unknown", "unknown"]


def test_spreadsheet_numbers_keep_ids_as_text():
    assert list(normalise(raw(applicant_id=[12345.0, "A7"]))["applicant_id"]) == ["12345", "A7"]


def test_the_latest_submission_of_an_id_is_live_and_the_earlier_points_to_it():
    apps = mark_latest(normalise(raw(
        applicant_id=["A1", "A1", "A2"],
        submitted_at=["2025-02-10 10:00", "01.02.2025 09:00", "2025-02-01T08:00:00"])))
    assert list(apps["is_latest"]) == [True, False, True]
    assert (apps.loc[1, "superseded_file"], apps.loc[1, "superseded_row"]) == ("a.csv", 2)


def test_names_are_kept_in_one_unicode_form_whichever_way_they_were_typed():
    typed = pd.Series([unicodedata.normalize("NFD", "Åse Ødegård"), "Åse Ødegård"])
    assert clean_text(typed).tolist() == ["Åse Ødegård", "Åse Ødegård"]
    cells = pd.Series([unicodedata.normalize("NFD", "Åse"), 5.0], dtype=object)  # XLSX cells
    assert clean_text(cells).tolist() == ["Åse", "5"]
