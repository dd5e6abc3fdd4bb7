import pandas as pd

from scoring.config import Quota
from scoring.report import composition


def test_the_composition_counts_the_pool_it_is_given_beside_each_quotas_target():
    table = pd.DataFrame({
        "status": ["shortlisted", "not_shortlisted", "video_rejected", "video_missing"],
        "staff_category": ["civilian", "operational", "civilian", "civilian"],
        "media": ["a.mp4", "b.mp4", None, None]})
    quotas = (Quota(field="staff_category", value="civilian", min=1),
              Quota(field="staff_category", value="operational", min=1, max=3))
    (field,) = composition(table, table["media"].notna(), "shortlisted", quotas)
    rows = {row["value"]: row for row in field["rows"]}
    assert {value: row["pool"] for value, row in rows.items()} == {"civilian": 1,
                                                                   "operational": 1}
    assert rows["civilian"]["chosen"] == 1 and rows["operational"]["chosen"] == 0
    assert rows["civilian"]["target"] == "≥ 1" and rows["operational"]["target"] == "1–3"
