"""What every fuzz harness here shares: run one input in a forked child, judge it, keep crashes.

The oracle (README, "Files tilskudd cannot read"; STYLE.md, "Errors people can act on"): on
any input the library returns, or raises a :class:`~tilskudd.errors.TilskuddError`; anything
else is a crash. So is a child that dies (a Rust panic that aborts, the kernel's OOM killer),
one that takes longer than ``--timeout`` seconds, and one that needs more than ``--memory``
MiB: a small input never needs much. Each input runs in a child forked from the harness, with
tilskudd already imported, so a crash of any kind ends only that child.

A crash is saved under ``--out`` (default ``fuzz-out/<harness>/``, outside git's sight only
if you keep it out: the default is under /tmp) as ``crash-<n>.<ext>`` beside a
``crash-<n>.txt`` that says what happened.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import signal
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

Target = Callable[[bytes, random.Random], None]
EXTENSION = [""]
"""The extension of the input being run (its file's, when replayed): a target that writes the
input to a file names it so."""
Mutator = Callable[[random.Random], tuple[bytes, str]]


def options(description: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--minutes", type=float, default=5.0, help="how long to run (5)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (time)")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds per input (20)")
    parser.add_argument("--memory", type=int, default=2048, help="MiB per input (2048)")
    parser.add_argument("--out", type=Path, default=None, help="where crashes go")
    parser.add_argument("--max-crashes", type=int, default=50, help="stop after this many")
    parser.add_argument(
        "--replay", type=Path, nargs="*", default=None, help="run these inputs once each"
    )
    return parser.parse_args()


def _child(
    target: Target, data: bytes, seed: int, timeout: float, memory: int, report: Path
) -> None:
    """Runs in the forked child: exits 0 when the oracle holds, 1 with a report when not."""
    limit = memory * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    signal.signal(signal.SIGALRM, signal.SIG_DFL)  # a hang ends the child: the parent sees it
    signal.setitimer(signal.ITIMER_REAL, timeout)
    from tilskudd.errors import TilskuddError

    try:
        target(data, random.Random(seed))
    except TilskuddError:
        pass
    except BaseException as exc:  # the oracle: nothing else may come out
        report.write_text("".join(traceback.format_exception(exc)), encoding="utf-8")
        os._exit(1)
    os._exit(0)


def run_one(
    target: Target, data: bytes, seed: int, timeout: float, memory: int, report: Path
) -> str | None:
    """None when the oracle holds; else what went wrong, in a few words."""
    report.unlink(missing_ok=True)
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # pragma: no cover  (the child)
        try:
            _child(target, data, seed, timeout, memory, report)
        finally:
            os._exit(2)
    _, status = os.waitpid(pid, 0)
    took = time.monotonic() - started
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
        return None
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 1:
        lines = report.read_text(encoding="utf-8").strip().splitlines()
        return f"raised {lines[-1] if lines else '?'}"
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig == signal.SIGALRM:
            return f"hung: more than {timeout:g} s"
        return f"died of {signal.Signals(sig).name} after {took:.1f} s (memory or a Rust panic)"
    return f"exited {os.WEXITSTATUS(status)}"


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.exists() else ""


def fuzz(name: str, target: Target, mutate: Mutator, args: argparse.Namespace) -> int:
    """Run ``target`` on inputs from ``mutate`` for ``args.minutes``; returns the crash count."""
    out = args.out or Path("/tmp/tilskudd-fuzz") / name
    out.mkdir(parents=True, exist_ok=True)
    report = out / f".report-{os.getpid()}"
    if args.replay is not None:
        crashes = 0
        for path in args.replay:
            EXTENSION[0] = path.suffix.lstrip(".")
            said = run_one(target, path.read_bytes(), 0, args.timeout, args.memory, report)
            print(f"{path}: {said or 'ok'}")
            crashes += said is not None
        return crashes
    seed = args.seed if args.seed is not None else int(time.time())
    rng = random.Random(seed)
    end = time.monotonic() + args.minutes * 60
    runs = crashes = 0
    seen: set[str] = set()
    counts: dict[str, int] = {}
    started = time.monotonic()
    while time.monotonic() < end and crashes < args.max_crashes:
        data, ext = mutate(rng)
        EXTENSION[0] = ext
        case_seed = rng.randrange(1 << 30)
        said = run_one(target, data, case_seed, args.timeout, args.memory, report)
        runs += 1
        if said is None:
            continue
        # One input kept for each kind of failure (its last line), so a run is not all repeats.
        kind = said.split(" after")[0]
        if said.startswith("raised"):
            # The exception's type and the last line of tilskudd it passed through.
            frames = re.findall(r'File "([^"]*tilskudd[^"]*)", line (\d+)', _text(report))
            where = f" at {Path(frames[-1][0]).name}:{frames[-1][1]}" if frames else ""
            kind = said.split(":")[0] + where
        counts[kind] = counts.get(kind, 0) + 1
        if kind in seen and counts[kind] > 3:
            continue
        seen.add(kind)
        crashes += 1
        stem = out / f"crash-{crashes}"
        stem.with_suffix(f".{ext}").write_bytes(data)
        detail = report.read_text(encoding="utf-8") if report.exists() else ""
        stem.with_suffix(".txt").write_text(
            f"{said}\nseed {case_seed}\n\n{detail}", encoding="utf-8"
        )
        print(f"[{runs}] {said} -> {stem}.{ext}", flush=True)
    report.unlink(missing_ok=True)
    minutes = (time.monotonic() - started) / 60
    print(f"{name}: seed {seed}, {runs} inputs in {minutes:.1f} min; kept {crashes} in {out}")
    for kind, count in sorted(counts.items()):
        print(f"  {count:6d}  {kind}")
    return crashes


def main(name: str, target: Target, mutate: Mutator, description: str) -> None:
    args = options(description)
    sys.exit(1 if fuzz(name, target, mutate, args) else 0)
