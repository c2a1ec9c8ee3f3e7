"""The schema.json examples of the product (issue 3 item 5): the notifications catalog and the
flat-framed Slack RTM slice. They are read from idl/ once they live there, else from
tests/inputs/schemajson/example/."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.helpers import compile_idl
from tests.schemajson_support import INPUTS, describe
from wsgen.ir import model as ir

REPO = Path(__file__).parent.parent
# copied unchanged from ../shared/real-idl/asyncapi/ so the test runs in any clone
SLACK_ASYNCAPI = REPO / "tests" / "inputs" / "real-idl" / "slack-rtm-asyncapi.yml"

SLACK_SERVER_EVENTS = [
    "channelCreated",
    "channelDeleted",
    "channelRename",
    "channelArchive",
    "channelUnarchive",
    "channelJoined",
    "channelLeft",
    "memberJoinedChannel",
    "memberLeftChannel",
    "imOpen",
    "imClose",
    "goodbye",
    "message",
]


def _example(rel: str) -> Path:
    for root in (REPO / "idl", INPUTS / "example"):
        if (root / rel).is_file():
            return root / rel
    raise FileNotFoundError(rel)


def _compile(tmp_path: Path) -> ir.Model:
    """Both examples with the .proto they refer to, through the real pipeline (which also
    runs the catalog checks of ir.validate)."""
    files = {
        "common/v1/common.proto": (REPO / "idl/common/v1/common.proto").read_text(),
        "notify/v1.schema.json": _example("notify/v1.schema.json").read_text(),
        "slack/rtm.schema.json": _example("slack/rtm.schema.json").read_text(),
    }
    return compile_idl(tmp_path, files)


def _package(model: ir.Model, name: str) -> ir.Package:
    (pkg,) = [p for p in model.packages if p.name == name]
    return pkg


def test_notify_example_has_what_issue_3_asks_for(tmp_path: Path) -> None:
    pkg = _package(_compile(tmp_path), "notify.v1")
    assert pkg.catalog is not None
    assert pkg.catalog.framing.kind is ir.FramingKind.ENVELOPE
    assert len(pkg.catalog.frames) >= 8
    lines = describe(ir.Model((pkg,)))
    assert (
        "union notify.v1.Content on 'kind' {'mention': notify.v1.Mention, "
        "'reaction': notify.v1.Reaction, 'invite': notify.v1.Invite, "
        "'system': notify.v1.SystemNotice}"
    ) in lines
    assert "  read_at (readAt): google.protobuf.Timestamp | null required" in lines
    assert "  replies: list<notify.v1.Comment> required" in lines  # recursive
    assert "  parent: notify.v1.Comment | null explicit" in lines
    assert "  text: string explicit deprecated" in lines
    assert "  by: common.v1.UserRef explicit" in lines  # a .proto type
    assert "  badge: integer | string explicit [minimum=0, max_length=3]" in lines
    assert "  quiet_hours (quietHours): notify.v1.Settings.QuietHours | null required" in lines


def test_slack_slice_has_exactly_the_listed_events(tmp_path: Path) -> None:
    pkg = _package(_compile(tmp_path), "slack.rtm")
    assert pkg.catalog is not None
    assert pkg.catalog.framing == ir.Framing(ir.FramingKind.FLAT, "type")
    by_direction: dict[str, list[str]] = {}
    for frame in pkg.catalog.frames:
        name = frame.message.rsplit(".", 1)[1]
        by_direction.setdefault(frame.direction.value, []).append(name[0].lower() + name[1:])
    assert by_direction == {
        "server_to_client": SLACK_SERVER_EVENTS,
        "client_to_server": ["outgoingMessage"],
    }
    values = {(f.direction.value, f.discriminator) for f in pkg.catalog.frames}
    assert ("server_to_client", "message") in values
    assert ("client_to_server", "message") in values


def test_slack_payloads_are_copied_as_they_are() -> None:
    import yaml

    source = yaml.safe_load(SLACK_ASYNCAPI.read_text(encoding="utf-8"))
    messages = source["components"]["messages"]
    ours = json.loads(_example("slack/rtm.schema.json").read_text(encoding="utf-8"))["$defs"]

    def payload(name: str) -> Any:
        text = json.dumps(messages[name]["payload"])
        return json.loads(text.replace("#/components/schemas/attachment", "#/$defs/Attachment"))

    for name in [*SLACK_SERVER_EVENTS, "outgoingMessage"]:
        definition = ours[name[0].upper() + name[1:]]
        wrapped = {k: v for k, v in definition.items() if k not in ("x-wsgen-frame", "description")}
        assert wrapped == payload(name), name
        assert definition["description"] == messages[name]["summary"]
    assert ours["Attachment"] == source["components"]["schemas"]["attachment"]
