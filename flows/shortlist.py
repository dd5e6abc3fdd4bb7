"""Step 3a: a packet per leader (candidates, videos, ranking sheet), e-mailed to each leader."""

from __future__ import annotations

from prefect import flow

from flows.stage import open_stage
from tasks.artifacts import publish_artifacts
from tasks.email import send_letters
from tasks.exports import load_published
from tasks.letters import packet_letters
from tasks.packets import build_packets
from tasks.settings import load_settings
from tasks.shortlist import current_shortlist
from tasks.store import publish_packets
from tasks.workspace import signing_secret


@flow(name="shortlist", log_prints=False)
def shortlist(workspace: str) -> dict:
    with open_stage(workspace, "shortlist") as stage:
        ws, config = stage.ws, stage.config
        now, _ = load_published(ws)
        candidates, made_for = current_shortlist(ws, now)
        run = stage.record({"shortlist": made_for})

        built = build_packets(ws, config, candidates, made_for,
                              signing_secret(ws, load_settings().secret))
        counts = publish_packets(ws, run, built, made_for, now)
        letters = packet_letters(built, config, stage.links)
        emails = send_letters(ws, stage.name, run.run_id, letters, sender=config.program.hr_email)
        outputs = {"packets": ws.folder("packets"), "outbox": ws.folder("outbox")}
        publish_artifacts(stage.name, run.run_id, counts, now, outputs, config.web.base_url)
        return stage.summary(counts, outputs, emails=emails)
