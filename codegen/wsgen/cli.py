"""Command line: ``wsgen build`` and ``wsgen check``.

Maps results to exit codes and never shows a traceback for a user error:
0 success / no drift, 1 drift (check), 2 IDL or usage errors, 3 internal error.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal, TypeVar

import click

from wsgen import __version__
from wsgen.backends.options import TARGETS, BuildOptions
from wsgen.config import Config, check_python_package, load_config
from wsgen.diagnostics import CompileError, Diagnostic, render_diagnostics
from wsgen.output import diff_tree, fingerprint, quick_check, write_tree
from wsgen.pipeline import discover_inputs, load_model, render_model

__all__ = ["main"]

EXIT_DRIFT = 1
EXIT_IDL_ERROR = 2
EXIT_INTERNAL = 3


def _options(config: Config, targets: tuple[str, ...], python_package: str | None) -> BuildOptions:
    opts = config.options
    if targets:
        opts = replace(opts, targets=tuple(t for t in TARGETS if t in targets))
    if python_package:
        if why := check_python_package(python_package):
            raise click.BadParameter(why, param_hint="--python-package")
        opts = replace(opts, python_package=python_package)
    return opts


def _out_dir(config: Config, out: Path | None) -> Path:
    if out is not None:
        return out
    return config.out if config.out is not None else Path("generated")


_common = [
    click.argument("idl_dir", type=click.Path(file_okay=False, path_type=Path), metavar="IDL_DIR"),
    click.option(
        "--out",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Output folder (default: 'out' in IDL_DIR/wsgen.toml, else ./generated).",
    ),
    click.option(
        "--target",
        "targets",
        multiple=True,
        type=click.Choice(TARGETS),
        help="Generate only this target (repeatable; default: all, or wsgen.toml's list).",
    ),
    click.option(
        "--python-package",
        default=None,
        help="Root package of generated Python (default: wsgen.toml, else wsgen_generated).",
    ),
]


_F = TypeVar("_F", bound=Callable[..., Any])


def _with_common(fn: _F) -> _F:
    for deco in reversed(_common):
        fn = deco(fn)
    return fn


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="wsgen")
def main() -> None:
    """Compile WebSocket contracts (.proto, schema.json) into typed bindings."""


@main.command()
@_with_common
@click.option(
    "--fail-on-change",
    is_flag=True,
    help="Exit 1 when the build changed any file (pre-commit: stage the output, commit again).",
)
def build(
    idl_dir: Path,
    out: Path | None,
    targets: tuple[str, ...],
    python_package: str | None,
    fail_on_change: bool,
) -> None:
    """Generate bindings from IDL_DIR into the output folder."""
    started = time.perf_counter()
    with _user_errors(idl_dir):
        config = load_config(idl_dir)
        opts = _options(config, targets, python_package)
        out_dir = _out_dir(config, out)
        inputs = discover_inputs(idl_dir)
        warnings: list[Diagnostic] = []
        model = load_model(inputs, warnings)
        if warnings:
            click.echo(render_diagnostics(warnings, str(idl_dir)), err=True)
        files = render_model(model, opts)
        written = write_tree(out_dir, files, fingerprint(idl_dir, inputs.all, opts))
    changed = [rel for rel in written if not rel.startswith("kept:")]
    for rel in written:
        if rel.startswith("kept:"):
            click.echo(
                f"wsgen: warning: not removing {out_dir / rel[5:]}: it no longer comes from the "
                "IDL but was edited since wsgen wrote it; delete it by hand if it is not needed",
                err=True,
            )
    elapsed = time.perf_counter() - started
    click.echo(
        f"wsgen: {len(files)} files in {out_dir} ({len(changed)} changed) in {elapsed:.2f}s",
        err=True,
    )
    if fail_on_change and changed:
        for rel in changed:
            click.echo(f"wsgen: changed {out_dir / rel}", err=True)
        sys.exit(EXIT_DRIFT)


@main.command()
@_with_common
def check(
    idl_dir: Path, out: Path | None, targets: tuple[str, ...], python_package: str | None
) -> None:
    flags = "".join(
        [f" --out {out}" if out else ""]
        + [f" --target {t}" for t in targets]
        + [f" --python-package {python_package}" if python_package else ""]
    )
    """Exit 1 with a diff when the output folder drifted from IDL_DIR; 0 when it matches."""
    with _user_errors(idl_dir):
        config = load_config(idl_dir)
        opts = _options(config, targets, python_package)
        out_dir = _out_dir(config, out)
        inputs = discover_inputs(idl_dir)
        fp = fingerprint(idl_dir, inputs.all, opts)
        if quick_check(out_dir, fp):
            click.echo(f"wsgen: {out_dir} is up to date with {idl_dir}", err=True)
            return
        files = render_model(load_model(inputs), opts)
        diff = diff_tree(out_dir, files)
    if diff:
        click.echo(diff, nl=False)
        click.echo(
            f"wsgen: {out_dir} is out of date with {idl_dir}; run: wsgen build {idl_dir}{flags}",
            err=True,
        )
        sys.exit(EXIT_DRIFT)
    click.echo(f"wsgen: {out_dir} is up to date with {idl_dir}", err=True)


class _user_errors:
    """Turn CompileError into diagnostics on stderr and exit 2; other failures into exit 3."""

    def __init__(self, idl_dir: Path) -> None:
        self.root = str(idl_dir)

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: object, exc: BaseException | None, tb: object) -> Literal[False]:
        if exc is None or isinstance(exc, click.exceptions.Exit | click.ClickException):
            return False
        if isinstance(exc, CompileError):
            click.echo(render_diagnostics(exc.diagnostics, self.root), err=True)
            n = len(exc.diagnostics)
            click.echo(f"wsgen: {n} error{'s' if n != 1 else ''}", err=True)
            sys.exit(EXIT_IDL_ERROR)
        if isinstance(exc, OSError):
            click.echo(f"wsgen: error: {exc}", err=True)
            sys.exit(EXIT_IDL_ERROR)
        if isinstance(exc, Exception):
            click.echo(
                f"wsgen: internal error: {type(exc).__name__}: {exc}\n"
                "this is a bug in wsgen; please report it with the IDL that caused it",
                err=True,
            )
            sys.exit(EXIT_INTERNAL)
        return False


if __name__ == "__main__":
    main()
