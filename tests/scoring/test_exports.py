import pandas as pd
import pytest

from scoring.exports import safe_cells


@pytest.mark.parametrize("payload", ['=HYPERLINK("http://x","klikk")', "+47 1234", "-2+3",
                                     "@SUM(A1)", "\t=1+1"])
def test_cells_a_spreadsheet_would_run_as_formulas_become_text(payload):
    out = safe_cells(pd.DataFrame({"name": [payload]}))
    assert out.loc[0, "name"] == "'" + payload


def test_ordinary_text_and_numbers_are_left_alone():
    out = safe_cells(pd.DataFrame({"name": ["Åse Næss"], "score": [-1.5]}))
    assert out.loc[0, "name"] == "Åse Næss"
    assert out.loc[0, "score"] == -1.5
