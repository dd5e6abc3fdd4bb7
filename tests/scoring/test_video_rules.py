import pytest

from factories import program
from scoring.video import Analysis, Probe, judge, read_analysis

RULES = program().video  # 20-90 s, at least 360 pixels high, at most 500 MB

DECODE_LOG = """
[silencedetect @ 0x1] silence_start: 0
[freezedetect @ 0x2] lavfi.freezedetect.freeze_start: 1.2
[Parsed_volumedetect_5 @ 0x3] max_volume: -91.0 dB
[silencedetect @ 0x1] silence_end: 30 | silence_duration: 30
[blackdetect @ 0x4] black_start:0 black_end:4.8 black_duration:4.8
[blackdetect @ 0x4] black_start:10 black_end:12 black_duration:2
[h264 @ 0x5] Invalid NAL unit size (1234 > 99).
[h264 @ 0x5] error while decoding MB 3 4
"""


def test_the_decode_log_is_read_into_measurements():
    analysis = read_analysis(DECODE_LOG, duration=30.0)
    assert analysis.black_s == pytest.approx(6.8)
    assert analysis.frozen_s == pytest.approx(28.8)  # still frozen at the end
    assert analysis.silent_s == pytest.approx(30)
    assert analysis.max_volume_db == -91.0
    assert analysis.corrupt_lines == 2


def good(**changes) -> Probe:
    return Probe(**{"duration": 60.0, "size_bytes": 10_000_000, "has_video": True,
                    "has_audio": True, "width": 1280, "height": 720, **changes})


@pytest.mark.parametrize(("facts", "analysis", "problems"), [
    (good(), Analysis(max_volume_db=-12), []),
    (good(duration=90.0), Analysis(max_volume_db=-12), []),
    (good(duration=90.1), Analysis(max_volume_db=-12), ["too_long"]),
    (good(duration=5.0), Analysis(max_volume_db=-12), ["too_short"]),
    (good(has_audio=False), Analysis(), ["no_audio"]),
    (good(has_video=False, width=0, height=0), None, ["no_video"]),
    (good(width=640, height=240), Analysis(max_volume_db=-12), ["low_resolution"]),
    (good(width=3840, height=2160, rotation=-90), Analysis(max_volume_db=-12), []),
    (good(size_bytes=600_000_000), Analysis(max_volume_db=-12), ["too_large"]),
    (good(), Analysis(silent_s=60, max_volume_db=-91), ["silent"]),
    (good(), Analysis(black_s=59, frozen_s=60, max_volume_db=-12), ["black"]),
    (good(), Analysis(frozen_s=58, max_volume_db=-12), ["frozen"]),
    (good(), Analysis(corrupt_lines=3, max_volume_db=-12), ["damaged"]),
    (good(duration=0.0, has_audio=False), Analysis(), ["no_audio", "too_short"]),
])
def test_each_rule_of_the_video_section_decides(facts, analysis, problems):
    assert judge(facts, analysis, RULES) == problems


def test_a_portrait_phone_video_is_as_high_as_it_is_shown():
    assert good(width=1920, height=1080, rotation=90).shown_height == 1920
