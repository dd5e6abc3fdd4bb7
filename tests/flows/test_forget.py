"""Erasing one person mid-programme: after `mentoring forget` and a rerun, the programme is what
it would have been had they never applied, and nothing it holds names them."""

import email
import email.policy
import hashlib
import io
import json
import zipfile

import pandas as pd
import pytest
from sqlalchemy import create_engine, select

from cli import mentoring
from flows.intake import intake
from flows.runtime import run_stage
from flows.shortlist import shortlist
from flows.videos import videos
from tasks.store import metadata
from tasks.synthetic import write_programme

SMALLER = {"count = 30": "count = 10", "min = 10 }": "min = 2 }", "min = 4, max = 30": "min = 0",
           "min = 5 }": "min = 1 }"}  # the example's invitation quotas, for 80 applicants


def programme(root):
    ws = write_programme(root, applicants=80)
    config = ws.program_file.read_text(encoding="utf-8")
    for old, new in SMALLER.items():
        config = config.replace(old, new)
    ws.program_file.write_text(config, encoding="utf-8")
    return ws


def exported(ws, name: str) -> pd.DataFrame:
    return pd.read_csv(ws.root / "exports" / name, encoding="utf-8-sig", dtype=str)


def without(path, column: str, applicant_id: str, sep: str = ",") -> None:
    """The sheet as it would have been without the person's rows."""
    frame = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame[frame[column] != applicant_id].to_csv(path, sep=sep, index=False,
                                                encoding="utf-8-sig")


@pytest.fixture(scope="module")
def forgotten(tmp_path_factory):
    """Programme A runs step 1, one invited applicant withdraws consent and is forgotten, and
    step 1 runs again; programme B is the same call without their application and reviews."""
    a = programme(tmp_path_factory.mktemp("a") / "ws")
    run_stage(intake, workspace=str(a.root))
    csv_part = pd.read_csv(a.inbox("applications") / "skjema-eksport.csv", sep=";", dtype=str,
                           encoding="utf-8-sig")["Ansattnummer"]
    people = exported(a, "applicants.csv")
    invited = people.loc[people["status"] == "invited", "applicant_id"]
    leaving = sorted(set(invited) & set(csv_part))[0]
    person = people.set_index("applicant_id").loc[leaving]
    mentoring("person", a.root, leaving)  # a page about them, as for an access request
    erased = mentoring("forget", a.root, leaving, "--yes")
    run_stage(intake, workspace=str(a.root))

    b = programme(tmp_path_factory.mktemp("b") / "ws")
    without(b.inbox("applications") / "skjema-eksport.csv", "Ansattnummer", leaving, sep=";")
    for sheet in b.inbox("reviews").glob("*.csv"):
        without(sheet, "applicant_id", leaving)
    run_stage(intake, workspace=str(b.root))
    namesakes = int((people["name"] == person["name"]).sum()) > 1
    return a, b, leaving, erased, [leaving, person["email"],
                                   *([] if namesakes else [person["name"]])]


def test_a_rerun_after_forget_equals_a_run_without_them(forgotten):
    a, b, leaving, erased, _ = forgotten
    assert erased.returncode == 0, erased.stderr
    for name in ("applicants.csv", "quarantine.csv"):
        pd.testing.assert_frame_equal(exported(a, name), exported(b, name))
    assert leaving not in set(exported(a, "applicants.csv")["applicant_id"])


def readable(path) -> list[bytes]:
    """A file as a person opening it would read it: an e-mail's decoded parts, a workbook's
    or zip's members, or its bytes."""
    data = path.read_bytes()
    if path.suffix == ".eml":
        message = email.message_from_bytes(data, policy=email.policy.default)
        data = b"".join(part.get_payload(decode=True) or b"" for part in message.walk()
                        if not part.is_multipart())
    if zipfile.is_zipfile(io.BytesIO(data)):
        with zipfile.ZipFile(io.BytesIO(data)) as bundle:
            return [bundle.read(name) for name in bundle.namelist()]
    return [data]


def test_nothing_the_programme_holds_names_them(forgotten):
    a, _, _, _, traces = forgotten
    looked_at = 0
    for path in a.root.rglob("*"):
        if path.is_file() and path.suffix != ".db":
            looked_at += 1
            for text in readable(path):
                found = [t for t in traces if t.encode() in text]
                assert not found, f"{path} still shows {found}"
    assert looked_at > 30
    for store in a.root.glob("mentoring.db*"):  # not even in the SQLite file's free pages
        assert traces[0].encode() not in store.read_bytes(), store
    engine = create_engine(a.store_url)
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            rows = conn.execute(select(table)).all()
            assert not [row for row in rows if any(t in str(row) for t in traces)], table.name
    engine.dispose()


def test_the_receipt_names_nobody_and_counts_what_went(forgotten):
    a, _, leaving, erased, _ = forgotten
    (path,) = (a.root / "forget-receipts").glob("*.json")
    receipt = json.loads(path.read_text())
    assert receipt["applicant_id_sha256"] == hashlib.sha256(leaving.encode()).hexdigest()
    assert receipt["removed"]["inbox/applications rows"] == 1
    assert receipt["removed"]["inbox/reviews rows"] >= 2
    assert receipt["removed"]["outbox files"] >= 1  # the invitation they were sent
    assert receipt["removed"]["store: applicants"] == 1
    assert "Run the stages again" in erased.stdout


def test_forgetting_someone_the_programme_never_held_says_so(forgotten):
    a = forgotten[0]
    refused = mentoring("forget", a.root, "P999998", "--yes")
    assert refused.returncode == 2
    assert "holds nothing about applicant id P999998" in refused.stderr


def test_forgetting_a_shortlisted_candidate_takes_their_video_and_the_packets_that_showed_them(
        programme_copy):
    ws, _ = programme_copy
    run_stage(shortlist, workspace=str(ws.root))
    people = exported(ws, "shortlist.csv")
    leaving = people["applicant_id"].iloc[0]
    video = ws.root / people["media"].iloc[0]
    sent_as = ws.inbox("videos") / f"{leaving}.mp4"
    assert video.is_file() and sent_as.is_file()
    erased = mentoring("forget", ws.root, leaving, "--yes")
    assert erased.returncode == 0, erased.stderr
    assert not video.exists() and not sent_as.exists()
    assert not list((ws.root / "packets").glob("*/index.html")), "every packet showed them"
    run_stage(videos, workspace=str(ws.root))
    run_stage(shortlist, workspace=str(ws.root))
    rebuilt = list((ws.root / "packets").glob("*/index.html"))
    assert rebuilt and not [p for p in rebuilt if leaving in p.read_text(encoding="utf-8")]
    assert leaving not in set(exported(ws, "applicants.csv")["applicant_id"])
