"""The `mentoring` command: one subcommand per stage, each taking the programme workspace."""

from __future__ import annotations

import atexit
import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from scoring.errors import StageStopped

if TYPE_CHECKING:
    from tasks.workspace import Workspace

app = typer.Typer(help="Reverse-mentoring intake and selection pipeline.", no_args_is_help=True,
                  pretty_exceptions_enable=False, add_completion=False)

Folder = Annotated[Path, typer.Argument(help="the programme workspace folder")]
AsJson = Annotated[bool, typer.Option("--json", help="print one JSON object on stdout")]


def print_columns(rows: dict) -> None:
    for name, value in rows.items():
        print(f"  {name:<16} {value:>7}" if isinstance(value, int) else f"  {name:<16} {value}")


def emit(summary: dict, as_json: bool) -> None:
    if as_json:
        print(json.dumps(summary, ensure_ascii=False))
        return
    print(f"{summary['stage']} finished (run {summary['run_id']})")
    print_columns(summary["counts"])
    print_columns(summary["outputs"])


def run(command: str, folder: Path, as_json: bool, **parameters: object) -> dict:
    """Run one stage flow; a stopped stage prints its message and exits 2, with no traceback."""
    from flows.runtime import run_stage, stage_flow

    try:
        summary = run_stage(stage_flow(command), workspace=str(folder.resolve()), **parameters)
    except StageStopped as stop:
        print(f"{command} stopped, nothing was published:\n{stop}", file=sys.stderr)
        if as_json:
            print(json.dumps({"stage": command, "error": str(stop)}, ensure_ascii=False))
        raise typer.Exit(2) from None
    emit(summary, as_json)
    return summary


@app.command()
def init(folder: Folder) -> None:
    """Create a workspace: inbox folders and a commented program.toml to edit."""
    from tasks.workspace import init_workspace

    ws = init_workspace(folder)
    print(f"Workspace ready in {ws.root}. Edit {ws.program_file}, then put the application "
          f"exports in {ws.inbox('applications')} and the reviewer sheets in "
          f"{ws.inbox('reviews')}.")


@app.command()
def intake(folder: Folder, as_json: AsJson = False) -> None:
    """Step 1: validate applications, check eligibility, score, select and invite."""
    run("intake", folder, as_json)


class ReviewStage(StrEnum):
    intake = "intake"
    videos = "videos"


@app.command()
def assign(folder: Folder, as_json: AsJson = False,
           stage: Annotated[ReviewStage, typer.Option(
               help="the applications (intake) or the accepted videos (videos)")]
           = ReviewStage.intake) -> None:
    """Give every applicant of a stage its reviewers from [[reviewers]], and e-mail each
    reviewer a pre-filled sheet; earlier assignments stay."""
    run("assign", folder, as_json, stage=stage.value)


@app.command()
def remind(folder: Folder, as_json: AsJson = False) -> None:
    """E-mail those who are behind, at most once a day each: reviewers who owe reviews, leaders
    who have not ranked, invited applicants without an accepted video."""
    run("remind", folder, as_json)


@app.command()
def videos(folder: Folder, as_json: AsJson = False) -> None:
    """Step 2: check the submitted videos, normalise them, assess again and shortlist."""
    run("videos", folder, as_json)


@app.command()
def shortlist(folder: Folder, as_json: AsJson = False) -> None:
    """Step 3a: build a packet per leader (candidates, videos, ranking sheet) and e-mail it."""
    run("shortlist", folder, as_json)


@app.command()
def match(folder: Folder, as_json: AsJson = False,
          announce: Annotated[bool, typer.Option(
              "--announce", help="also e-mail the pairs to mentors and leaders")] = False) -> None:
    """Step 3b: read the returned ranking sheets and assign mentors to leaders."""
    run("match", folder, as_json, announce=announce)


@app.command()
def notify(folder: Folder, as_json: AsJson = False) -> None:
    """Tell every applicant the outcome they now have and have not been told yet."""
    run("notify", folder, as_json)


@app.command()
def rescore(folder: Folder, as_json: AsJson = False) -> None:
    """Recompute scores, invitations and shortlist from the newest sheets; report what moved."""
    summary = run("rescore", folder, as_json)
    if not as_json:
        if not summary["recomputed"]:
            print("  nothing changed since the last rescoring: nothing recomputed")
        for row in summary["moved"]:
            print(f"  moved {row['applicant_id']}: {row['from']} -> {row['to']} ({row['why']})")


@app.command()
def status(folder: Folder, as_json: AsJson = False) -> None:
    """Where the programme stands: last run of each stage, counts, what is waiting."""
    from tasks.status import programme_status, reading_store
    from tasks.workspace import load_program, open_workspace

    try:
        ws = open_workspace(folder)
        config = load_program(ws)
        with reading_store(ws) as schema:
            state = programme_status(ws, config, schema)
    except StageStopped as stop:
        print(stop, file=sys.stderr)
        raise typer.Exit(2) from None
    if as_json:
        print(json.dumps(state, ensure_ascii=False, default=str))
        return
    print(f"programme {state['programme']} (store schema version {state['schema']})")
    for stage, last in state["stages"].items():
        print(f"  last {stage:<10} {last['finished_at'][:16]}  {last['status']}  {last['run_id']}")
    print_columns(state["counts"])
    waiting = state["waiting"]
    print(f"  waiting: {waiting['reviews']} for reviews, {waiting['videos']} for videos, "
          f"rankings from {', '.join(waiting['rankings']) or 'nobody'}, "
          f"{waiting['emails']} e-mails not sent, {waiting['told']} applicants not yet told "
          "their outcome (`mentoring notify` tells them)")
    for reviewer, ids in waiting["reviews_owed"].items():
        print(f"  reviewer {reviewer} owes {len(ids)} reviews: {', '.join(ids[:10])}"
              + (" …" if len(ids) > 10 else ""))


@app.command()
def serve(folder: Folder) -> None:
    """Serve the stages as deployments for the Prefect UI, with nightly rescoring."""
    from prefect import serve as prefect_serve
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.deployments import deployments
    from flows.server import api_url

    try:
        served = deployments(folder)
        # Prefect's server, not its temporary API: only a server runs the nightly schedule.
        with temporary_settings(updates={PREFECT_API_URL: api_url()}):
            prefect_serve(*served)
    except StageStopped as stop:
        print(stop, file=sys.stderr)
        raise typer.Exit(2) from None


@app.command()
def web(folder: Folder,
        host: Annotated[str, typer.Option(help="the address to listen on")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="the port to listen on")] = 8000) -> None:
    """Serve the programme's portal: each applicant's own video page, behind a personal link."""
    import uvicorn

    from flows.web import create_app
    from tasks.workspace import load_program

    try:
        application = create_app(folder)
        if not load_program(application.state.ws).web.base_url:
            print("[web] base_url is not set in program.toml: letters will carry no links to "
                  "this portal.", file=sys.stderr)
    except StageStopped as stop:
        print(stop, file=sys.stderr)
        raise typer.Exit(2) from None
    # No access log: a personal link's path is the key to someone's page.
    uvicorn.run(application, host=host, port=port, proxy_headers=True, server_header=False,
                access_log=False)


@app.command("hr-password")
def hr_password() -> None:
    """Make the value of MENTORING_HR_PASSWORD_HASH from a password typed here (never kept)."""
    from tasks.hr import hash_password

    password = typer.prompt("HR's password for the portal", hide_input=True,
                            confirmation_prompt=True, err=True)
    if len(password) < 12:
        print("Use at least 12 characters.", file=sys.stderr)
        raise typer.Exit(2)
    print(hash_password(password))


@app.command()
def person(folder: Folder, applicant_id: Annotated[str, typer.Argument(help="the applicant's id")],
           as_json: AsJson = False) -> None:
    """Everything the programme holds about one applicant, as a page to hand over (or JSON)."""
    from tasks.person import person_record, write_person_page
    from tasks.status import reading_store
    from tasks.workspace import load_program, open_workspace

    try:
        ws = open_workspace(folder)
        config = load_program(ws)
        with reading_store(ws):
            held = person_record(ws, config, applicant_id)
            if held is None:
                print(f"the programme holds nothing about applicant id {applicant_id}",
                      file=sys.stderr)
                raise typer.Exit(1)
            page = write_person_page(ws, config, held)
    except StageStopped as stop:
        print(stop, file=sys.stderr)
        raise typer.Exit(2) from None
    if as_json:
        print(json.dumps({**held, "page": page}, ensure_ascii=False))
        return
    print(f"Everything the programme holds about {applicant_id} is in {ws.root / page}")
    print_columns({section: len(held[section]) for section in
                   ("reviews", "video_reviews", "history", "decisions", "letters", "videos")})


def print_plan(plan: dict) -> None:
    for name, count in plan["files_removed"].items():
        print(f"  {name:<24} {count:>7} files")
    for name, count in plan["store_rows_removed"].items():
        print(f"  store: {name:<17} {count:>7} rows")


@app.command()
def purge(folder: Folder,
          before: Annotated[str | None, typer.Option(
              help="only if the programme has not run since this day (YYYY-MM-DD)")] = None,
          dry_run: Annotated[bool, typer.Option(
              "--dry-run", help="list what would be removed, and remove nothing")] = False,
          yes: Annotated[bool, typer.Option(
              "--yes", help="remove without asking first")] = False,
          ) -> None:
    """Delete a finished programme's personal data; keep the figures and a deletion receipt."""
    import datetime as dt

    from tasks.purge import RECEIPT, purge_plan
    from tasks.purge import purge as purge_programme
    from tasks.workspace import load_program, open_workspace

    try:
        ws = open_workspace(folder)
        program = load_program(ws).program
        if dry_run or not yes:
            print(f"purge would remove, for good, from {ws.root}:")
            print_plan(purge_plan(ws))
        if dry_run:
            return
        if not yes and not typer.confirm("Remove all of this?", default=False, err=True):
            raise typer.Abort()
        receipt = purge_programme(ws, program, dt.date.fromisoformat(before) if before else None)
    except typer.Abort:
        print("Nothing was removed (to purge without being asked, add --yes).", file=sys.stderr)
        raise typer.Exit(1) from None
    except (StageStopped, ValueError) as stop:
        print(f"purge stopped: {stop}", file=sys.stderr)
        raise typer.Exit(2) from None
    removed = sum(receipt["files_removed"].values())
    print(f"Removed {removed} files and {sum(receipt['store_rows_removed'].values())} store rows; "
          f"the receipt is {ws.root / RECEIPT}.")


@app.command()
def forget(folder: Folder,
           applicant_id: Annotated[str, typer.Argument(help="the applicant's id")],
           yes: Annotated[bool, typer.Option(
               "--yes", help="erase without asking first")] = False) -> None:
    """Erase one applicant who withdrew their consent, mid-programme: their rows, videos,
    letters and every page that names them; a receipt that names nobody."""
    from tasks.forget import forget as forget_person
    from tasks.workspace import load_program, open_workspace

    try:
        ws = open_workspace(folder)
        config = load_program(ws)
        if not yes and not typer.confirm(
                f"Erase everything about {applicant_id} from {ws.root}, for good?",
                default=False, err=True):
            raise typer.Abort()
        receipt = forget_person(ws, config, applicant_id)
    except typer.Abort:
        print("Nothing was removed (to erase without being asked, add --yes).",
              file=sys.stderr)
        raise typer.Exit(1) from None
    except StageStopped as stop:
        print(f"forget stopped: {stop}", file=sys.stderr)
        raise typer.Exit(2) from None
    print(f"Erased {applicant_id}; the receipt is in {ws.root / 'forget-receipts'}.")
    print_columns(receipt["removed"])
    print("Run the stages again: they write anew, without them, what named them.")


@app.command()
def demo(folder: Annotated[Path, typer.Argument()] = Path("demo"),
         applicants: Annotated[int, typer.Option(help="how many synthetic applicants")] = 200,
         as_json: AsJson = False) -> None:
    """Write a synthetic programme into FOLDER and run every stage on it."""
    import pandas as pd

    from scoring.record import Status
    from tasks.synthetic import (
        log_withdrawal,
        return_review_sheets,
        write_programme,
        write_rankings,
        write_videos,
    )

    if (folder / "program.toml").exists():
        print(f"{folder} already holds a programme; remove it or name another folder.",
              file=sys.stderr)
        raise typer.Exit(2)

    def people() -> pd.DataFrame:
        return pd.read_csv(ws.folder("exports") / "applicants.csv", encoding="utf-8-sig")

    ws = write_programme(folder, applicants=applicants, panel=True)
    run("intake", folder, as_json)  # the applications checked; all of them wait for reviews
    run("assign", folder, as_json)  # the panel gets its applicants and its sheets
    return_review_sheets(ws)  # one reviewer is a few applicants behind
    run("remind", folder, as_json)
    run("intake", folder, as_json)  # scores and invitations
    log_withdrawal(ws, sorted(people().query("status == 'invited'")["applicant_id"])[0],
                   "har fått ny stilling utenfor etaten")
    run("intake", folder, as_json)  # the next best takes the freed place and is invited
    now = people()
    invited = sorted(now.loc[now["status"] == Status.INVITED, "applicant_id"])
    not_invited = now.loc[now["status"] == Status.NOT_INVITED, "applicant_id"].iloc[0]
    write_videos(ws, invited, not_invited)
    run("videos", folder, as_json)
    run("shortlist", folder, as_json)
    write_rankings(ws)
    pairs = pd.read_csv(run("match", folder, as_json, announce=True)["outputs"]["pairs_csv"],
                        encoding="utf-8-sig")
    log_withdrawal(ws, pairs["applicant_id"].iloc[0], "takket nei til å være mentor")
    summary = run("match", folder, as_json, announce=True)  # the leader gets the next best
    run("notify", folder, as_json)
    if not as_json:
        print(f"\nOpen the HR report: {summary['outputs']['report']}")
        print(f"Open the portal: .venv/bin/mentoring web {folder}, then")
        for who, link in demo_links(ws, invited[0]).items():
            print(f"  as {who}: {link}")
        print("  as HR: http://127.0.0.1:8000/hr, having started it with "
              "MENTORING_HR_PASSWORD_HASH=$(.venv/bin/mentoring hr-password) set")


def demo_links(ws: Workspace, applicant_id: str) -> dict[str, str | None]:
    """One applicant's and one leader's own page, as their letters link to them."""
    from tasks.links import portal_links
    from tasks.outcomes import video_deadline_of
    from tasks.status import reading_store
    from tasks.workspace import load_program

    config = load_program(ws)
    with reading_store(ws):
        deadline = video_deadline_of(ws, config, applicant_id)
    links = portal_links(ws, config)
    leader = config.leaders[0]
    return {f"applicant {applicant_id}": links.video(applicant_id, deadline),
            f"leader {leader.id}": links.packet(leader.id, config.packets.reply_deadline)}


def main() -> None:
    """The `mentoring` command as installed: the commands above, and a quick end. Freeing every
    object the libraries made, one by one as the interpreter shuts down, took 1.5 s of each
    command; so once every other exit handler has run (Prefect sends its last logs and events
    then, logging flushes), the process ends at once, with the command's exit status."""
    status = 0

    def end_now() -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)

    atexit.register(end_now)  # the first registered runs last
    try:
        app()
    except SystemExit as done:
        status = done.code if isinstance(done.code, int) else int(done.code is not None)
        raise
    except BaseException:  # a bug: its traceback, and the status Python gives it
        status = 1
        raise
