"""HR's pages over HTTP: nothing without the login, no form without its token, files into the
inbox only when the stages can read them, a stage run, and the reports in the browser."""

import re

import pytest
from starlette.testclient import TestClient

from flows.web import create_app
from tasks.hr import hash_password

PASSWORD = "riktig hest batteri"


@pytest.fixture(scope="module")
def hr(programme_copy):
    ws, _ = programme_copy
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MENTORING_HR_PASSWORD_HASH", hash_password(PASSWORD))
        with TestClient(create_app(ws.root), follow_redirects=False) as client:
            yield ws, client


def signed_in(client) -> str:
    """Log in; returns the token HR's forms carry."""
    assert client.post("/hr/login", data={"password": PASSWORD}).status_code == 303
    return re.search(r'name="form" value="([^"]+)"', client.get("/hr").text).group(1)


def test_nothing_is_shown_before_hr_logs_in_and_a_wrong_password_is_refused(hr):
    _, client = hr
    client.cookies.clear()
    assert client.get("/hr").headers["location"] == "/hr/login"
    assert client.get("/hr/files/exports/applicants.csv").headers["location"] == "/hr/login"
    wrong = client.post("/hr/login", data={"password": "gjett"})
    assert wrong.status_code == 401 and "Feil passord." in wrong.text
    right = client.post("/hr/login", data={"password": PASSWORD})
    cookie = right.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/hr" in cookie
    page = client.get("/hr")
    assert page.status_code == 200 and "Hvor søkerne står" in page.text
    assert "på bruttolisten" in page.text and "Steg 1: søknader og invitasjoner" in page.text


def test_a_form_without_the_sessions_own_token_does_nothing(hr):
    ws, client = hr
    signed_in(client)
    before = sorted(p.name for p in ws.inbox("applications").iterdir())
    for token in ("", "forged"):
        sent = client.post("/hr/upload", data={"form": token, "inbox": "applications"},
                           files={"file": ("ny.csv", b"applicant_id\n1\n")})
        assert sent.status_code == 403
        assert client.post("/hr/run/intake", data={"form": token}).status_code == 403
    assert sorted(p.name for p in ws.inbox("applications").iterdir()) == before


def test_a_file_the_stage_cannot_read_is_refused_with_the_reason_and_leaves_nothing(hr):
    ws, client = hr
    form = signed_in(client)
    before = sorted(p.name for p in ws.inbox("applications").iterdir())
    for name, data, reason in [("skjema.pdf", b"%PDF-1.4", "only .csv, .txt, .tsv, .xlsx"),
                               ("skjema.csv", b"%PDF-1.4 binary\0\1\2", "PDF"),
                               ("tom.csv", b"", "empty")]:
        sent = client.post("/hr/upload", data={"form": form, "inbox": "applications"},
                           files={"file": (name, data)})
        assert sent.status_code == 400
        assert f"{name} ble ikke lagt i innboksen" in sent.text and reason in sent.text
    assert sorted(p.name for p in ws.inbox("applications").iterdir()) == before


def test_hr_uploads_a_form_export_runs_intake_and_reads_the_report(hr):
    ws, client = hr
    form = signed_in(client)
    export = next(ws.inbox("applications").glob("*.csv"))  # exported again, as a newer file
    before = sorted(p.name for p in ws.inbox("applications").iterdir())
    sent = client.post("/hr/upload", data={"form": form, "inbox": "applications"},
                       files={"file": (f"../../{export.name}", export.read_bytes())})
    assert sent.status_code == 200 and "er lagt i innboksen for søknader" in sent.text
    assert sorted(p.name for p in ws.inbox("applications").iterdir()) == before
    assert not (ws.root.parent / export.name).exists()

    ran = client.post("/hr/run/intake", data={"form": form})
    assert ran.status_code == 200 and "Steg 1: søknader og invitasjoner er ferdig" in ran.text
    report = client.get("/hr/files/reports/intake.html")
    assert report.status_code == 200 and report.headers["content-type"].startswith("text/html")
    assert "script-src" not in report.headers["content-security-policy"]
    download = client.get("/hr/files/exports/applicants.csv")
    assert download.headers["content-disposition"].startswith("attachment")
    assert client.get("/hr/files/reports/gx/index.html").status_code == 200  # Data Docs
    for path in ("/hr/files/exports/..%2Fmentoring.db", "/hr/files/reports/%2e%2e/.secret",
                 "/hr/files/reports/gx/..%2F..%2Fmentoring.db", "/hr/files/inbox/manifest.csv",
                 "/hr/files/reports/.secret"):
        assert client.get(path).status_code == 404


def test_hr_sends_reminders_from_the_page_and_is_told_why_there_is_no_panel_to_assign(hr):
    _, client = hr
    form = signed_in(client)
    reminded = client.post("/hr/run/remind", data={"form": form})
    assert reminded.status_code == 200
    assert "Påminnelser til dem som ligger etter er ferdig" in reminded.text
    refused = client.post("/hr/run/assign", data={"form": form})
    assert refused.status_code == 409 and "[[reviewers]]" in refused.text


def test_behind_single_sign_on_the_proxys_header_is_the_login(hr, monkeypatch):
    _, client = hr
    client.cookies.clear()
    monkeypatch.setenv("MENTORING_HR_USER_HEADER", "X-Remote-User")
    assert client.get("/hr", headers={"X-Remote-User": "kari.hr"}).status_code == 200
    assert client.get("/hr").status_code == 303


def test_hr_answers_an_access_request_from_the_portal(hr):
    ws, client = hr
    form = signed_in(client)
    someone = next(ws.inbox("videos").glob("*.mp4")).stem  # an invited applicant
    assert client.post("/hr/person", data={"form": "", "applicant_id": someone}
                       ).status_code == 403
    shown = client.post("/hr/person", data={"form": form, "applicant_id": someone})
    assert shown.headers["location"] == f"/hr/files/reports/people/{someone}.html"
    page = client.get(shown.headers["location"])
    assert page.status_code == 200 and "Status over tid" in page.text
    assert page.headers["content-security-policy"].startswith("default-src 'none'")
    nobody = client.post("/hr/person", data={"form": form, "applicant_id": "X000000"})
    assert nobody.status_code == 404 and "ingenting om søker-ID X000000" in nobody.text
