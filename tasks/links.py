"""The personal links letters carry to the portal, and the key that signs them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from scoring.config import ProgramConfig
from scoring.errors import StageStopped
from scoring.links import make_token, read_token
from tasks.calendar import end_of
from tasks.settings import load_settings
from tasks.workspace import Workspace, signing_secret

# A link outlives its deadline by this long, so that someone who comes late reads that the
# deadline has passed rather than a bare "not found"; after that it opens nothing.
CLOSED_NOTICE = dt.timedelta(days=14)


@dataclass(frozen=True)
class Links:
    base_url: str
    secret: bytes
    programme: str
    timezone: str

    def video(self, applicant_id: str, deadline: dt.date) -> str | None:
        """The applicant's video page; None when the programme has no portal."""
        if not self.base_url:
            return None
        expires = self.end_of(deadline) + CLOSED_NOTICE
        return f"{self.base_url}/v/{self.token('video', applicant_id, expires)}"

    def packet(self, leader_id: str, reply_by: dt.date | None) -> str | None:
        """The leader's packet-and-ranking page; None when the programme has no portal."""
        if not self.base_url:
            return None
        if reply_by is None:
            raise StageStopped("[packets] reply_deadline is not set, and the leaders' links to "
                               "the portal expire two weeks after it: set it in program.toml, "
                               "then run again. Nothing was sent.")
        expires = self.end_of(reply_by) + CLOSED_NOTICE
        return f"{self.base_url}/p/{self.token('packet', leader_id, expires)}"

    def token(self, purpose: str, subject: str, expires: dt.datetime) -> str:
        return make_token(self.secret, purpose, self.programme, subject, expires)

    def subject(self, purpose: str, token: str) -> str | None:
        """Whom a token opens `purpose` for now; None for any token that opens nothing."""
        return read_token(self.secret, token, purpose, self.programme,
                          dt.datetime.now(dt.UTC))

    def end_of(self, day: dt.date) -> dt.datetime:
        return end_of(day, self.timezone)


def portal_links(ws: Workspace, config: ProgramConfig) -> Links:
    return Links(config.web.base_url, signing_secret(ws, load_settings().secret),
                 config.program.id, config.program.timezone)
