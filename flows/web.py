"""The portal (`mentoring web`): each person's own page, reached through a personal link.

Routes only compose tasks: the same checks, deadlines and store as the stages, nothing decided
twice. Every response carries the headers that keep a personal page private.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.responses import FileResponse, HTMLResponse, PlainTextResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from flows.hr import hr_router
from scoring.config import ProgramConfig
from scoring.decisions import own_rules
from scoring.rankings import Problem, check_ranks, given_ranks, mistakes
from scoring.video import length
from tasks.calendar import end_of, long_date, long_moment
from tasks.decisions import granted_to
from tasks.email import deliver
from tasks.letters import ranking_receipt, video_rules
from tasks.links import portal_links
from tasks.outcomes import video_deadline_of
from tasks.packets import LeaderPacket, leader_packet, sheet_rule, shortlisted_media
from tasks.rankings import file_ranking, filed_ranking
from tasks.render import TEMPLATES, labels, render
from tasks.status import reading_store
from tasks.store import applicant
from tasks.uploads import UploadRefused, latest_upload, receive_video
from tasks.video import judge_file
from tasks.workspace import Workspace, load_program, open_workspace

HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; script-src 'self'; "
                               "img-src 'self'; media-src 'self'; form-action 'self'; "
                               "base-uri 'none'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}
ASSETS = {"portal.css": "text/css", "portal.js": "text/javascript"}
NOT_FOUND = "Not found"
DRAIN_LIMIT = 4  # an over-large upload is read (and dropped) up to this many times the limit


def create_app(workspace: Path) -> FastAPI:
    ws = open_workspace(workspace)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        with reading_store(ws):
            yield

    app = FastAPI(lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.ws = ws
    app.include_router(hr_router(ws))

    @app.middleware("http")
    async def private(request: Request,
                      call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        for name, value in HEADERS.items():  # a route may set its own, stricter or not
            response.headers.setdefault(name, value)
        return response

    @app.exception_handler(404)
    async def not_found(_: Request, __: Exception) -> Response:
        return not_found_response()

    @app.get("/static/{name}")
    def asset(name: str) -> Response:
        if name not in ASSETS:
            return not_found_response()
        return Response((TEMPLATES / "portal" / name).read_bytes(), media_type=ASSETS[name])

    @app.get("/v/{token}", response_class=HTMLResponse)
    def video_page(token: str) -> Response:
        config = load_program(ws)
        links = portal_links(ws, config)
        applicant_id = links.subject("video", token)
        if applicant_id is None or (person := applicant(ws, applicant_id)) is None:
            return not_found_response()
        return HTMLResponse(render_video_page(ws, config, applicant_id, person["name"]))

    @app.post("/v/{token}", response_class=HTMLResponse)
    async def video_upload(token: str, request: Request) -> Response:
        config = load_program(ws)
        links = portal_links(ws, config)
        applicant_id = links.subject("video", token)
        if applicant_id is None or (person := applicant(ws, applicant_id)) is None:
            return not_found_response()
        if video_closed(ws, config, applicant_id):
            return RedirectResponse(request.url.path, status_code=303)
        body = request.stream()
        try:
            upload = await receive_video(ws, applicant_id, request.headers.get("content-type", ""),
                                         body, max_bytes(config))
        except UploadRefused as refused:
            if refused.code == "too_large":
                await drain(body, DRAIN_LIMIT * max_bytes(config))
            page = render_video_page(ws, config, applicant_id, person["name"],
                                     refused=refused.code)
            return HTMLResponse(page, status_code=413 if refused.code == "too_large" else 400)
        rules = own_rules(config.video, granted_to(ws, config, applicant_id), applicant_id)
        await run_in_threadpool(judge_file, ws, upload.file, upload.digest, rules,
                                config.operations.check_timeout_seconds)
        return RedirectResponse(request.url.path, status_code=303)

    @app.get("/p/{token}", response_class=HTMLResponse)
    def packet_page(token: str) -> Response:
        config = load_program(ws)
        packet = leader_packet(ws, config, portal_links(ws, config).subject("packet", token) or "")
        if packet is None:
            return not_found_response()
        filed = filed_ranking(ws, packet.leader.id)
        ranks, received = filed or ({}, None)
        return HTMLResponse(render_packet_page(config, token, packet, ranks, received, []))

    @app.post("/p/{token}", response_class=HTMLResponse)
    async def packet_ranking(token: str, request: Request) -> Response:
        config = load_program(ws)
        links = portal_links(ws, config)
        packet = leader_packet(ws, config, links.subject("packet", token) or "")
        if packet is None:
            return not_found_response()
        if ranking_closed(config):
            return RedirectResponse(request.url.path, status_code=303)
        form = await request.form()
        choosable = [card["applicant_id"] for card in packet.cards if card["available"]]
        given = given_ranks({key.removeprefix("rank:"): str(value)
                             for key, value in form.items()}, choosable)
        ranked, problems = check_ranks(given, set(choosable),
                                       {card["applicant_id"] for card in packet.cards},
                                       config.matching.min_ranked)
        ranks = dict(zip(ranked["applicant_id"], ranked["rank"], strict=True))
        if problems:
            page = render_packet_page(config, token, packet, ranks, None, problems)
            return HTMLResponse(page, status_code=422)
        # Writing the sheet and the receipt's SMTP round trips (with their retries) must not
        # hold up everyone else's pages.
        await run_in_threadpool(file_ranking, ws, config, packet.leader.id, packet.cards,
                                packet.shortlist, links.secret, ranks)
        await run_in_threadpool(deliver, ws, "portal", "portal",
                                [ranking_receipt(config, links, packet, ranks)],
                                sender=config.program.hr_email)
        return RedirectResponse(request.url.path, status_code=303)

    @app.get("/p/{token}/media/{name}")
    def packet_media(token: str, name: str) -> Response:
        config = load_program(ws)
        leader_id = portal_links(ws, config).subject("packet", token)
        if all(leader.id != leader_id for leader in config.leaders) \
                or name not in shortlisted_media(ws):
            return not_found_response()
        kind = "video/mp4" if name.endswith(".mp4") else "image/jpeg"
        return FileResponse(ws.folder("media") / name, media_type=kind)  # answers ranges

    return app


def not_found_response() -> Response:
    """The one answer to every token that opens nothing, whatever is wrong with it."""
    return PlainTextResponse(NOT_FOUND, status_code=404)


async def drain(body: AsyncIterator[bytes], limit: int) -> None:
    """Read the rest of a refused upload, so that the browser shows why; up to `limit` bytes."""
    read = 0
    async for chunk in body:
        read += len(chunk)
        if read > limit:
            break


def max_bytes(config: ProgramConfig) -> int:
    return int(config.video.max_megabytes * 1_000_000)


def video_closed(ws: Workspace, config: ProgramConfig, applicant_id: str) -> bool:
    return passed(video_deadline_of(ws, config, applicant_id), config)


def ranking_closed(config: ProgramConfig) -> bool:
    deadline = config.packets.reply_deadline
    return deadline is not None and passed(deadline, config)


def passed(deadline: dt.date, config: ProgramConfig) -> bool:
    return dt.datetime.now(dt.UTC) >= end_of(deadline, config.program.timezone)


def render_packet_page(config: ProgramConfig, token: str, packet: LeaderPacket,
                       ranks: dict[str, int], received: dt.datetime | None,
                       problems: list[Problem]) -> str:
    """The packet, phone first: the rule, every candidate with the video, and the ranking
    form, with each mistake beside the candidate it concerns."""
    locale = config.program.locale
    t = labels(locale)
    names = {card["applicant_id"]: card["name"] for card in packet.cards}
    beside, general = mistakes(problems, t["rank_problems"], names)
    shown = [{**card, "media": f"/p/{token}/media/{Path(card['media']).name}",
              "poster": f"/p/{token}/media/{Path(card['poster']).name}",
              "rank": ranks.get(card["applicant_id"]), "mistake": beside.get(card["applicant_id"])}
             for card in packet.cards]
    deadline = config.packets.reply_deadline
    return render(
        "portal/packet.html", t=t, w=t["portal"], locale=locale,
        program_name=config.program.name, leader_name=packet.leader.name, cards=shown,
        available=sum(card["available"] for card in packet.cards), refused=bool(problems),
        problems=general, beside=bool(beside),
        rule=t["packet"]["rule"].format(**sheet_rule(config)),
        deadline=long_date(deadline, locale) if deadline else None,
        closed=ranking_closed(config), hr_email=config.program.hr_email,
        received=long_moment(received, config) if received else None)


def render_video_page(ws: Workspace, config: ProgramConfig, applicant_id: str, name: str,
                      refused: str | None = None) -> str:
    """The page: the questions, every rule, the deadline, and the newest video's verdict."""
    locale = config.program.locale
    t = labels(locale)
    rules = own_rules(config.video, granted_to(ws, config, applicant_id), applicant_id)
    latest = latest_upload(ws, applicant_id)
    deadline = video_deadline_of(ws, config, applicant_id)  # the ledger, read once
    verdict = None
    if latest is not None:
        judged = judge_file(ws, latest.file, latest.digest, rules,
                            config.operations.check_timeout_seconds)
        verdict = {"problems": judged.problems,
                   "seconds": round(length(judged.facts, judged.analysis)) if judged.facts
                   else None,
                   "received": long_moment(latest.received_at, config)}
    return render(
        "portal/video.html", t=t, w=t["portal"], locale=locale, name=name,
        program_name=config.program.name, questions=rules.questions,
        video_rules=video_rules(rules, t),
        deadline=long_date(deadline, locale), closed=passed(deadline, config),
        verdict=verdict, refused=refused,
        max_seconds=int(rules.max_seconds), min_seconds=int(rules.min_seconds),
        audio_only=rules.audio_only,
        max_megabytes=f"{rules.max_megabytes:g}", max_bytes=max_bytes(config),
        hr_email=config.program.hr_email)
