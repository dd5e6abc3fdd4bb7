"""HR's pages in the portal (`/hr`): where the programme stands, the reports and exports, files
into the inbox, and a stage run; behind HR's login, every form carrying the session's token."""

from __future__ import annotations

import hmac
from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from flows.runtime import run_stage, stage_flow
from scoring.config import ProgramConfig
from scoring.errors import StageStopped
from scoring.record import STATUSES
from tasks.gates import docs_folder
from tasks.hr import SESSION, check_password, form_token, start_session
from tasks.links import Links, portal_links
from tasks.person import person_record, write_person_page
from tasks.render import labels, render
from tasks.settings import load_settings
from tasks.status import programme_status
from tasks.store import schema_version
from tasks.uploads import InboxRefused, file_into_inbox
from tasks.workspace import Workspace, load_program

COOKIE = "mentoring_hr"
STAGES = ("intake", "assign", "videos", "shortlist", "match", "notify", "remind", "rescore")
INBOXES = ("applications", "reviews", "video_reviews", "rankings", "decisions")
READABLE = ("reports", "exports")  # the folders HR reads in the browser
MAX_SHEET_BYTES = 100_000_000
# Reports and Data Docs are shown with their styles and pictures, and run no script: the
# values they show come from the inputs.
REPORT_POLICY = ("default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                 "font-src 'self'; base-uri 'none'; frame-ancestors 'none'")


def hr_router(ws: Workspace) -> APIRouter:
    router = APIRouter(prefix="/hr")

    def signed_in(request: Request, links: Links) -> str | None:
        """What ties this request to HR (the session, or the name the sign-on proxy vouches
        for), or None when nobody is signed in."""
        header = load_settings().hr_user_header
        if header and request.headers.get(header):
            return f"user:{request.headers[header]}"
        session = request.cookies.get(COOKIE, "")
        return session if links.subject("hr", session) else None

    def page(config: ProgramConfig, links: Links, session: str, message: dict | None = None,
             status_code: int = 200) -> HTMLResponse:
        t = labels(config.program.locale)
        state = programme_status(ws, config, str(schema_version(ws)))
        files = {folder: sorted(p.name for p in ws.folder(folder).glob("*")
                                if p.is_file() and not p.name.startswith("."))
                 for folder in READABLE}
        docs = docs_folder(ws) / "index.html"
        return HTMLResponse(render(
            "portal/hr.html", t=t, w=t["hr"], locale=config.program.locale,
            program_name=config.program.name, state=state, statuses=STATUSES, files=files,
            leaders={leader.id: leader.name for leader in config.leaders},
            reviewers={reviewer.id: reviewer.name for reviewer in config.reviewers},
            stages=STAGES, inboxes=INBOXES, form=form_token(links, session), message=message,
            data_docs=docs.is_file(),
            password=bool(load_settings().hr_password_hash)), status_code=status_code)

    async def checked(request: Request) -> tuple[ProgramConfig, Links, str] | Response:
        """The programme, its links and HR's session for a form post; a post without HR
        signed in, or without the session's own token, is turned away."""
        config = load_program(ws)
        links = portal_links(ws, config)
        session = signed_in(request, links)
        form = await request.form(max_files=1)
        given = str(form.get("form", ""))
        if session is None or not hmac.compare_digest(given, form_token(links, session)):
            return Response("Forbidden", status_code=403, media_type="text/plain")
        request.state.form = form
        return config, links, session

    @router.get("", response_class=HTMLResponse)
    def home(request: Request) -> Response:
        config = load_program(ws)
        links = portal_links(ws, config)
        session = signed_in(request, links)
        if session is None:
            return RedirectResponse("/hr/login", status_code=303)
        return page(config, links, session)

    @router.get("/login", response_class=HTMLResponse)
    def login_page(request: Request) -> Response:
        config = load_program(ws)
        return login(config, request, wrong=False)

    @router.post("/login", response_class=HTMLResponse)
    async def log_in(request: Request) -> Response:
        config = load_program(ws)
        stored = load_settings().hr_password_hash
        password = str((await request.form()).get("password", ""))
        if not stored or not check_password(stored, password):
            return login(config, request, wrong=True)
        response = RedirectResponse("/hr", status_code=303)
        response.set_cookie(COOKIE, start_session(portal_links(ws, config), "hr"),
                            max_age=int(SESSION.total_seconds()), path="/hr", httponly=True,
                            samesite="strict",
                            secure=config.web.base_url.startswith("https://"))
        return response

    @router.post("/logout")
    async def log_out(request: Request) -> Response:
        done = await checked(request)
        if isinstance(done, Response):
            return done
        response = RedirectResponse("/hr/login", status_code=303)
        response.delete_cookie(COOKIE, path="/hr")
        return response

    @router.post("/upload", response_class=HTMLResponse)
    async def upload(request: Request) -> Response:
        if int(request.headers.get("content-length") or 0) > MAX_SHEET_BYTES:
            return Response("Too large", status_code=413, media_type="text/plain")
        done = await checked(request)
        if isinstance(done, Response):
            return done
        config, links, session = done
        form = request.state.form
        inbox, sent = str(form.get("inbox", "")), form.get("file")
        w = labels(config.program.locale)["hr"]
        if inbox not in INBOXES or not isinstance(sent, UploadFile):
            return page(config, links, session, {"refused": w["no_file"]}, 400)
        try:
            name = await run_in_threadpool(file_into_inbox, ws, inbox, sent.filename or "",
                                           await sent.read())
        except InboxRefused as refused:
            return page(config, links, session, {"refused": w["refused"].format(
                name=Path(sent.filename or "").name, reason=refused)}, 400)
        return page(config, links, session, {"done": w["uploaded"].format(
            name=name, inbox=labels(config.program.locale)["inputs"][inbox])})

    @router.post("/run/{stage}", response_class=HTMLResponse)
    async def run(stage: str, request: Request) -> Response:
        done = await checked(request)
        if isinstance(done, Response):
            return done
        config, links, session = done
        if stage not in STAGES:
            return Response("Not found", status_code=404, media_type="text/plain")
        t = labels(config.program.locale)
        w = t["hr"]
        try:
            summary = await run_in_threadpool(run_stage, stage_flow(stage),
                                              workspace=str(ws.root))
        except StageStopped as stop:
            return page(load_program(ws), links, session, {
                "refused": w["stopped"].format(stage=t["stages"][stage]),
                "detail": str(stop)}, 409)
        return page(load_program(ws), links, session, {"done": w["ran"].format(
            stage=t["stages"][stage], run_id=summary["run_id"])})

    @router.post("/person", response_class=HTMLResponse)
    async def person(request: Request) -> Response:
        """Everything the programme holds about one applicant, as the page to hand over."""
        done = await checked(request)
        if isinstance(done, Response):
            return done
        config, links, session = done
        applicant_id = str(request.state.form.get("applicant_id", "")).strip()
        held = await run_in_threadpool(person_record, ws, config, applicant_id)
        if held is None:
            w = labels(config.program.locale)["hr"]
            return page(config, links, session, {"refused": w["no_person"].format(
                id=applicant_id)}, 404)
        shown = await run_in_threadpool(write_person_page, ws, config, held)
        return RedirectResponse(f"/hr/files/{shown}", status_code=303)

    @router.get("/files/{folder}/{name:path}")
    def read_file(folder: str, name: str, request: Request) -> Response:
        config = load_program(ws)
        if signed_in(request, portal_links(ws, config)) is None:
            return RedirectResponse("/hr/login", status_code=303)
        base = ws.folder(folder).resolve()
        shown = (base / name).resolve()
        if folder not in READABLE or not shown.is_relative_to(base) or not shown.is_file() \
                or any(part.startswith(".") for part in shown.relative_to(base).parts):
            return Response("Not found", status_code=404, media_type="text/plain")
        if folder == "reports":
            response = FileResponse(shown)
            response.headers["Content-Security-Policy"] = REPORT_POLICY
            return response
        return FileResponse(shown, filename=name)  # exports are downloaded, never shown

    def login(config: ProgramConfig, request: Request, wrong: bool) -> HTMLResponse:
        t = labels(config.program.locale)
        if signed_in(request, portal_links(ws, config)):
            return HTMLResponse(status_code=303, headers={"Location": "/hr"})
        return HTMLResponse(render(
            "portal/hr_login.html", t=t, w=t["hr"], locale=config.program.locale,
            program_name=config.program.name, wrong=wrong,
            password=bool(load_settings().hr_password_hash)),
            status_code=401 if wrong else 200)

    return router
