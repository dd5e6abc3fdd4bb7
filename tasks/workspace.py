"""The programme workspace on disk: its folders, its config, and safe file writes."""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import tomllib
import uuid
from dataclasses import dataclass
from pathlib import Path

from scoring.config import ConfigError, ProgramConfig, parse_program
from scoring.errors import StageStopped
from tasks.settings import load_settings

PROJECT = Path(__file__).resolve().parents[1]
EXAMPLE_PROGRAM = PROJECT / "data" / "program.toml"
INBOXES = ("applications", "reviews", "videos", "video_reviews", "rankings", "decisions")
FOLDERS = ("outbox", "media", "uploads", "packets", "panel", "reports", "exports")


@dataclass(frozen=True)
class Workspace:
    root: Path

    @property
    def program_file(self) -> Path:
        return self.root / "program.toml"

    def inbox(self, name: str) -> Path:
        return self.root / "inbox" / name

    def folder(self, name: str) -> Path:
        return self.root / name

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    @property
    def own_store_url(self) -> str:
        """The store a workspace keeps for itself: a SQLite file inside it."""
        return f"sqlite:///{self.root / 'mentoring.db'}"

    @property
    def store_url(self) -> str:
        """MENTORING_DATABASE_URL when it names a server, else the workspace's own store."""
        return load_settings().database_url or self.own_store_url


def init_workspace(root: Path) -> Workspace:
    """Create the folders and a commented example `program.toml` (kept if one exists)."""
    ws = Workspace(root)
    for name in INBOXES:
        ws.inbox(name).mkdir(parents=True, exist_ok=True, mode=0o700)
    for name in FOLDERS:
        ws.folder(name).mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(root, 0o700)
    if not ws.program_file.exists():
        shutil.copyfile(EXAMPLE_PROGRAM, ws.program_file)
    return ws


def open_workspace(root: Path) -> Workspace:
    ws = Workspace(root)
    if not ws.program_file.is_file():
        raise ConfigError(f"{root} is not a programme workspace: {ws.program_file} is missing "
                          f"(create one with `mentoring init {root}`)")
    return ws


def load_program(ws: Workspace) -> ProgramConfig:
    try:
        data = tomllib.loads(ws.program_file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{ws.program_file} is not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{ws.program_file} is not UTF-8 text") from None
    return parse_program(data, source=str(ws.program_file))


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def partial_path(path: Path) -> Path:
    """A temporary name beside `path`, unique to this writer, to rename over `path` when done."""
    return path.with_name(f".{path.stem}.{uuid.uuid4().hex[:8]}.partial{path.suffix}")


def clear_leftovers(ws: Workspace) -> None:
    """Remove what a killed run left half-written: temporary files beside their targets, and
    packet folders being built or swapped. Call it only while holding the stage lock, when no
    other run can be writing."""
    found = [*ws.root.glob(".*.partial*"),
             *(path for name in FOLDERS for path in ws.folder(name).rglob(".*.partial*")),
             *ws.folder("packets").glob(".*.old")]
    for path in found:
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)


def write_atomically(path: Path, data: bytes) -> None:
    """Readers see the old file or the new one, never half of it; only the owner may read it."""
    partial = partial_path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise StageStopped(f"could not write {path} ({exc.strerror}); the previous version is "
                           "unchanged. Free some space or fix the folder, then run "
                           "again.") from None


def signing_secret(ws: Workspace, configured: str | None) -> bytes:
    """The key that signs ranking sheets: MENTORING_SECRET, else one made for this workspace
    and kept in `.secret`, readable by the owner only."""
    if configured:
        return configured.encode()
    path = ws.root / ".secret"
    if not path.exists():
        write_atomically(path, secrets.token_hex(32).encode())
    return path.read_bytes().strip()
