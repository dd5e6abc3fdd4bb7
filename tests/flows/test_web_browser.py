"""The applicant's and the leader's pages in a real browser (Debian's chromium), on a phone."""

import os
import re
import shutil
import socket
import threading
import time
from urllib.parse import urlsplit

import pytest
import uvicorn
from sqlalchemy import create_engine, select

from flows.runtime import run_stage
from flows.shortlist import shortlist
from flows.videos import videos
from flows.web import create_app
from tasks.hr import hash_password
from tasks.links import portal_links
from tasks.outcomes import video_deadline_of
from tasks.store import open_store, video_results
from tasks.synthetic import make_clip
from tasks.workspace import load_program

CHROMIUM = shutil.which("chromium")
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}

pytestmark = [pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="chromium is not installed here (`make install` installs it from Debian's packages)"),
    pytest.mark.store_independent]  # the pages' reads of the store run on both in test_web*.py


@pytest.fixture(scope="module")
def portal(programme_copy):
    """The portal on a free port of this machine, serving the programme after step 2."""
    ws, invited = programme_copy
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(ws.root), host="127.0.0.1", port=port,
                                           log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield ws, invited, f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


def own_page(ws, applicant_id: str, address: str) -> str:
    config = load_program(ws)
    with open_store(ws):
        deadline = video_deadline_of(ws, config, applicant_id)
    return address + urlsplit(portal_links(ws, config).video(applicant_id, deadline)).path


def test_an_applicant_on_a_phone_replaces_a_too_long_video_with_one_that_is_accepted(
        portal, browser, tmp_path):
    ws, invited, address = portal
    applicant_id = invited[7]  # invited, and no video yet
    too_long = make_clip(tmp_path / "IMG_0001.MOV", 95, size="160x120", rate=5)
    good = make_clip(tmp_path / "IMG_0002.MOV", 12, size="160x120", rate=5)
    page = browser.new_page(**PHONE)
    page.goto(own_page(ws, applicant_id, address))
    assert page.locator("h1").inner_text().startswith("Hei ")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing off-screen

    page.set_input_files("input[type=file]", str(too_long))
    page.get_by_role("button", name="Send videoen").click()
    verdict = page.locator("#verdict")
    verdict.wait_for()
    assert "Videoen er for lang. Korte ned svaret til maks 90 sekunder." in verdict.inner_text()
    assert "Videoen er 95 sekunder lang." in verdict.inner_text()

    page.set_input_files("input[type=file]", str(good))
    page.get_by_role("button", name="Send videoen").click()
    page.get_by_text("Videoen er godkjent").wait_for()
    page.close()

    run_stage(videos, workspace=str(ws.root))
    with create_engine(ws.store_url).connect() as conn:
        status = conn.execute(select(video_results.c.status).where(
            video_results.c.applicant_id == applicant_id)).scalar()
    assert status in ("shortlisted", "not_shortlisted")  # counted, with its video reviewed


def test_a_leader_on_a_phone_plays_a_video_and_ranks_after_one_mistake(portal, browser):
    ws, _, address = portal
    # Under Playwright's event loop too, a stage run hands back its summary
    assert run_stage(shortlist, workspace=str(ws.root))["stage"] == "shortlist"
    config = load_program(ws)
    link = portal_links(ws, config).packet("L1", config.packets.reply_deadline)
    page = browser.new_page(**PHONE)
    statuses = []
    page.on("response", lambda r: statuses.append(r.status) if ".mp4" in r.url else None)
    page.goto(address + urlsplit(link).path)
    assert "Ranger minst 2 av kandidatene du kan velge" in page.locator(".rule").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    video = page.locator("video").first
    video.scroll_into_view_if_needed()
    video.evaluate("v => { v.muted = true; return v.play(); }")
    page.wait_for_function("() => document.querySelector('video').currentTime > 0.2")
    assert 206 in statuses  # the server answered the browser's range request

    selects = page.locator("select")
    selects.nth(0).select_option("1")
    page.get_by_role("button", name="Send rangeringen").click()
    verdict = page.locator("#verdict").inner_text()
    assert "Du har rangert 1 av kandidatene; ranger minst 2." in verdict
    assert selects.nth(0).input_value() == "1"  # what was chosen is kept

    selects.nth(1).select_option("2")
    page.get_by_role("button", name="Send rangeringen").click()
    page.get_by_text("Vi har mottatt rangeringen din").wait_for()
    page.close()


def test_hr_logs_in_uploads_a_form_export_runs_intake_and_opens_the_report(
        portal, browser, monkeypatch):
    ws, _, address = portal
    monkeypatch.setenv("MENTORING_HR_PASSWORD_HASH", hash_password("riktig hest batteri"))
    export = next(ws.inbox("applications").glob("*.csv"))  # exported again, as a newer file
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    outside: list[str] = []  # the agency's network has no way out: nothing may go elsewhere
    page.route(re.compile(r"^(?!http://127\.0\.0\.1:)"),
               lambda route: (outside.append(route.request.url), route.abort()))
    page.goto(address + "/hr")
    page.get_by_label("Passord").fill("riktig hest batteri")
    page.get_by_role("button", name="Logg inn").click()
    page.get_by_text("Hvor søkerne står").wait_for()

    page.get_by_label("Innboks").select_option(label="søknader")
    page.get_by_label("Fil (CSV eller Excel)").set_input_files(str(export))
    page.get_by_role("button", name="Last opp").click()
    assert "er lagt i innboksen for søknader" in page.locator("#verdict").inner_text()

    page.locator("form[action='/hr/run/intake'] button").click()
    assert "er ferdig" in page.locator("#verdict").inner_text(timeout=120_000)
    page.get_by_role("link", name="intake.html").click()
    assert page.get_by_role("heading").first.inner_text()  # the report, styled in place
    assert page.evaluate("getComputedStyle(document.body).fontFamily") != "Times New Roman"

    page.goto(address + "/hr")
    page.get_by_role("link", name="Kontrollene av inndataene").click()
    page.locator("a[href*='validations/applications/']").first.click()
    assert "applicant_id" in page.locator("body").inner_text()  # the gate run HR looks into
    assert page.evaluate("getComputedStyle(document.body).fontFamily") != "Times New Roman"
    assert outside == []
    page.close()


def test_hr_answers_an_access_request_on_a_phone(portal, browser, monkeypatch):
    _, invited, address = portal
    monkeypatch.setenv("MENTORING_HR_PASSWORD_HASH", hash_password("riktig hest batteri"))
    page = browser.new_page(**PHONE)
    page.goto(address + "/hr")
    page.get_by_label("Passord").fill("riktig hest batteri")
    page.get_by_role("button", name="Logg inn").click()
    page.get_by_label("Søker-ID").fill(invited[0])
    page.get_by_role("button", name="Vis").click()
    assert page.get_by_role("heading", name="Status over tid").is_visible()
    assert page.get_by_role("cell", name="invitert til video").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing off-screen
    page.close()
