"""Figures for the HR report: funnel, score distribution, composition per quota field."""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.config import Quota
from scoring.record import STATUSES, Status


def funnel(table: pd.DataFrame) -> list[dict]:
    """Applicants per status, in the order of the pipeline; statuses nobody has are left out."""
    counts = table["status"].value_counts()
    return [{"status": s, "count": int(counts[s])} for s in STATUSES if s in counts]


def people(table: pd.DataFrame) -> list[dict]:
    """Who is in which status and why, status by status in the pipeline's order (for HR)."""
    columns = ["applicant_id", "name", "status", "reasons"]
    rows = table.reset_index()[columns]
    rows = rows.astype(object).where(rows.notna(), "").sort_values("applicant_id")
    by_status = {status: [dict(zip(columns, row, strict=True))
                          for row in group.itertuples(index=False, name=None)]
                 for status, group in rows.groupby("status", sort=False)}
    return [{"status": status, "people": by_status[status]}
            for status in STATUSES if status in by_status]


def decisions(decided: pd.DataFrame, table: pd.DataFrame, kinds: dict[str, str]) -> list[dict]:
    """HR's decisions that count, one per applicant, each with what it grants (for an
    accommodation) and where the applicant now stands; `kinds` names them in HR's words."""
    rows = []
    for applicant_id, row in decided.sort_values("decided_at").iterrows():
        granted = [kinds["extra_seconds"].format(seconds=f"{row['extra_seconds']:g}")
                   if pd.notna(row["extra_seconds"]) else "",
                   kinds["audio_only"] if row["audio_only"] is True else "",
                   kinds["deadline"].format(date=row["deadline"])
                   if pd.notna(row["deadline"]) else ""]
        rows.append({"applicant_id": applicant_id,
                     "name": table["name"].get(applicant_id, ""),
                     "decision": ", ".join([kinds[row["decision"]], *filter(None, granted)]),
                     "reason": "" if pd.isna(row["reason"]) else row["reason"],
                     "decided_by": row["decided_by"],
                     "decided_at": pd.Timestamp(row["decided_at"]).strftime("%Y-%m-%d"),
                     "status": table["status"].get(applicant_id)})
    return rows


def score_histogram(scores: pd.Series, bins: int = 10) -> list[dict]:
    """Counts of scores in equal bins over 0-100; the last bin includes 100."""
    values = scores.dropna().to_numpy(dtype=float)
    counts, edges = np.histogram(values, bins=bins, range=(0, 100))
    return [{"low": int(lo), "high": int(hi), "count": int(n)}
            for lo, hi, n in zip(edges[:-1], edges[1:], counts, strict=True)]


def composition(table: pd.DataFrame, pool: pd.Series, chosen_status: str,
                quotas: tuple[Quota, ...]) -> list[dict]:
    """Per quota field: the share of each value in the pool (a mask over `table`) and among
    the chosen, beside the quota's target for that value ("≥ 4", "2–30", "≤ 8").

    Aggregates only, so the sensitive fields appear as group shares, never per person.
    """
    eligible = table[pool]
    chosen = table[table["status"] == chosen_status]
    targets = {(q.field, q.value): target(q) for q in quotas}
    out = []
    for field in dict.fromkeys(q.field for q in quotas):
        pooled = eligible[field].fillna("—").value_counts()
        picked = chosen[field].fillna("—").value_counts()
        rows = [{"value": str(value),
                 "pool": int(pooled.get(value, 0)),
                 "pool_share": share(pooled.get(value, 0), pooled.sum()),
                 "chosen": int(picked.get(value, 0)),
                 "chosen_share": share(picked.get(value, 0), picked.sum()),
                 "target": targets.get((field, str(value)), "")}
                for value in sorted(pooled.index.union(picked.index), key=str)]
        out.append({"field": field, "rows": rows})
    return out


def target(quota: Quota) -> str:
    if quota.max is None:
        return f"≥ {quota.min}"
    return f"≤ {quota.max}" if quota.min == 0 else f"{quota.min}–{quota.max}"


def share(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def pairs(table: pd.DataFrame) -> list[dict]:
    """Per leader, the mentors (id and name, for HR) and the ranks they had on the leader's
    sheet."""
    matched = table[table["status"] == Status.MATCHED].reset_index()
    out = []
    for leader_id, group in matched.groupby("leader_id"):
        ranks = group["leader_rank"].dropna().astype(int)
        out.append({"leader_id": leader_id, "mentors": group[["applicant_id", "name", "reasons"]]
                    .to_dict("records"), "ranks": ", ".join(map(str, sorted(ranks))) or "—"})
    return out


def history(runs: pd.DataFrame, timezone: str) -> dict:
    """One row per stage run, oldest first, with its counts per status: the funnel over time,
    at the time of day where the programme runs."""
    counts = [c or {} for c in runs["counts"]]
    shown = [s for s in STATUSES if any(s in c for c in counts)]
    finished = pd.to_datetime(runs["finished_at"], utc=True).dt.tz_convert(timezone)
    when = finished.dt.strftime("%Y-%m-%d %H:%M").fillna("")
    rows = [{"when": w, "stage": stage, "status": status, "counts": [c.get(s, "") for s in shown]}
            for w, stage, status, c in zip(when, runs["stage"], runs["status"], counts,
                                           strict=True)]
    return {"statuses": shown, "rows": rows}
