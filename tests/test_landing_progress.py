"""How far the reading of an input kind is (ingest/landing.py ReadProgress): a line per file for a few files; for
many, a line per tenth with the counts (each line of a Dagster run is an event in its event log), and always a line
naming a quarantined file."""

from ingest.landing import PER_FILE_LINES, PROGRESS_EVERY_S, ReadProgress
from planwatch_core.errors import InputError


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_few_files_get_a_line_each():
    lines: list[str] = []
    meter = ReadProgress("bulletins", 3, 5, lines.append, Clock())
    meter.read(0, "a.txt", 31, None)
    meter.read(3, "d.txt", 0, None)
    meter.read(4, "e.txt", None, InputError("e.txt", "title", "names no statistical year"))
    assert lines == [
        "[bulletins 1/5] read a.txt: 31 records landed",
        "[bulletins 4/5] read d.txt: 0 records landed",
        "[bulletins 5/5] e.txt quarantined: e.txt: title: names no statistical year",
    ]


def test_many_files_get_a_line_per_tenth_and_one_per_quarantined_file():
    lines: list[str] = []
    total = 10 * (PER_FILE_LINES + 5)
    meter = ReadProgress("plans", total, total, lines.append, Clock())
    for index in range(total):
        error = InputError(f"p{index}.txt", "table", "two rows numbered 3") if index == 7 else None
        meter.read(index, f"p{index}.txt", None if error else 60, error)
    assert lines[0] == "[plans 8/250] p7.txt quarantined: p7.txt: table: two rows numbered 3"
    counts = lines[1:]
    assert len(counts) == 10  # 10 %, 20 %, … 100 %
    assert counts[0] == "[plans] 25 of 250 files read (10 %): 1,440 records landed, 1 quarantined"
    assert counts[-1] == "[plans] 250 of 250 files read (100 %): 14,940 records landed, 1 quarantined"


def test_a_slow_reading_still_reports_every_few_seconds():
    lines: list[str] = []
    clock = Clock()
    meter = ReadProgress("bulletins", 1000, 1000, lines.append, clock)
    meter.read(0, "a.txt", 30, None)
    assert lines == []  # under a tenth and no time passed
    clock.now = PROGRESS_EVERY_S + 0.1
    meter.read(1, "b.txt", 30, None)
    assert lines == ["[bulletins] 2 of 1,000 files read (0 %): 60 records landed, 0 quarantined"]
