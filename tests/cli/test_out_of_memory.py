"""Memory that runs out in a command is said in words, in the user's language, with no
traceback (README, "Files tilskudd cannot read"), although memory is still short when it is
caught: the traceback's frames hold what filled it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

# The reader, in a child with its address space capped a little above what it has, fills the
# memory and keeps what it took in its frame, as a reader of a huge file does, down to the last
# kilobyte; the MemoryError goes up through the command as it would.
_RUN_IN_CHILD = """
import resource, sys
import tilskudd.cli.check, tilskudd.reading
from tilskudd.cli import main

def read_table(*args, **kwargs):
    held = []
    for size in (1 << 20, 1 << 10):
        try:
            while True:
                held.append(bytearray(size))
        except MemoryError:
            pass
    held.append(bytearray(1 << 20))

tilskudd.reading.read_table = read_table
with open("/proc/self/status") as status:
    size = next(int(line.split()[1]) for line in status if line.startswith("VmSize:")) << 10
limit = size + (256 << 20)
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
sys.argv = ["tilskudd", *sys.argv[1:]]
main()
"""


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    file = tmp_path / "søknader.csv"
    file.write_text("Nr;Søker;Søkt beløp\nS-1;Korps;100000\n", encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-c", _RUN_IN_CHILD, "check", str(file), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc (Linux)")
@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "error: tilskudd ran out of memory. Check that the applications file holds"),
        ("nb", "feil: tilskudd gikk tom for minne. Sjekk at søknadsfilen bare inneholder"),
    ],
)
def test_memory_running_out_is_said_in_words_without_a_traceback(
    tmp_path: Path, lang: str, said: str
) -> None:
    done = _run(tmp_path, "--lang", lang)
    assert done.returncode == 1, done.stderr[-3000:]
    assert done.stderr.startswith(said), done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    assert "filled down to" in done.stderr or "fylt ned til" in done.stderr


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc (Linux)")
def test_memory_running_out_keeps_its_traceback_with_debug(tmp_path: Path) -> None:
    done = _run(tmp_path, "--debug")
    assert done.returncode != 0
    assert "Traceback" in done.stderr
    assert "MemoryError" in done.stderr
