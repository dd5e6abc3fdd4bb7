"""The portal as an applicant's phone and an attacker meet it over HTTP: personal links, uploads
checked by the same rules as the videos stage, and nothing served to a link that opens nothing.
(The pages in a real browser: test_web_browser.py.)"""

import datetime as dt
from urllib.parse import urlsplit

import pytest
from sqlalchemy import create_engine, select
from starlette.testclient import TestClient

from flows.runtime import run_stage
from flows.videos import videos
from flows.web import HEADERS, create_app
from tasks.links import portal_links
from tasks.store import applicants, submissions, uploads, video_results
from tasks.synthetic import make_clip
from tasks.workspace import Workspace, load_program

TODAY = dt.date.today()


@pytest.fixture(scope="module")
def portal(programme_copy):
    ws, invited = programme_copy
    with TestClient(create_app(ws.root), follow_redirects=False) as client:
        yield ws, invited, client


def path(ws: Workspace, applicant_id: str, deadline: dt.date = TODAY,
         purpose: str = "video") -> str:
    links = portal_links(ws, load_program(ws))
    if purpose == "video":
        return urlsplit(links.video(applicant_id, deadline)).path
    return f"/v/{links.token(purpose, applicant_id, links.end_of(deadline))}"


def clip(tmp_path, seconds: float) -> bytes:
    return make_clip(tmp_path / f"{seconds}.mp4", seconds, size="160x120", rate=5).read_bytes()


def stored_uploads(ws: Workspace) -> list:
    with create_engine(ws.store_url).connect() as conn:
        return list(conn.execute(select(uploads.c.file, uploads.c.applicant_id)))


def test_the_link_in_the_invitation_opens_the_applicants_own_page(portal):
    ws, invited, client = portal
    letter = next(ws.folder("outbox").glob(f"intake-{invited[7]}-*.eml")).read_bytes()
    assert b"/v/" in letter  # the invitation carries the page's link
    page = client.get(path(ws, invited[7]))
    assert page.status_code == 200
    assert "Hva betyr digitalisering for politiets arbeid" in page.text
    assert "høyst 90 sekunder lang" in page.text and "minst 120 piksler høy" in page.text
    assert 'accept="video/*"' in page.text
    for header, value in HEADERS.items():
        assert page.headers[header] == value


@pytest.mark.parametrize("kind", ["tampered", "expired", "other purpose", "unknown person",
                                  "garbage"])
def test_a_link_that_opens_nothing_gets_the_same_plain_404(portal, kind):
    ws, invited, client = portal
    good = path(ws, invited[7])
    url = {"tampered": good[:-2] + ("AA" if not good.endswith("AA") else "BB"),
           "expired": path(ws, invited[7], TODAY - dt.timedelta(days=30)),
           "other purpose": path(ws, invited[7], purpose="packet"),
           "unknown person": path(ws, "P999999"),
           "garbage": "/v/<script>"}[kind]
    for response in (client.get(url), client.post(url, files={"video": ("a.mp4", b"x")})):
        assert (response.status_code, response.text) == (404, "Not found")
        assert response.headers["Cache-Control"] == "no-store"


def test_an_upload_over_the_size_limit_is_refused_while_it_streams_and_not_kept(portal):
    ws, invited, client = portal
    config = ws.program_file.read_text()
    ws.program_file.write_text(config.replace("max_megabytes = 500", "max_megabytes = 1"))
    try:
        response = client.post(path(ws, invited[7]),
                               files={"video": ("stor.mp4", b"\0" * 1_000_001, "video/mp4")})
    finally:
        ws.program_file.write_text(config)
    assert response.status_code == 413
    assert "Videoen ble ikke lagret" in response.text
    assert "Filen er for stor." in response.text and "er 1 MB" in response.text
    assert stored_uploads(ws) == []
    assert not any(ws.folder("uploads").iterdir())


def test_after_the_deadline_the_page_says_so_and_keeps_nothing(portal, tmp_path):
    ws, _, client = portal
    with create_engine(ws.store_url).connect() as conn:  # given no later deadline in a letter
        not_invited = conn.execute(select(applicants.c.applicant_id).where(
            applicants.c.status == "not_invited")).scalars().first()
    url = path(ws, not_invited)
    assert "Fristen er ute" in client.get(url).text
    sent = client.post(url, files={"video": ("v.mp4", clip(tmp_path, 12), "video/mp4")})
    assert sent.status_code == 303
    assert not_invited not in {row.applicant_id for row in stored_uploads(ws)}


def test_an_uploaded_video_gets_its_verdict_on_the_page_and_the_videos_stage_counts_it(
        portal, tmp_path):
    ws, invited, client = portal
    url = path(ws, invited[7])
    sent = client.post(url, files={"video": ("../../../index.html", clip(tmp_path, 12),
                                             "text/html")})
    assert (sent.status_code, sent.headers["location"]) == (303, url)
    page = client.get(url).text
    assert "Videoen er godkjent" in page
    ((file, applicant_id),) = stored_uploads(ws)
    assert applicant_id == invited[7] and file.startswith(f"uploads/{invited[7]}-")
    assert not (ws.root.parent / "index.html").exists()
    measured = {p.name: p.stat().st_mtime_ns for p in ws.folder("media").glob("*.json")}

    run_stage(videos, workspace=str(ws.root))
    with create_engine(ws.store_url).connect() as conn:
        status = conn.execute(select(video_results.c.status).where(
            video_results.c.applicant_id == invited[7])).scalar()
        live = conn.execute(select(submissions.c.file).where(
            submissions.c.applicant_id == invited[7], submissions.c.reasons == "")).scalar()
    assert status != "video_missing" and live == file
    assert {p.name: p.stat().st_mtime_ns for p in ws.folder("media").glob("*.json")
            if p.name in measured} == measured  # the stage did not decode it again


def test_an_applicant_hr_accommodated_gets_their_own_rules_on_their_page(portal, tmp_path):
    ws, invited, client = portal
    (ws.inbox("decisions") / "log.csv").write_text(
        "applicant_id,decision,reason,decided_by,decided_at,extra_seconds,audio_only\n"
        f"{invited[6]},accommodate,synshemmet,kari@hr.no,2026-03-03,15,ja\n")
    url = path(ws, invited[6])
    page = client.get(url).text
    assert "høyst 105 sekunder lang" in page and "lydopptak uten bilde" in page
    assert "piksler" not in page and 'accept="video/*,audio/*"' in page
    sound = make_clip(tmp_path / "sound.m4a", 100, picture=None).read_bytes()
    assert client.post(url, files={"video": ("opptak.m4a", sound, "audio/mp4")}).status_code == 303
    assert "Videoen er godkjent" in client.get(url).text
    assert "høyst 90 sekunder lang" in client.get(path(ws, invited[7])).text  # theirs alone
