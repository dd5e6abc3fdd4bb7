"""Gate 1 through real Great Expectations: row failures become reasons, table failures stop."""

import re

import pandas as pd
import pytest

from factories import application_row, program
from scoring.applications import mark_latest, normalise
from scoring.errors import StageStopped
from tasks.gates import gate_applications, write_data_docs


@pytest.fixture
def gated(tmp_path):
    def run(rows: list[dict]) -> pd.DataFrame:
        raw = pd.DataFrame(rows).assign(source_file="a.csv", source_row=range(2, len(rows) + 2))
        try:
            apps, _ = gate_applications.fn(mark_latest(normalise(raw)), program(), tmp_path / "gx")
        finally:  # as the stage does at its end
            write_data_docs(tmp_path / "gx")
        return apps
    return run


def test_each_bad_row_gets_a_readable_reason_and_good_rows_none(gated):
    rows = [application_row(i) for i in range(20)]
    rows[1]["email"] = "ola(at)x.no"
    rows[2]["birth_date"] = "31.02.2000"
    rows[3]["staff_category"] = "ekstern"
    rows[4]["applicant_id"] = ""
    rows[5]["birth_date"] = "2091-01-01"
    apps = gated(rows)
    assert apps.loc[1, "reasons"] == "«ola(at)x.no» er ikke en e-postadresse"
    assert apps.loc[2, "reasons"] == ("fødselsdatoen «31.02.2000» er ikke en dato "
                                      "(ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ)")
    assert apps.loc[3, "reasons"] == "stillingskategorien «ekstern» er verken politi eller sivil"
    assert apps.loc[4, "reasons"] == "søker-ID mangler"
    assert "er umulig" in apps.loc[5, "reasons"]
    assert (apps.loc[6:, "reasons"] == "").all()


def test_a_row_with_several_problems_lists_them_all(gated):
    rows = [application_row(i) for i in range(10)]
    rows[0].update(email="", consent="kanskje")
    assert gated(rows).loc[0, "reasons"] == ("e-postadresse mangler; "
                                             "samtykke «kanskje» er ikke ja eller nei")


def test_too_many_bad_rows_stop_the_stage_and_the_run_is_there_to_read(gated, tmp_path):
    rows = [application_row(i, email="broken") for i in range(10)]
    with pytest.raises(StageStopped, match=r"10 of 10 application rows \(100%\) failed"):
        gated(rows)
    assert "validations/applications/" in (tmp_path / "gx" / "index.html").read_text()


def test_every_gate_run_stays_in_the_data_docs_newest_first(gated, tmp_path):
    gated([application_row(i) for i in range(5)])
    gated([{**application_row(0), "email": "not an address"}, *map(application_row, range(1, 5))])
    runs = sorted((tmp_path / "gx" / "validations" / "applications").rglob("*.html"))
    assert len(runs) == 2
    index = (tmp_path / "gx" / "index.html").read_text()
    listed = re.findall(r'<a href="(validations/applications/[^"]+)">applications</a>', index)
    assert listed == [str(run.relative_to(tmp_path / "gx")) for run in reversed(runs)]


def test_data_docs_load_nothing_from_outside_the_workspace(gated, tmp_path):
    gated([application_row(i) for i in range(5)])
    for page in (tmp_path / "gx").rglob("*.html"):
        html = page.read_text()
        assert not re.search(r'<(?:script|img)[^>]*src="https?:|<link[^>]*href="https?:'
                             r"|url\('?https?:", html), page
        assert "<style>" in html  # its own styles stay
