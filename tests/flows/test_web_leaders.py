"""A leader's own page over HTTP: the packet behind a personal link, videos streamed in ranges,
and a ranking checked by the sheet's rules that `match` then counts. (In a browser:
test_web_browser.py.)"""

import email
import email.policy
import re

import pytest
from sqlalchemy import create_engine, select
from starlette.testclient import TestClient

from flows.match import match
from flows.runtime import run_stage
from flows.shortlist import shortlist
from flows.web import create_app
from tasks.store import ranking_sheets


@pytest.fixture(scope="module")
def portal(programme_copy):
    ws, _ = programme_copy
    run_stage(shortlist, workspace=str(ws.root))
    with TestClient(create_app(ws.root), follow_redirects=False) as client:
        yield ws, client


def letter(ws, pattern: str) -> email.message.EmailMessage:
    path = max(ws.folder("outbox").glob(pattern), key=lambda p: p.stat().st_mtime_ns)
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


def own_page(ws, leader_id: str) -> str:
    """The path of the leader's page, as their packet e-mail links to it."""
    body = letter(ws, f"shortlist-{leader_id}-*.eml").get_body(("plain",)).get_content()
    (link,) = re.findall(r"http://127\.0\.0\.1:8000(/p/\S+)", body)
    return link


def choices(page: str) -> list[str]:
    return re.findall(r'name="rank:([^"]+)"', page)


def test_the_packet_letter_links_to_the_leaders_own_page_not_a_guessable_address(portal):
    ws, client = portal
    body = letter(ws, "shortlist-L1-*.eml").get_body(("plain",)).get_content()
    assert "packets/L1" not in body and "Ranger minst 2" in body
    page = client.get(own_page(ws, "L1"))
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "Ranger minst 2 av kandidatene du kan velge" in page.text
    assert "Du får 2 mentorer" in page.text
    cards = page.text.split('<section class="card')[1:]
    available = [not card.startswith(" unavailable") for card in cards]
    assert available == sorted(available, reverse=True)  # those with a conflict come last
    assert len(choices(page.text)) == sum(available)  # and cannot be ranked


def test_a_video_is_streamed_in_ranges_and_only_the_packets_own_files_are_served(portal):
    ws, client = portal
    page = own_page(ws, "L1")
    shown = client.get(page).text
    video = re.search(r'src="(/p/[^"]+\.mp4)"', shown).group(1)
    part = client.get(video, headers={"Range": "bytes=0-99"})
    assert (part.status_code, len(part.content)) == (206, 100)
    assert part.headers["Content-Type"] == "video/mp4"
    elsewhere = next(p for p in ws.folder("media").glob("*.mp4") if p.stem not in shown)
    for name in (elsewhere.name, f"{elsewhere.stem}.json", "..%2Fmentoring.db", "x.html"):
        assert client.get(f"{page}/media/{name}").status_code == 404
    video_page = "/v/" + page.removeprefix("/p/")  # a leader's token opens no video page
    assert client.get(video_page).text == "Not found"


def test_a_ranking_with_mistakes_is_explained_beside_the_field_then_a_good_one_counts(portal):
    ws, client = portal
    page = own_page(ws, "L2")
    ids = choices(client.get(page).text)
    twice = client.post(page, data={f"rank:{ids[0]}": "1", f"rank:{ids[1]}": "1"})
    assert twice.status_code == 422
    assert "Rangeringen ble ikke lagret" in twice.text
    assert twice.text.count("er gitt til flere kandidater") == 2  # beside both candidates
    assert "Du har rangert 2" not in twice.text
    assert not list(ws.inbox("rankings").glob("*web*"))

    for first in (ids[1], ids[0]):  # a later ranking replaces the earlier one
        ranked = [first, *[i for i in ids if i != first]][:2]
        sent = client.post(page, data={f"rank:{c}": str(n) for n, c in enumerate(ranked, 1)})
        assert sent.status_code == 303
    confirmed = client.get(page).text
    assert "Vi har mottatt rangeringen din" in confirmed
    assert re.search(rf'name="rank:{ids[0]}">\s*<option value="">[^<]*</option>\s*'
                     r'<option value="1" selected>', confirmed)
    receipt = letter(ws, "portal-L2-*.eml")
    assert receipt["To"] == "leder2@example.no"
    assert "vi har mottatt rangeringen din" in receipt["Subject"]

    run_stage(match, workspace=str(ws.root))
    with create_engine(ws.store_url).connect() as conn:
        sheets = conn.execute(select(ranking_sheets.c.file, ranking_sheets.c.reasons).where(
            ranking_sheets.c.leader_id == "L2")).all()
    counting = [file for file, reasons in sheets if reasons == ""]
    assert len(counting) == 1 and "-L2-web-" in counting[0]
