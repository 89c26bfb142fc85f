"""Mutation testing by hand: change one operator or statement of a module at a time, run the
tests given, and list the changes (mutants) that every test let through.

    .venv/bin/python scripts/mutate.py src/tilskudd/rules/ranked.py --only fund,_award_if_first \
        -- tests/rules/test_ranked.py tests/rules

The mutants: a comparison flipped at its edge (< and <=, > and >=) and negated (== and !=, is and
is not, in and not in), + and -, * and //, // and *, % and //, ``and`` and ``or``, a ``not``
dropped, an integer constant plus or minus 1, ``min`` and ``max`` swapped, ``True`` and
``False``, and a statement left out (an assignment, a call, an ``if``, a ``return``, ``continue``
or ``break`` replaced by ``pass``). ``--only``: the functions and classes (by name) whose code is
mutated, or ``--lines``: the line spans; all of the module's code without either.

Each mutant is written over the module, the tests run (``pytest -x``, stopping at the first
failure) and the module put back, also when interrupted. Nothing is written but the module
itself; run it in a clean clone and check ``git status`` afterwards. A survivor is either
equivalent (no input can tell it from the code; say why) or a missing test. docs/testing.md
has the figures of the last runs.
"""

from __future__ import annotations

import argparse
import ast
import copy
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

_COMPARE_SWAPS: dict[type[ast.cmpop], list[type[ast.cmpop]]] = {
    ast.Lt: [ast.LtE, ast.GtE],
    ast.LtE: [ast.Lt, ast.Gt],
    ast.Gt: [ast.GtE, ast.LtE],
    ast.GtE: [ast.Gt, ast.Lt],
    ast.Eq: [ast.NotEq],
    ast.NotEq: [ast.Eq],
    ast.Is: [ast.IsNot],
    ast.IsNot: [ast.Is],
    ast.In: [ast.NotIn],
    ast.NotIn: [ast.In],
}
_BINOP_SWAPS: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.FloorDiv,
    ast.FloorDiv: ast.Mult,
    ast.Mod: ast.FloorDiv,
}
_DROPPABLE = (
    ast.Assign,
    ast.AugAssign,
    ast.AnnAssign,
    ast.Expr,
    ast.If,
    ast.Return,
    ast.Continue,
    ast.Break,
    ast.Raise,
)


def _spans(tree: ast.Module, only: set[str]) -> list[tuple[int, int]]:
    """The line spans of the functions and classes named ``only`` (all of them, at any depth)."""
    return [
        (node.lineno, node.end_lineno or node.lineno)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and node.name in only
    ]


def _is_docstring(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def mutants(
    tree: ast.Module, only: set[str], lines: list[tuple[int, int]] | None = None
) -> Iterator[tuple[int, str, ast.Module]]:
    """Each mutant of ``tree``: its line, what changed, and the changed tree. ``only``: the
    names of the functions and classes mutated; ``lines``: the line spans mutated (both: each
    span of ``lines`` is one, and ``only`` is not used)."""
    spans = lines if lines else _spans(tree, only) if only else None

    def inside(node: ast.AST) -> bool:
        line = getattr(node, "lineno", None)
        if line is None:
            return False
        return spans is None or any(a <= line <= b for a, b in spans)

    nodes = list(ast.walk(tree))
    for index, node in enumerate(nodes):
        if not inside(node):
            continue
        changes: list[tuple[str, object]] = []
        if isinstance(node, ast.Compare):
            for i, op in enumerate(node.ops):
                for other in _COMPARE_SWAPS.get(type(op), []):
                    changes.append((f"{type(op).__name__} -> {other.__name__}", ("cmp", i, other)))
        elif isinstance(node, ast.BinOp | ast.AugAssign) and type(node.op) in _BINOP_SWAPS:
            binop = _BINOP_SWAPS[type(node.op)]
            changes.append((f"{type(node.op).__name__} -> {binop.__name__}", ("op", binop)))
        elif isinstance(node, ast.BoolOp):
            swap: type[ast.boolop] = ast.Or if isinstance(node.op, ast.And) else ast.And
            changes.append((f"{type(node.op).__name__} -> {swap.__name__}", ("bool", swap)))
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            changes.append(("not dropped", ("not",)))
        elif isinstance(node, ast.Constant) and type(node.value) is int:
            changes += [(f"{node.value} -> {node.value + d}", ("int", d)) for d in (1, -1)]
        elif isinstance(node, ast.Constant) and type(node.value) is bool:
            changes.append((f"{node.value} -> {not node.value}", ("bool_const",)))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("min", "max")
        ):
            other_name = "max" if node.func.id == "min" else "min"
            changes.append((f"{node.func.id} -> {other_name}", ("minmax", other_name)))
        for field in ("body", "orelse", "finalbody"):
            body = getattr(node, field, None)
            if not isinstance(body, list):
                continue
            for i, statement in enumerate(body):
                if (
                    isinstance(statement, _DROPPABLE)
                    and inside(statement)
                    and not _is_docstring(statement)
                ):
                    what = f"{type(statement).__name__} at line {statement.lineno} -> pass"
                    changes.append((what, ("drop", field, i)))
        for label, change in changes:
            mutated = copy.deepcopy(tree)
            target = list(ast.walk(mutated))[index]
            line = getattr(target, "lineno", 0)
            _apply(target, change)
            yield line, label, mutated


def _apply(node: ast.AST, change: object) -> None:
    assert isinstance(change, tuple)
    kind = change[0]
    if kind == "cmp":
        assert isinstance(node, ast.Compare)
        node.ops[change[1]] = change[2]()
    elif kind == "op":
        assert isinstance(node, ast.BinOp | ast.AugAssign)
        node.op = change[1]()
    elif kind == "bool":
        assert isinstance(node, ast.BoolOp)
        node.op = change[1]()
    elif kind == "not":
        assert isinstance(node, ast.UnaryOp)
        # The operand in place of the ``not``: copy its fields onto this node.
        operand = node.operand
        node.__class__ = operand.__class__  # type: ignore[assignment]
        node.__dict__.update(operand.__dict__)
    elif kind == "int":
        assert isinstance(node, ast.Constant)
        node.value = node.value + change[1]
    elif kind == "bool_const":
        assert isinstance(node, ast.Constant)
        node.value = not node.value
    elif kind == "minmax":
        assert isinstance(node, ast.Call)
        assert isinstance(node.func, ast.Name)
        node.func.id = change[1]
    elif kind == "drop":
        body = getattr(node, change[1])
        old = body[change[2]]
        body[change[2]] = ast.copy_location(ast.Pass(), old)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("module", type=Path)
    parser.add_argument("--only", default="", help="function and class names, comma-separated")
    parser.add_argument("--lines", default="", help="line spans, as 237-390,954-964")
    parser.add_argument(
        "--pick", default="", help="run only these mutants, by number (a second run over survivors)"
    )
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds for one mutant")
    parser.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    parser.add_argument("tests", nargs="+", help="what pytest runs (after --)")
    args = parser.parse_args()
    only = {name for name in args.only.split(",") if name}
    original = args.module.read_text(encoding="utf-8")
    tree = ast.parse(original)
    lines = [
        (int(a), int(b)) for a, b in (span.split("-") for span in args.lines.split(",") if span)
    ]
    found = list(mutants(tree, only, lines))
    if args.list:
        for line, label, _ in found:
            print(f"{args.module}:{line}: {label}")
        return 0
    # No bytecode written for a mutant; Hypothesis without shrinking or its example database:
    # the first failure is all a mutant needs (see mutation_profile.py).
    here = str(Path(__file__).resolve().parent)
    path = os.pathsep.join(p for p in (here, os.environ.get("PYTHONPATH")) if p)
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PYTHONPATH=path)
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-x",
        "-q",
        "-p",
        "no:cacheprovider",
        "-p",
        "mutation_profile",
        "--hypothesis-profile=mutation",
        *args.tests,
    ]
    # Put the module back when stopped by a signal too (kill PID), not only by Ctrl-C.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    picked = {int(number) for number in args.pick.split(",") if number}
    survivors: list[str] = []
    tried = 0
    started = time.monotonic()
    try:
        for number, (line, label, mutated) in enumerate(found, start=1):
            if picked and number not in picked:
                continue
            try:
                source = ast.unparse(mutated)
                compile(source, str(args.module), "exec")
            except (SyntaxError, ValueError):
                continue
            tried += 1
            args.module.write_text(source + "\n", encoding="utf-8")
            try:
                result = subprocess.run(
                    command, env=env, capture_output=True, timeout=args.timeout, check=False
                )
                alive = result.returncode == 0
            except subprocess.TimeoutExpired:
                alive = False  # a mutant that hangs is caught (by the time it takes)
            where = f"{args.module}:{line}: {label}"
            said = "SURVIVED" if alive else "killed"
            print(f"[{number}/{len(found)}] {said} {where}", flush=True)
            if alive:
                survivors.append(f"[{number}] {where}")
    finally:
        args.module.write_text(original, encoding="utf-8")
    minutes = (time.monotonic() - started) / 60
    print(f"\n{tried - len(survivors)} of {tried} killed in {minutes:.1f} min")
    for where in survivors:
        print(f"survived: {where}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
