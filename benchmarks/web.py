"""The portal where people wait: an upload's verdict, and leaders' videos starting to play.

    python benchmarks/web.py

Runs the demo programme into a temporary folder, serves it with the portal on this machine,
then prints one JSON line and a table: the seconds from a finished upload of a 60 s 720p clip
to the verdict on the applicant's page, next to one bare decode of the same clip, and their
ratio (aim: at most 1.3); and the time to the first byte of a video for 20 leaders starting
to stream at once (median and 95th percentile).
"""

from __future__ import annotations

import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import uvicorn

from figures import report
from flows.cli import demo_links
from flows.web import create_app
from tasks.synthetic import make_clip
from tasks.workspace import Workspace

LEADERS = 20


def serve(root: Path) -> tuple[uvicorn.Server, str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(root), host="127.0.0.1", port=port,
                                           log_level="warning", access_log=False))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}"


def first_byte(client: httpx.Client, url: str) -> float:
    started = time.perf_counter()
    with client.stream("GET", url, headers={"Range": "bytes=0-1048575"}) as response:
        next(response.iter_raw())
    return time.perf_counter() - started


def main() -> None:
    mentoring = Path(sys.executable).with_name("mentoring")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "demo"
        subprocess.run([str(mentoring), "demo", str(root), "--json"], check=True,
                       capture_output=True)
        ws = Workspace(root)
        invited = next(ws.inbox("videos").glob("*.mp4")).stem
        links = demo_links(ws, invited)
        server, address = serve(root)
        video_page = address + urlsplit(links[f"applicant {invited}"]).path
        packet_page = address + urlsplit(links["leader L1"]).path
        clip = make_clip(Path(tmp) / "clip.mp4", 60, size="1280x720", rate=25)

        started = time.perf_counter()
        subprocess.run(["ffmpeg", "-v", "error", "-i", str(clip), "-f", "null", "-"],
                       check=True)
        decode_s = time.perf_counter() - started
        with httpx.Client(timeout=600) as client:
            body = clip.read_bytes()
            started = time.perf_counter()
            answer = client.post(video_page, files={"video": ("clip.mp4", body, "video/mp4")})
            verdict_s = time.perf_counter() - started
            assert answer.status_code == 303, answer.status_code
            page = client.get(packet_page).text
        videos = [address + part.split('"')[0]
                  for part in page.split('src="')[1:] if ".mp4" in part.split('"')[0]]
        with httpx.Client(timeout=60, limits=httpx.Limits(max_connections=LEADERS)) as client, \
                ThreadPoolExecutor(max_workers=LEADERS) as pool:
            waits = sorted(pool.map(lambda n: first_byte(client, videos[n % len(videos)]),
                                    range(LEADERS)))
        server.should_exit = True
    report({"bench": "web", "clip_s": 60, "decode_s": round(decode_s, 2),
            "upload_to_verdict_s": round(verdict_s, 2),
            "ratio": round(verdict_s / decode_s, 2), "leaders": LEADERS,
            "first_byte_median_ms": round(statistics.median(waits) * 1000, 1),
            "first_byte_p95_ms": round(waits[int(0.95 * (len(waits) - 1))] * 1000, 1)})


if __name__ == "__main__":
    main()
