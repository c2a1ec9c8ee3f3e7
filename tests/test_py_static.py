"""The real tools over every Python case at once: ``python -W error`` imports, ``mypy
--strict`` (generated code and typed usage programs), ``ruff check`` and ``ruff format
--check``. One run of each tool over the whole session tree, not one per case."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from tests.pyhelpers import BIN, ROOT, py_tree, run_tool

RUFF_RULES = "E,F,W,I,B,UP"


def _modules(root: Path) -> list[str]:
    return sorted(
        ".".join(p.relative_to(root).with_suffix("").parts).removesuffix(".__init__")
        for p in root.rglob("*.py")
    )


def test_every_generated_module_imports_without_warnings() -> None:
    tree = py_tree()
    code = "import importlib, sys\nfor m in sys.argv[1:]: importlib.import_module(m)\n"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tree.path), str(ROOT / "runtime")])}
    r = run_tool([sys.executable, "-W", "error", "-c", code, *_modules(tree.path)], env=env)
    assert r.returncode == 0, r.stderr[-5000:]


def test_generated_python_passes_ruff_check() -> None:
    tree = py_tree()
    r = run_tool([str(BIN / "ruff"), "check", "--isolated", "--select", RUFF_RULES, str(tree.path)])
    assert r.returncode == 0, r.stdout[-20000:]


def test_generated_python_is_ruff_formatted() -> None:
    tree = py_tree()
    r = run_tool([str(BIN / "ruff"), "format", "--isolated", "--check", "--diff", str(tree.path)])
    assert r.returncode == 0, r.stdout[-20000:] + r.stderr[-3000:]


# Usage programs: what users write against generated code must type-check, and misuse must
# not (``# type: ignore[code]`` on a line that is fine is itself an error under
# --warn-unused-ignores, which --strict turns on).
USAGE = """
from __future__ import annotations

import typing

from wsgen_runtime import framing, wkt
from wsgen_t_kw.kw import v1 as kw
from wsgen_t_names.names import v1 as names
from wsgen_t_palette.art import v1 as art
from wsgen_t_s22.rooms import v1 as rooms
from wsgen_t_example.chat import v1 as chat
from wsgen_t_defaults.dflt import v1 as dflt
from wsgen_t_defaults_schema.dfs import v1 as dfs
from wsgen_t_s24.presence import v1 as presence

route = kw.Route(from_="A", class_="c", self="s", cls="c", None_="n")
text: str = route.to_json()
again: kw.Route = kw.Route.from_json(text)
typing.assert_type(kw.Route.from_dict({}, strict=True, max_depth=5), kw.Route)
kw.Route(from_=1)  # type: ignore[arg-type]
kw.Route(nope="x")  # type: ignore[call-arg]

obj = names.Object(type="t", id="i", int=5, str="s", float=1.5, bool=True, self="x")
typing.assert_type(obj.int, int)
typing.assert_type(obj.list, list[names.str_])
obj.int = "x"  # type: ignore[assignment]

palette = art.Palette(main=art.Shade.SHADE_DARK, extra=[7, art.Shade.SHADE_LIGHT])
typing.assert_type(palette.main, art.Shade | int)

join = rooms.JoinRoom(room="r")
typing.assert_type(join.type, typing.Literal["room.join"])
rooms.JoinRoom(room="r", type="text")  # type: ignore[arg-type]
msg: rooms.ClientMessage = rooms.client_message_from_json('{"type":"text"}')

knobs = dflt.Knobs(must=1)
typing.assert_type(knobs.limit, int | None)
typing.assert_type(knobs.limit_or_default_, int)
typing.assert_type(knobs.level_or_default, dflt.Level)
knobs.limit_or_default_ = 3  # type: ignore[misc]
dflt.Knobs()  # type: ignore[call-arg]
typing.assert_type(dfs.Prefs().lang, str)
typing.assert_type(dfs.Prefs().either_or_default, int | str)
typing.assert_type(dfs.Prefs().since_or_default, wkt.Timestamp)

seen = presence.Presence(user="u", status=None, explicit_nulls=frozenset({"device"}))
typing.assert_type(seen.explicit_nulls, frozenset[typing.Literal["note", "device"]])
presence.Presence(user="u", status=None, explicit_nulls=frozenset({"user"}))  # type: ignore[arg-type]

seq = framing.SeqCounter()
chat.encode_client_frame(chat.JoinRoom(room_id="r"), seq=seq)
chat.encode_client_frame(chat.RoomJoined(), seq=seq)  # type: ignore[arg-type]
chat.encode_server_frame(chat.RoomJoined(), seq=seq)


class Server:
    async def on_join_room(self, message: chat.JoinRoom, frame: framing.FrameInfo) -> None:
        pass


chat.ServerRouter(Server())  # type: ignore[arg-type]
"""


def test_generated_python_passes_mypy_strict(tmp_path: Path) -> None:
    tree = py_tree()
    usage = tmp_path / "usage.py"
    usage.write_text(USAGE, encoding="utf-8")
    paths = [str(tree.path), str(ROOT / "runtime"), str(tmp_path)]
    env = {**os.environ, "MYPYPATH": os.pathsep.join(paths)}
    args = [str(BIN / "mypy"), "--strict", "--no-incremental", "--python-version", "3.11"]
    for pkg in sorted(p.name for p in tree.path.iterdir() if (p / "__init__.py").exists()):
        args += ["-p", pkg]
    r = run_tool([*args, "-m", "usage"], env=env, cwd=tmp_path)
    assert r.returncode == 0, r.stdout[-20000:] + r.stderr[-3000:]


def test_string_literals_are_quoted_as_ruff_format_quotes_them(tmp_path: Path) -> None:
    """``escape.py_string`` picks the quotes ruff does (double unless the text holds more
    double than single quotes); checked on random texts in one ruff run."""
    import ast
    import random

    from wsgen.backends.escape import py_string

    rng = random.Random(7)
    alphabet = "\"\"''\\ab \x00\n\t\x7f\xe9\u2028\U0001f600"
    texts = ['ev."quoted"', '"', "'", 'a\'b"c"d', "a'b\"c", 'a\\"b', "\\", "", "it's"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8))) for _ in range(400)]
    source = "".join(f"x{i} = {py_string(t)}\n" for i, t in enumerate(texts))
    module = tmp_path / "literals.py"
    module.write_text(source, encoding="utf-8")
    r = run_tool([str(BIN / "ruff"), "format", "--isolated", "--check", "--diff", str(module)])
    assert r.returncode == 0, r.stdout[-5000:]
    values = [ast.literal_eval(line.partition(" = ")[2]) for line in source.splitlines()]
    assert values == texts
