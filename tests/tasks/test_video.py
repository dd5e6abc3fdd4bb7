"""Every case of the issue through the real ffprobe and ffmpeg, on small generated clips."""

import json
import shutil
import subprocess

import pytest

from factories import program
from scoring.config import Video
from tasks.render import reason_texts
from tasks.synthetic import make_clip
from tasks.video import check_video
from tasks.workspace import init_workspace

RULES = Video(**{**program().video.model_dump(), "min_seconds": 10, "min_height": 120})
TIMEOUT = 120.0
ENGLISH = reason_texts("en")
LOW = {"size": "160x120", "rate": 5}


@pytest.fixture(scope="session")
def clips(tmp_path_factory):
    """Generated once: a few seconds each at low resolution (the long ones at 5 frames/s)."""
    folder = tmp_path_factory.mktemp("clips")
    made = {
        "good": make_clip(folder / "good.mp4", 12, **LOW),
        "100 s": make_clip(folder / "100s.mp4", 100, **LOW),
        "91 s": make_clip(folder / "91s.mp4", 91, **LOW),
        "89.9 s": make_clip(folder / "89_9s.mp4", 89.9, **LOW),
        "5 s": make_clip(folder / "5s.mp4", 5, **LOW),
        "no audio stream": make_clip(folder / "mute.mp4", 12, audio=None, **LOW),
        "silent audio": make_clip(folder / "silent.mp4", 12, audio="silent", **LOW),
        "black": make_clip(folder / "black.mp4", 12, picture="black", **LOW),
        "frozen": make_clip(folder / "frozen.mp4", 12, picture="frozen", **LOW),
        "audio only": make_clip(folder / "audio.mp4", 12, picture=None),
        "4K portrait phone": make_clip(folder / "phone.mp4", 11, size="3840x2160", rate=1,
                                       rotate=90),
    }
    truncated = folder / "truncated.mp4"
    data = made["good"].read_bytes()
    truncated.write_bytes(data[: len(data) * 6 // 10])
    middle = bytearray(data)
    middle[len(data) // 3: len(data) // 3 + 20000] = bytes(20000)  # a hole in the picture data
    (folder / "hole.mp4").write_bytes(bytes(middle))
    ffmpeg_run = ["ffmpeg", "-v", "error", "-y", "-i", str(made["good"])]
    subprocess.run([*ffmpeg_run, "-c:v", "libvpx", "-c:a", "libvorbis", str(folder / "v.webm")],
                   check=True)
    subprocess.run([*ffmpeg_run, "-c", "copy", str(folder / "v.mkv")], check=True)
    subprocess.run([*ffmpeg_run, "-frames:v", "1", "-f", "image2", str(folder / "still.png")],
                   check=True)
    subprocess.run([*ffmpeg_run, "-vn", "-c:a", "libvorbis", str(folder / "sound.ogg")],
                   check=True)
    for name, source in (("recorded.webm", made["good"]), ("recorded-100s.webm", made["100 s"])):
        # As a browser's MediaRecorder writes it: VP8/Opus, streamed, no length stated.
        with (folder / name).open("wb") as out:
            subprocess.run(["ffmpeg", "-v", "error", "-i", str(source), "-c:v", "libvpx",
                            "-deadline", "realtime", "-c:a", "libopus", "-live", "1", "-f",
                            "webm", "pipe:1"], stdout=out, check=True)
    subprocess.run([*ffmpeg_run, "-c", "copy", "-f", "mp4", str(folder / "late_index.mp4")],
                   check=True)  # no +faststart: the index comes last, so a cut loses it
    late = (folder / "late_index.mp4").read_bytes()
    (folder / "cut_before_index.mp4").write_bytes(late[: len(late) * 8 // 10])
    (folder / "empty.mp4").write_bytes(b"")
    (folder / "text.mp4").write_text("Dette er et dikt, ikke en video.\n")
    return {**made, "truncated": truncated, "zero bytes": folder / "empty.mp4",
            "text named .mp4": folder / "text.mp4", "hole in the middle": folder / "hole.mp4",
            "WebM": folder / "v.webm", "Matroska": folder / "v.mkv",
            "browser recording": folder / "recorded.webm",
            "100 s browser recording": folder / "recorded-100s.webm",
            "a still image named .mp4": folder / "still.png",
            "Ogg sound only": folder / "sound.ogg",
            "cut before its index": folder / "cut_before_index.mp4",
            "low resolution": make_clip(folder / "tiny.mp4", 12, size="160x90", rate=5)}


@pytest.fixture
def ws(tmp_path):
    return init_workspace(tmp_path / "ws")


def check(ws, clip, name="A1.mp4") -> dict:
    target = ws.inbox("videos") / name
    shutil.copyfile(clip, target)
    return check_video.fn(ws, "A1", ws.relative(target), RULES, TIMEOUT, ENGLISH)


@pytest.mark.parametrize(("case", "problems"), [
    ("good", ""), ("89.9 s", ""), ("4K portrait phone", ""),
    ("100 s", "too_long"), ("91 s", "too_long"), ("5 s", "too_short"),
    ("no audio stream", "no_audio"), ("silent audio", "silent"), ("black", "black"),
    ("frozen", "frozen"), ("truncated", "damaged"), ("zero bytes", "unreadable"),
    ("text named .mp4", "unreadable"), ("audio only", "no_video"),
    ("hole in the middle", "damaged"), ("WebM", ""), ("Matroska", ""),
    ("a still image named .mp4", "no_audio,too_short"), ("Ogg sound only", "no_video"),
    ("cut before its index", "unreadable"), ("low resolution", "low_resolution"),
    ("browser recording", ""), ("100 s browser recording", "too_long"),
])
def test_each_video_gets_the_verdict_a_person_would_give(ws, clips, case, problems):
    result = check(ws, clips[case])
    assert result["problems"] == problems
    assert bool(result["reasons"]) == bool(problems)


def probe(path) -> dict:
    done = subprocess.run(["ffprobe", "-v", "error", "-show_streams", "-of", "json", str(path)],
                          capture_output=True, check=True)
    return {s["codec_type"]: s for s in json.loads(done.stdout)["streams"]}


def test_an_accepted_video_is_normalised_for_the_leaders(ws, clips):
    result = check(ws, clips["good"])
    streams = probe(ws.root / result["media"])
    assert streams["video"]["codec_name"] == "h264"
    assert streams["video"]["pix_fmt"] == "yuv420p"
    assert streams["audio"]["codec_name"] == "aac"
    assert streams["audio"]["sample_rate"] == "48000"
    assert (ws.root / result["poster"]).read_bytes()[:2] == b"\xff\xd8"  # a JPEG


def test_a_rotated_4k_phone_video_becomes_upright_portrait_within_720p(ws, clips):
    result = check(ws, clips["4K portrait phone"])
    video = probe(ws.root / result["media"])["video"]
    assert (video["width"], video["height"]) == (720, 1280)
    assert not any("rotation" in side for side in video.get("side_data_list", []))


def test_a_file_name_with_spaces_and_norwegian_letters_is_handled(ws, clips):
    assert check(ws, clips["good"], name="Video fra Åse Ødegård.mp4")["problems"] == ""


def test_the_same_content_is_not_decoded_again(ws, clips):
    first = check(ws, clips["good"])
    record = ws.root / "media" / f"{first['content_hash']}.json"
    outputs = [record, ws.root / first["media"], ws.root / first["poster"]]
    before = [p.stat().st_mtime_ns for p in outputs]
    assert check(ws, clips["good"], name="A1-again.mp4") == {**first, "file":
                                                                "inbox/videos/A1-again.mp4"}
    assert [p.stat().st_mtime_ns for p in outputs] == before


def test_a_hung_ffmpeg_fails_only_that_video_with_a_reason_and_is_not_decoded_again(ws, clips):
    target = ws.inbox("videos") / "A1.mp4"
    shutil.copyfile(clips["89.9 s"], target)
    result = check_video.fn(ws, "A1", ws.relative(target), RULES, 0.01, ENGLISH)
    assert result["problems"] == "timeout"
    assert result["reasons"] == "checking the file took too long"
    again = check_video.fn(ws, "A1", ws.relative(target), RULES, TIMEOUT, ENGLISH)
    assert again["problems"] == "timeout"  # recorded by content: a new file is checked anew


def measured(ws, result) -> dict:
    return json.loads((ws.root / "media" / f"{result['content_hash']}.json").read_text())


def test_a_browser_recording_that_states_no_length_is_judged_by_its_true_length(ws, clips):
    result = check(ws, clips["browser recording"])
    assert result["problems"] == "" and result["duration_s"] == pytest.approx(12, abs=0.1)
    assert measured(ws, result)["probe"]["duration"] is None


def test_a_video_too_long_by_its_own_account_is_refused_without_decoding_it(ws, clips):
    result = check(ws, clips["100 s"])
    assert result["reasons"] == "the video is longer than allowed (100.0 s; at most 90 s)"
    assert measured(ws, result)["analysis"] is None


def test_an_endless_recording_is_decoded_only_past_the_longest_allowed(ws, clips):
    result = check(ws, clips["100 s browser recording"])
    assert measured(ws, result)["analysis"]["decoded_s"] == pytest.approx(91, abs=0.5)
    assert result["reasons"] == ("the video is longer than allowed (more than 91.0 s; at most "
                                 "90 s)")


def test_a_video_measured_under_stricter_rules_is_decoded_again_when_they_allow_more(ws, clips):
    first = check(ws, clips["100 s"])
    assert measured(ws, first)["analysis"] is None
    roomier = Video(**{**RULES.model_dump(), "max_seconds": 120})
    target = ws.inbox("videos") / "A1.mp4"
    again = check_video.fn(ws, "A1", ws.relative(target), roomier, TIMEOUT, ENGLISH)
    assert again["problems"] == "" and measured(ws, again)["analysis"]["decoded_s"] > 99


SOUND_ALONE = RULES.model_copy(update={"audio_only": True})


@pytest.mark.parametrize(("case", "problems"), [
    ("audio only", ""), ("Ogg sound only", ""), ("good", ""), ("silent audio", "silent"),
    ("a still image named .mp4", "no_audio,too_short"),
])
def test_one_who_may_send_sound_alone_is_held_to_every_rule_but_the_picture(
        ws, clips, case, problems):
    target = ws.inbox("videos") / "A1.mp4"
    shutil.copyfile(clips[case], target)
    result = check_video.fn(ws, "A1", ws.relative(target), SOUND_ALONE, TIMEOUT, ENGLISH)
    assert result["problems"] == problems


def test_a_recording_of_sound_alone_plays_for_the_leaders_over_a_plain_picture(ws, clips):
    target = ws.inbox("videos") / "A1.ogg"
    shutil.copyfile(clips["Ogg sound only"], target)
    result = check_video.fn(ws, "A1", ws.relative(target), SOUND_ALONE, TIMEOUT, ENGLISH)
    streams = probe(ws.root / result["media"])
    assert streams["video"]["codec_name"] == "h264" and streams["audio"]["codec_name"] == "aac"
    assert float(streams["video"]["duration"]) == pytest.approx(12, abs=0.5)
    assert (ws.root / result["poster"]).read_bytes()[:2] == b"\xff\xd8"


def test_extra_seconds_granted_to_one_applicant_let_their_longer_video_through(ws, clips):
    longer = RULES.model_copy(update={"max_seconds": RULES.max_seconds + 15})
    assert check(ws, clips["100 s"])["problems"] == "too_long"
    target = ws.inbox("videos") / "A1.mp4"
    assert check_video.fn(ws, "A1", ws.relative(target), longer, TIMEOUT,
                          ENGLISH)["problems"] == ""
