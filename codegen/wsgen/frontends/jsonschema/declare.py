"""Pass 1: find every schema that becomes a named IR declaration and give it its name.

Three kinds of schema are declarations: an object with properties (→ ``Message``), a string
``enum`` of two or more values or any enum with ``x-wsgen-enum-numbers`` (→ ``Enum``), and a
``oneOf``/``anyOf`` of two or more object schemas (→ ``Union``). Everything else (scalars,
arrays, maps, JSON-type unions) is a type written in place, also when it sits in ``$defs`` (an
alias, inlined where it is used).

Naming (docs/schema-json.md): a ``$defs`` key names a top-level declaration, or, written as a
full name (``chat.v1.RichText.Style``, as the JSON Schema backend writes keys), a declaration
nested in the messages its key names; ``$defs`` named by ``x-wsgen-catalog`` are wsgen's own
catalog definitions and declare nothing. The root schema is
named by its ``title`` (else the file name in PascalCase); an object or enum written inline in a
property is nested in its message under the property key in PascalCase (like a proto nested
message); an inline union is top-level, named after its owners and the key. Names are claimed
per scope in document order; a generated name that is taken gets a number (``Device2``), an
explicit one that is taken is an error. Declarations are found in pre-order, which is the
IR's declaration order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath

from wsgen.backends.naming import to_pascal
from wsgen.diagnostics import Diagnostic
from wsgen.frontends.jsonschema.marks import ENUM_NUMBERS
from wsgen.frontends.jsonschema.nodes import (
    At,
    follow,
    is_identifier,
    is_message_node,
    is_wrapper,
    json_types,
)
from wsgen.frontends.jsonschema.resolve import Location, SchemaTree, subschemas
from wsgen.frontends.jsonschema.scalars import Problem

__all__ = ["Decl", "Declarations", "decl_kind", "declare_tree"]


@dataclass(frozen=True, slots=True)
class Decl:
    kind: str  # "message" | "enum" | "union"
    package: str
    scope: tuple[str, ...]
    name: str
    at: At

    @property
    def full_name(self) -> str:
        return ".".join(p for p in (self.package, *self.scope, self.name) if p)


@dataclass
class Declarations:
    by_loc: dict[Location, Decl] = field(default_factory=dict)
    order: list[Decl] = field(default_factory=list)
    package_of: dict[str, str] = field(default_factory=dict)  # document URI → package


def decl_kind(tree: SchemaTree, at: At) -> str | None:
    """What declaration a (non-wrapper) node is, if any."""
    node = at.node
    if not isinstance(node, dict) or is_wrapper(node):
        return None
    if ENUM_NUMBERS in node:  # a proto enum, whatever its form and however many values
        return "enum"
    if isinstance(node.get("enum"), list):
        values = [v for v in node["enum"] if v is not None]
        if len(set(map(repr, values))) >= 2 and all(isinstance(v, str) for v in values):
            return "enum"
        return None
    for kw in ("oneOf", "anyOf"):
        if isinstance(node.get(kw), list):
            objects = sum(_is_object(tree, at.child(kw, i)) for i in range(len(node[kw])))
            return "union" if objects >= 2 else None
    return "message" if is_message_node(node) else None


def _is_object(tree: SchemaTree, at: At) -> bool:
    try:
        node = follow(tree, at).node
    except (Problem, KeyError):
        return False
    if isinstance(node, dict) and ("oneOf" in node or "anyOf" in node):
        return False
    return "object" in (json_types(node) or [])


class _Namer:
    def __init__(self, tree: SchemaTree, diags: list[Diagnostic]) -> None:
        self.tree = tree
        self.diags = diags
        self.out = Declarations()
        self.taken: dict[tuple[str, tuple[str, ...]], set[str]] = {}
        self.explicit: dict[tuple[str, str], At] = {}

    def report(self, at: At, code: str, message: str, hint: str = "", *tokens: str) -> None:
        self.diags.append(Diagnostic(at.span(*tokens), code, message, hint=hint))

    def generated(self, package: str, scope: tuple[str, ...], base: str) -> str:
        taken = self.taken.setdefault((package, scope), set())
        name, n = base, 1
        while name in taken or (package, ".".join((*scope, name))) in self.explicit:
            n += 1
            name = f"{base}{n}"
        taken.add(name)
        return name

    def reserve(self, package: str, path: tuple[str, ...], at: At) -> bool:
        """Claim an explicit name (``path``: enclosing messages, then the name); a second
        claim is an error."""
        dotted = ".".join(path)
        first = self.explicit.get((package, dotted))
        if first is not None and first.loc != at.loc:
            self.diags.append(
                Diagnostic(
                    at.span(),
                    "WSG409",
                    f'"{".".join(p for p in (package, dotted) if p)}" is declared twice',
                    notes=((first.span(), "first declared here"),),
                    hint="rename one of the definitions",
                )
            )
            return False
        self.explicit[(package, dotted)] = at
        self.taken.setdefault((package, path[:-1]), set()).add(path[-1])
        return True

    def add(self, kind: str, package: str, scope: tuple[str, ...], name: str, at: At) -> Decl:
        decl = Decl(kind, package, scope, name, at)
        self.out.by_loc[at.loc] = decl
        self.out.order.append(decl)
        return decl


def declare_tree(
    tree: SchemaTree,
    packages: dict[str, str],
    diags: list[Diagnostic],
    skip: dict[str, frozenset[str]] | None = None,
) -> Declarations:
    """Name every declaration of every document. ``packages``: document URI → package;
    ``skip``: document URI → ``$defs`` keys that declare nothing (wsgen's catalog views)."""
    namer = _Namer(tree, diags)
    namer.out.package_of = dict(packages)
    roots: list[tuple[At, str, str | None, dict[str, tuple[str, ...]]]] = []
    for uri, doc in tree.docs.items():
        pkg = packages[uri]
        root = At(doc, "", doc.data)
        root_name = _root_name(namer, root)
        if root_name is not None:
            namer.reserve(pkg, (root_name,), root)
        defs = doc.data.get("$defs") if isinstance(doc.data, dict) else None
        skipped = (skip or {}).get(uri, frozenset())
        paths: dict[str, tuple[str, ...]] = {}  # $defs key → (enclosing messages…, name)
        kinds: dict[tuple[str, ...], str] = {}
        for key in defs or {}:
            at = root.child("$defs", key)
            kind = None if key in skipped else decl_kind(tree, at)
            if kind is None:
                continue
            path = _definition_path(namer, at, key, pkg)
            if path is None or (kind == "union" and not _top_level_union(namer, at, path)):
                continue
            if namer.reserve(pkg, path, at):
                paths[key], kinds[path] = path, kind
        for key, path in paths.items():
            for n in range(1, len(path)):
                if kinds.get(path[:n]) != "message":
                    namer.report(
                        root.child("$defs", key),
                        "WSG409",
                        f'"{key}" is nested in "{".".join((pkg, *path[:n]))}", which this '
                        "file does not define as a message",
                        "define the enclosing message in $defs too, or drop the scope from the key",
                    )
                    break
        roots.append((root, pkg, root_name, paths))
    for root, pkg, root_name, paths in roots:
        walker = _Walker(namer, pkg)
        if root_name is not None:
            walker.scan(root, root_name, (), explicit=True)
        else:
            walker.scan_children(root, "", ())
        defs = root.node.get("$defs") if isinstance(root.node, dict) else None
        skipped = (skip or {}).get(root.doc.uri, frozenset())
        for key in defs or {}:
            at = root.child("$defs", key)
            if key in paths:
                path = paths[key]
                walker.scan(at, path[-1], path[:-1], explicit=True)
            elif key not in skipped and decl_kind(tree, at) is None:
                # an alias: declarations inside it are named after its last segment
                walker.scan(at, key.rsplit(".", 1)[-1], ())
    return namer.out


def _definition_path(namer: _Namer, at: At, key: str, package: str) -> tuple[str, ...] | None:
    """``Room`` → ("Room",); ``chat.v1.RichText.Style`` in package chat.v1 → ("RichText",
    "Style"). A dotted key must start with the file's package; every segment is an identifier."""
    rest = key
    if "." in key and package and key.startswith(package + "."):
        rest = key[len(package) + 1 :]
    path = tuple(rest.split("."))
    if all(is_identifier(p) for p in path) and ("." not in key or rest != key or not package):
        return path
    if "." in key and all(is_identifier(p) for p in key.split(".")):
        namer.report(
            at,
            "WSG409",
            f'definition name "{key}" is a full name outside this file\'s package "{package}"',
            f'start it with "{package}." or leave the package out of the key',
        )
    else:
        namer.report(
            at,
            "WSG409",
            f'definition name "{key}" is not an identifier',
            "rename the $defs key to letters, digits and '_' (e.g. PascalCase), or a full "
            'name such as "chat.v1.Room"',
        )
    return None


def _top_level_union(namer: _Namer, at: At, path: tuple[str, ...]) -> bool:
    if len(path) == 1:
        return True
    namer.report(
        at,
        "WSG409",
        f'union "{".".join(path)}" cannot be nested in a message',
        "give the union a top-level name",
    )
    return False


def _root_name(namer: _Namer, root: At) -> str | None:
    if decl_kind(namer.tree, root) is None:
        return None
    title = root.node.get("title")
    if isinstance(title, str) and is_identifier(title):
        return title
    if isinstance(title, str) and title.strip():
        return to_pascal(title)
    name = PurePosixPath(root.doc.path).name
    stem = name[: -len(".schema.json")] if name != "schema.json" else ""
    stem = stem or PurePosixPath(root.doc.path).parent.name or "Root"
    return to_pascal(stem)


class _Walker:
    def __init__(self, namer: _Namer, package: str) -> None:
        self.namer = namer
        self.tree = namer.tree
        self.package = package

    def scan(self, at: At, hint: str, scope: tuple[str, ...], *, explicit: bool = False) -> None:
        """Declare ``at`` if it is a declaration (``hint`` names it), then look inside."""
        node = at.node
        if not isinstance(node, dict) or at.loc in self.namer.out.by_loc:
            return
        kind = decl_kind(self.tree, at)
        if kind is None:
            if "x-wsgen-type" not in node:  # a named kind's own subschemas declare nothing
                self.scan_children(at, hint, scope)
            return
        if kind == "union":
            base = hint if explicit else _owners(scope) + hint
            name = hint if explicit else self.namer.generated(self.package, (), base)
            self.namer.add("union", self.package, (), name, at)
            self.scan_children(at, name, scope, variants=True)
            return
        name = hint if explicit else self.namer.generated(self.package, scope, hint)
        self.namer.add(kind, self.package, scope, name, at)
        if kind == "message":
            self.scan_children(at, name, (*scope, name))

    def scan_children(
        self, at: At, hint: str, scope: tuple[str, ...], *, variants: bool = False
    ) -> None:
        node = at.node
        for pointer, sub in subschemas(node, at.pointer):
            rel = pointer[len(at.pointer) + 1 :].split("/")
            child = At(at.doc, pointer, sub)
            keyword = rel[0]
            if keyword in ("$defs", "definitions"):
                if at.pointer == "":
                    continue  # top-level definitions are scanned by declare_tree
                self.scan(child, _unescape(rel[1]), scope)
            elif keyword == "properties":
                key = _unescape(rel[1])
                self.scan(child, to_pascal(key), scope)
            elif keyword in ("oneOf", "anyOf") and variants:
                title = sub.get("title") if isinstance(sub, dict) else None
                if isinstance(title, str) and is_identifier(title):
                    vhint = title
                else:
                    vhint = f"{hint}{int(rel[1]) + 1}"
                self.scan(child, vhint, scope)
            elif keyword == "additionalProperties" and "properties" in node:
                self.scan(child, "Value", scope)
            elif keyword in ("items", "additionalProperties", "oneOf", "anyOf", "allOf"):
                self.scan(child, hint, scope)
            # other keywords are unsupported and reported when lowered


def _owners(scope: tuple[str, ...]) -> str:
    """The owner part of an inline union's name: the enclosing messages' names run together
    (``("Room", "Member")`` → ``RoomMember``). A variant of an outer inline union is named
    after that union, so its name already holds the owners before it and replaces them
    (``("Post", "PostBody1")`` → ``PostBody1``): names then grow by a few characters per level
    of nested unions instead of doubling."""
    owners = ""
    for name in scope:
        owners = name if owners and name.startswith(owners) else owners + name
    return owners


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")
