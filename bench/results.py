"""bench/RESULTS.md, in which each benchmark script owns one section."""

from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def write_section(text, *, heading, end_mark):
    """Put text in place of the section from its heading to its end marker, or at the
    end of the file the first time; the rest of the file is kept as it is."""
    current = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    if heading in current and end_mark in current:
        start = current.index(heading)
        end = current.index(end_mark) + len(end_mark)
        current = current[:start] + text + current[end:]
    else:
        current = current.rstrip("\n") + "\n\n" + text + "\n"
    RESULTS.write_text(current)
