"""IR invariants that every frontend's output must meet, reported as diagnostics.

Frontends reject what their input language cannot say; this pass rejects what wsgen cannot
generate: clashing discriminators, reserved control types, handler collisions, references
that do not resolve.
"""

from __future__ import annotations

from wsgen.diagnostics import Diagnostic
from wsgen.ir import model as ir
from wsgen.ir.validate_defaults import validate_defaults
from wsgen.ir.validate_errors import validate_error_catalog

__all__ = ["RESERVED_ENVELOPE_TYPES", "validate_model"]

# docs/protocol.md, "Reserved control types": owned by wsgen in envelope framing only.
RESERVED_ENVELOPE_TYPES = ("hello", "ack", "error", "ping", "pong")


def validate_model(model: ir.Model) -> list[Diagnostic]:
    """Every problem found, unsorted; the pipeline sorts and stops on errors."""
    index = model.index()
    out: list[Diagnostic] = []
    for pkg in model.packages:
        for msg in pkg.messages:
            out.extend(_check_refs(index, msg))
            out.extend(validate_defaults(index, msg))  # WSG202
        if pkg.catalog is not None:
            out.extend(_check_catalog(index, pkg.catalog))
        out.extend(validate_error_catalog(pkg.errors))  # issue 4: docs/errors.md
    return out


def _check_refs(index: ir.ModelIndex, msg: ir.Message) -> list[Diagnostic]:
    out = []
    for f in msg.fields:
        for ref in _refs(f.type):
            known = (
                ref.full_name in index.messages
                if isinstance(ref, ir.MessageRef)
                else ref.full_name in index.enums
                if isinstance(ref, ir.EnumRef)
                else ref.full_name in index.unions
            )
            if not known:
                out.append(
                    Diagnostic(
                        f.span,
                        "WSG201",
                        f'field "{f.name}" of "{msg.full_name}" refers to unknown type '
                        f'"{ref.full_name}"',
                        hint="declare the type in the IDL tree or import the file that does",
                    )
                )
    return out


def _refs(t: ir.FieldType) -> list[ir.MessageRef | ir.EnumRef | ir.UnionRef]:
    if isinstance(t, ir.MessageRef | ir.EnumRef | ir.UnionRef):
        return [t]
    if isinstance(t, ir.ListType):
        return _refs(t.element)
    if isinstance(t, ir.MapType):
        return _refs(t.value)
    if isinstance(t, ir.JsonUnionType):
        return [r for v in t.variants for r in _refs(v)]
    return []


def _check_catalog(index: ir.ModelIndex, cat: ir.Catalog) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    seen: dict[tuple[str, str], ir.Frame] = {}
    handlers: dict[tuple[str, str], ir.Frame] = {}
    envelope = cat.framing.kind is ir.FramingKind.ENVELOPE
    for frame in cat.frames:
        if envelope and frame.discriminator in RESERVED_ENVELOPE_TYPES:
            out.append(
                Diagnostic(
                    frame.span,
                    "WSG301",
                    f'frame type "{frame.discriminator}" of "{frame.message}" is reserved '
                    "for wsgen's control frames in envelope framing",
                    hint="choose another type value, e.g. prefix it with the feature name",
                )
            )
        sides = []
        if frame.direction.inbound_for_server():
            sides.append("client_to_server")
        if frame.direction.inbound_for_client():
            sides.append("server_to_client")
        for side in sides:
            key = (side, frame.discriminator)
            if key in seen:
                first = seen[key]
                out.append(
                    Diagnostic(
                        frame.span,
                        "WSG305",
                        f'duplicate frame type "{frame.discriminator}" in direction '
                        f'{side.replace("_", " ")} ("{frame.message}" and "{first.message}")',
                        notes=((first.span, "first declared here"),),
                        hint="frame types must be unique per direction; rename one of them",
                    )
                )
            else:
                seen[key] = frame
            hkey = (side, frame.handler)
            if hkey in handlers and handlers[hkey].message != frame.message:
                first = handlers[hkey]
                out.append(
                    Diagnostic(
                        frame.span,
                        "WSG306",
                        f'duplicate handler name "{frame.handler}" for frames "{frame.message}" '
                        f'and "{first.message}"',
                        notes=((first.span, "first declared here"),),
                        hint="set a distinct handler name in the frame option",
                    )
                )
            else:
                handlers.setdefault(hkey, frame)
        if not envelope:
            msg = index.messages.get(frame.message)
            disc = cat.framing.discriminator
            for f in msg.fields if msg else ():
                if f.json_name == disc and f.type != ir.ScalarType(ir.Scalar.STRING):
                    out.append(
                        Diagnostic(
                            f.span,
                            "WSG307",
                            f'field "{f.name}" of flat frame "{frame.message}" has the '
                            f'discriminator\'s JSON name "{disc}" but is not a string',
                            hint="make it a string field or choose another discriminator key",
                        )
                    )
    return out
