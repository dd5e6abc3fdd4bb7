"""A synthetic programme for the demo and the benchmarks: deterministic, realistic, a bit broken.

Applications come as a Norwegian form export (CSV, `;`, UTF-8 with BOM, DD.MM.YYYY) and an
English XLSX with Excel date cells; three reviewers send a sheet each, or, for the demo, a panel
of four is given its applicants and fills in the sheets it is sent. A few rows are broken on
purpose, as real exports are.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import zlib
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd

from scoring.scorecard import REVIEW_HEADERS
from tasks.workspace import Workspace, init_workspace

FIRST = ("Åse", "Bjørn", "Kåre", "Sølvi", "Ørjan", "Ingrid", "Jonas", "Sofie", "Mathias", "Nora",
         "Håkon", "Emma", "Sindre", "Ida", "Even", "Marte", "Tobias", "Thea", "Øystein", "Maja",
         "Amir", "Fatima", "Linh", "Olena", "Ahmed", "Priya", "Tomasz", "Hodan")
LAST = ("Sæther", "Løvås", "Bråten", "Næss", "Østby", "Haugen", "Hansen", "Ødegård", "Solberg",
        "Bakke", "Kristiansen", "Aas", "Strøm", "Dahl", "Lie", "Berg", "Hussain", "Nguyen",
        "Kowalski", "Ali", "Haile", "Kaur")
UNITS = ("Oslo politidistrikt", "Øst politidistrikt", "Vest politidistrikt", "Trøndelag "
         "politidistrikt", "Kripos", "Økokrim", "Politiets IT-enhet", "Politidirektoratet")
POSITIONS = ("politibetjent", "etterforsker", "rådgiver", "seniorrådgiver", "utvikler",
             "dataanalytiker", "jurist", "operasjonsleder")
EDUCATION = ("bachelor i politiutdanning", "master i informatikk", "bachelor i økonomi",
             "master i rettsvitenskap", "fagbrev IKT", "master i statsvitenskap")
MOTIVATION = ("Jeg vil bidra til at ledelsen forstår hva skytjenester og KI betyr for oss.",
              "Digital etterforskning er hverdagen min, og jeg vil dele det jeg ser.",
              "Jeg ønsker å lære hvordan toppledere prioriterer, og å vise hva unge forventer.",
              "Som utvikler ser jeg hvordan små digitale grep kan spare mye tid i etaten.")
ASCII: dict[str, int | str | None] = {"æ": "ae", "ø": "o", "å": "a"}  # for e-mail addresses
NB_HEADERS = {"applicant_id": "Ansattnummer", "name": "Navn", "email": "E-post",
              "birth_date": "Fødselsdato", "unit": "Enhet", "position": "Stilling",
              "staff_category": "Kategori", "education": "Utdanning", "gender": "Kjønn",
              "immigrant_background": "Innvandrerbakgrunn", "motivation": "Motivasjon",
              "consent": "Samtykke", "submitted_at": "Innsendt"}
REVIEWERS = ("kari.vurderer", "per.vurderer", "lise.vurderer")
PANEL = "".join(f"""
[[reviewers]]
id = "{first.lower()}"
name = "{first} Vurderer"
email = "{first.lower()}.vurderer@example.no"
unit = "{unit}"
""" for first, unit in (("Kari", "Oslo politidistrikt"), ("Per", "Kripos"), ("Lise", "Økokrim"),
                        ("Ola", "Politiets IT-enhet")))
CRITERIA = ("motivation", "digital", "communication")
REFERENCE = dt.date(2025, 3, 1)


def applications(n: int, seed: int) -> pd.DataFrame:
    """n applications in contract fields, Norwegian values, birth dates around the age limit."""
    rng = np.random.default_rng(seed)
    ids = np.char.add("P", np.char.zfill((100000 + np.arange(n)).astype(str), 6))
    first = rng.choice(FIRST, n)
    last = rng.choice(LAST, n)
    cutoff = pd.Timestamp(REFERENCE) - pd.DateOffset(years=35)
    birth = cutoff + pd.to_timedelta(rng.normal(365 * 2.5, 365 * 3.5, n).round(), unit="D")
    submitted = (pd.Timestamp("2025-02-01 08:00")
                 + pd.to_timedelta(rng.integers(0, 27 * 24 * 60, n), unit="min"))
    slug = pd.Series(np.char.add(np.char.add(first, "."), last)).str.lower()
    slug = slug.str.translate(str.maketrans(ASCII))
    return pd.DataFrame({
        "applicant_id": ids,
        "name": np.char.add(np.char.add(first, " "), last),
        "email": slug + "." + pd.Series(np.arange(n)).astype(str) + "@politiet.example.no",
        "birth_date": birth,
        "unit": rng.choice(UNITS, n),
        "position": rng.choice(POSITIONS, n),
        "staff_category": rng.choice(["politi", "sivil"], n, p=[0.55, 0.45]),
        "education": rng.choice(EDUCATION, n),
        "gender": rng.choice(["kvinne", "mann"], n),
        "immigrant_background": rng.choice(["nei", "ja", "vil ikke oppgi"], n,
                                           p=[0.75, 0.15, 0.10]),
        "motivation": rng.choice(MOTIVATION, n),
        "consent": rng.choice(["ja", "nei"], n, p=[0.96, 0.04]),
        "submitted_at": submitted,
    })


def reviews(ids: pd.Series, seed: int) -> dict[str, pd.DataFrame]:
    """One sheet per reviewer: each reviews most applicants, so some have too few reviews."""
    rng = np.random.default_rng(seed + 1)
    quality = pd.Series(rng.normal(3.2, 0.9, len(ids)), index=ids.to_numpy())
    sheets = {}
    for reviewer in REVIEWERS:
        seen = ids[rng.random(len(ids)) < 0.8].to_numpy()
        noise = rng.normal(0, 0.45, (len(seen), len(CRITERIA)))
        grades = quality[seen].to_numpy()[:, None] + noise
        grades = np.clip(np.rint(grades), 1, 5).astype(int)
        sheet = pd.DataFrame(grades, columns=list(CRITERIA)).astype(object)
        sheet.insert(0, "reviewer", reviewer)
        sheet.insert(0, "applicant_id", seen)
        sheet["comment"] = ""
        sheets[reviewer] = sheet
    return sheets


def break_some(apps: pd.DataFrame, sheets: dict[str, pd.DataFrame]) -> None:
    """The mistakes real exports have, each one a row HR will find in the quarantine."""
    apps["birth_date"] = apps["birth_date"].astype(object)
    apps.loc[1, "applicant_id"] = None
    apps.loc[2, "email"] = "ola.nordmann(at)politiet.example.no"
    apps.loc[3, "birth_date"] = "31.02.1995"
    apps.loc[4, "staff_category"] = "ekstern"
    correction = apps.loc[[5]].assign(submitted_at=apps["submitted_at"].iloc[5]
                                      + pd.Timedelta(days=2), motivation="Rettet søknad.")
    apps.loc[len(apps)] = correction.iloc[0]
    apps.loc[6, "birth_date"] = pd.Timestamp(REFERENCE) - pd.DateOffset(years=35)  # 35 today
    apps.loc[7, "birth_date"] = pd.Timestamp("1992-02-29")  # leap-day birthday
    first = sheets[REVIEWERS[0]]
    first.loc[0, "digital"] = "fire"
    first.loc[1, "motivation"] = 6
    first.loc[2, "communication"] = 0
    first.loc[3, "communication"] = None  # not scored: an incomplete review
    first.loc[len(first)] = pd.Series(["P999999", REVIEWERS[0], 3, 3, 3, "søker finnes ikke"],
                                      index=first.columns)


def as_norwegian_csv(apps: pd.DataFrame) -> bytes:
    out = apps.copy()
    for column in ("birth_date",):
        out[column] = out[column].map(
            lambda v: v.strftime("%d.%m.%Y") if isinstance(v, pd.Timestamp) else v)
    out["submitted_at"] = out["submitted_at"].dt.strftime("%d.%m.%Y %H:%M")
    return out.rename(columns=NB_HEADERS).to_csv(sep=";", index=False).encode("utf-8-sig")


def as_english_xlsx(apps: pd.DataFrame, path: Path) -> None:
    english = {"politi": "operational", "sivil": "civilian", "ja": "yes", "nei": "no",
               "vil ikke oppgi": "unknown"}
    out = apps.replace(english)
    out["birth_date"] = pd.to_datetime(out["birth_date"]).dt.date
    out.to_excel(path, index=False, engine="openpyxl")


def write_programme(root: Path, applicants: int = 200, seed: int = 2025,
                    xlsx_share: float = 0.25, panel: bool = False) -> Workspace:
    """A workspace with the example config, application exports and three reviewer sheets,
    or, with `panel`, a review panel in program.toml and no sheets yet (see
    `return_review_sheets`). The dates letters state from then on are ahead of today: the
    leaders' reply deadline in three weeks, the deletion of the videos in a year."""
    ws = init_workspace(root)
    config = ws.program_file.read_text(encoding="utf-8")
    for key, days in (("reply_deadline", 21), ("delete_after", 365)):
        day = dt.date.today() + dt.timedelta(days=days)
        config = re.sub(rf"{key} = \S+", f"{key} = {day}", config)
    ws.program_file.write_text(config + (PANEL if panel else ""), encoding="utf-8")
    apps = applications(applicants, seed)
    sheets = reviews(apps["applicant_id"], seed)
    if applicants >= 20:
        break_some(apps, sheets)
    split = int(len(apps) * (1 - xlsx_share))
    (ws.inbox("applications") / "skjema-eksport.csv").write_bytes(as_norwegian_csv(apps[:split]))
    if split < len(apps):
        as_english_xlsx(apps[split:], ws.inbox("applications") / "sene-soknader.xlsx")
    for reviewer, sheet in sheets.items():
        if not panel:
            sheet.to_csv(ws.inbox("reviews") / f"vurdering-{reviewer}.csv", index=False)
    return ws


def return_review_sheets(ws: Workspace, seed: int = 2025, behind: int = 5) -> None:
    """The panel's sheets (`mentoring assign` wrote them) come back graded, each grade around
    the application's own quality; the last reviewer has not yet done their last `behind`."""
    sheets = sorted((ws.folder("panel") / "intake").glob("*.xlsx"))
    for n, path in enumerate(sheets):
        book = openpyxl.load_workbook(path)
        sheet = book.worksheets[0]
        headers = [str(cell.value).lower() for cell in sheet[2]]
        first = next(i for i, h in enumerate(headers) if h in REVIEW_HEADERS["reviewer"]) + 1
        rows = list(sheet.iter_rows(min_row=3))
        for row in rows[:-behind] if n == len(sheets) - 1 else rows:
            applicant = zlib.crc32(str(row[0].value).encode())
            quality = np.random.default_rng([seed, applicant]).normal(3.2, 0.9)
            noise = np.random.default_rng([seed, applicant, n]).normal(0, 0.45, len(CRITERIA))
            for cell, grade in zip(row[first:first + len(CRITERIA)], quality + noise,
                                   strict=True):
                cell.value = int(np.clip(np.rint(grade), 1, 5))
        book.save(ws.inbox("reviews") / path.name)


def make_clip(path: Path, seconds: float, size: str = "320x240", rate: int = 10,
              picture: str | None = "testsrc2", audio: str | None = "sine",
              rotate: int | None = None, tone: int = 440) -> Path:
    """A small generated video from ffmpeg's lavfi sources: a moving test picture (or black, or a
    frozen frame, or none) and a tone (or digital silence, or no sound track)."""
    sources = {
        "testsrc2": f"testsrc2=size={size}:rate={rate}:duration={seconds}",
        "black": f"color=c=black:size={size}:rate={rate}:duration={seconds}",
        "frozen": (f"testsrc2=size={size}:rate={rate}:duration=0.2,"
                   f"tpad=stop_mode=clone:stop_duration={seconds}"),
    }
    sounds = {"sine": f"sine=frequency={tone}:sample_rate=44100:duration={seconds}",
              "silent": "anullsrc=r=44100:cl=mono"}
    command = ["ffmpeg", "-v", "error", "-y"]
    if picture:
        command += ["-f", "lavfi", "-i", sources[picture]]
    if audio:
        command += ["-f", "lavfi", "-i", sounds[audio]]
    command += ["-t", str(seconds)]
    if picture:
        command += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
    if audio:
        command += ["-c:a", "aac"]
    target = path.with_name(f".{path.stem}.raw.mp4") if rotate is not None else path
    subprocess.run([*command, "-movflags", "+faststart", "-f", "mp4", str(target)], check=True)
    if rotate is not None:
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(target), "-c", "copy",
                        "-metadata:s:v:0", f"rotate={rotate}", "-f", "mp4", str(path)],
                       check=True)
        target.unlink()
    return path


DEMO_SUBMITTED = dt.datetime(2025, 3, 20, 12, 0).timestamp()
# The example's deadline has passed, so the invitations give `grace_days` from the day they are
# sent: a video that is late whenever the demo runs arrives a month after that.
DEMO_LATE = (dt.datetime.now() + dt.timedelta(days=30)).timestamp()


def log_withdrawal(ws: Workspace, applicant_id: str, why: str) -> None:
    """A row added to HR's decisions log, kept as HR keeps it in a spreadsheet: the applicant
    withdrew today."""
    log = ws.inbox("decisions") / "beslutninger.csv"
    row = pd.DataFrame({"søker-id": [applicant_id], "beslutning": ["trukket"],
                        "begrunnelse": [why], "besluttet av": ["hr@example.no"],
                        "dato": [dt.date.today().strftime("%d.%m.%Y")]})
    earlier = [pd.read_csv(log, sep=";", dtype=str, encoding="utf-8-sig")] if log.exists() else []
    pd.concat([*earlier, row]).to_csv(log, sep=";", index=False, encoding="utf-8-sig")


def write_videos(ws: Workspace, invited: list[str], not_invited: str, seed: int = 2025) -> None:
    """Videos from most invited applicants, as phones send them: mostly fine, some not. Two
    reviewers' sheets score every video; the pipeline only counts the accepted ones."""
    rng = np.random.default_rng(seed + 2)
    inbox = ws.inbox("videos")
    bad: dict[int, dict[str, Any]] = {0: {"picture": "black"}, 1: {"audio": "silent"},
                                      2: {"audio": None}, 3: {"seconds": 95},
                                      4: {"picture": "frozen"}}
    for i, applicant_id in enumerate(invited[:-2]):
        options = {"seconds": float(rng.integers(21, 29)), "size": "640x360",
                   "tone": int(rng.integers(200, 900)), **bad.get(i, {})}
        make_clip(inbox / f"{applicant_id}.mp4", **options)
        os.utime(inbox / f"{applicant_id}.mp4", (DEMO_SUBMITTED, DEMO_SUBMITTED))
    (inbox / f"{invited[5]}-ny.mov").write_text("dette er ikke en video")  # listed in manifest
    make_clip(inbox / "Søknadsvideo fra Åse.mp4", 22, size="640x360")
    make_clip(inbox / f"{invited[-2]}.mp4", 22, size="640x360")  # after the deadline
    os.utime(inbox / f"{invited[-2]}.mp4", (DEMO_LATE, DEMO_LATE))
    make_clip(inbox / f"{not_invited}.mp4", 22, size="640x360")
    os.utime(inbox / f"{not_invited}.mp4", (DEMO_SUBMITTED, DEMO_SUBMITTED))
    manifest = pd.DataFrame({
        "file": ["Søknadsvideo fra Åse.mp4", f"{invited[5]}-ny.mov", "../../etc/passwd"],
        "applicant_id": [invited[6], invited[5], invited[7]],
        "received_at": ["2025-03-21 09:30", "2025-03-19 10:00", "2025-03-21 10:00"]})
    manifest.to_csv(inbox / "manifest.csv", index=False)
    for reviewer in REVIEWERS[:2]:
        grades = np.clip(np.rint(rng.normal(3.5, 0.8, len(invited))), 1, 5).astype(int)
        sheet = pd.DataFrame({"applicant_id": invited, "reviewer": reviewer, "video": grades})
        sheet.to_csv(ws.inbox("video_reviews") / f"video-{reviewer}.csv", index=False)


def write_rankings(ws: Workspace, seed: int = 2025) -> None:
    """Leaders reply as if they had watched the videos: each ranks most available candidates;
    one leader has not replied yet, and one sends a sheet with the same rank twice first."""
    rng = np.random.default_rng(seed + 3)
    sheets = sorted(ws.folder("packets").glob("*/*.xlsx"))
    for number, path in enumerate(sheets[:-1]):
        book = openpyxl.load_workbook(path)
        sheet = book.worksheets[0]
        rows = [row for row in sheet.iter_rows(min_row=3) if row[0].value and not row[5].value]
        order = rng.permutation(len(rows))[: max(4, len(rows) - 3)]
        for rank, index in enumerate(order, start=1):
            rows[index][4].value = rank
        if number == 0:
            rows[order[1]][4].value = 1
            book.save(ws.inbox("rankings") / f"first-{path.name}")
            rows[order[1]][4].value = 2
        book.save(ws.inbox("rankings") / path.name)
