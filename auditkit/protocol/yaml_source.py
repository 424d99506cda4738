"""Safe YAML loading that keeps line numbers and refuses hostile documents.

Every problem is a :class:`Problem` (``FILE:LINE: message``) so a validator can report all of
them in one run instead of stopping at the first.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # PyYAML is imported on the first parse (see _loaders)
    import yaml
    from yaml.nodes import MappingNode, Node, SequenceNode

# A protocol of a few thousand questions is well under this; a "billion laughs" document of
# nested aliases is far over it and is refused before anything walks the expansion.
MAX_EXPANDED_NODES = 200_000
MAX_BYTES = 5_000_000


@dataclass(frozen=True, order=True)
class Problem:
    """One validation finding, printed as ``FILE:LINE: message``."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class LineDict(dict[str, Any]):
    """A mapping that remembers its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]
    duplicate_keys: list[tuple[str, int]]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list[Any]):
    """A sequence that remembers its own line and each item's line (1-based)."""

    line: int = 0
    item_lines: list[int]


@cache
def _loaders() -> tuple[type[Any], type[Any] | None]:
    """The line-keeping safe loaders: pure Python, and libyaml's when PyYAML was built with it.

    Made on first use, so importing this module does not import PyYAML (about 12 ms that
    opening an audit whose protocol is cached never needs).
    """
    import yaml

    class _Loader(yaml.SafeLoader):
        pass

    # libyaml composes nodes about ten times faster; its error wording differs, so a text it
    # refuses is parsed again by the pure-Python loader.
    fast: type[Any] | None = (
        type("_FastLoader", (yaml.CSafeLoader,), {})
        if getattr(yaml, "__with_libyaml__", False)
        else None
    )
    for loader_class in (_Loader, fast):
        if loader_class is not None:
            loader_class.add_constructor(
                yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
            )
            loader_class.add_constructor(
                yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence
            )
    return _Loader, fast


def _construct_mapping(loader: Any, node: MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    result.duplicate_keys = []
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        if key in result:
            result.duplicate_keys.append((key, key_node.start_mark.line + 1))
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: Any, node: SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _expanded_size(root: Node) -> int:
    """Nodes the document would have with every alias expanded, in time linear in the graph."""
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode

    sizes: dict[int, int] = {}

    def size(node: Node) -> int:
        cached = sizes.get(id(node))
        if cached is not None:
            return cached
        sizes[id(node)] = 1  # a recursive alias counts once instead of looping
        total = 1
        if isinstance(node, SequenceNode):
            total += sum(size(child) for child in node.value)
        elif isinstance(node, MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        total = min(total, MAX_EXPANDED_NODES + 1)
        sizes[id(node)] = total
        return total

    return size(root) if not isinstance(root, ScalarNode) else 1


def decode(raw: bytes, filename: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 text of a file, or the problem that names the first undecodable line."""
    if len(raw) > MAX_BYTES:
        return None, [Problem(filename, 1, f"file is larger than {MAX_BYTES:,} bytes")]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(filename, line, "file is not UTF-8 text")]


def load_bytes(raw: bytes, filename: str) -> tuple[Any, list[Problem]]:
    """Decode and parse one file's bytes; data is None when the file is unusable."""
    text, problems = decode(raw, filename)
    if text is None:
        return None, problems
    return parse(text, filename)


def parse(text: str, filename: str) -> tuple[Any, list[Problem]]:
    """Parse one YAML document; returns (data, problems). data is None when unusable.

    Anything PyYAML's safe loader reads is read the same way, with three refusals of our own,
    each saying why: a document that is empty or only ``null`` (a protocol file must hold
    something), aliases that expand past :data:`MAX_EXPANDED_NODES` (an "alias bomb"), and
    nesting too deep to walk.
    """
    if not text.strip():
        return None, [Problem(filename, 1, "file is empty")]
    data, problems = _parse(text, filename)
    if problems and "\t" in text:
        problems = [_tab_problem(problem, text) for problem in problems]
    if not problems and data is None:
        line = next(
            (n for n, row in enumerate(text.splitlines(), 1) if row.strip() and row[0] != "#"), 1
        )
        problems = [
            Problem(
                filename,
                line,
                "the file holds no data: an empty YAML document ('---', '~' or 'null'); "
                "expected a mapping of keys",
            )
        ]
    return data, problems


def _parse(text: str, filename: str) -> tuple[Any, list[Problem]]:
    careful, fast = _loaders()
    if fast is not None:
        plain = _from_events(fast, text)
        if plain is not None:
            return plain, []
        data, problems = _load(fast, text, filename)
        if not problems:
            return data, problems
    return _load(careful, text, filename)


def _tab_problem(problem: Problem, text: str) -> Problem:
    """A syntax error caused by a tab in a line's indentation, worded as such.

    Tabs are legal inside quoted and block scalars and after a value's indicator, so they are
    judged only where the parser failed, never by scanning lines beforehand.
    """
    lines = text.splitlines()
    if not problem.message.startswith("YAML syntax error") or not 0 < problem.line <= len(lines):
        return problem
    row = lines[problem.line - 1]
    indent = row[: len(row) - len(row.lstrip(" \t"))]
    if "\t" in indent or "'\\t'" in problem.message:
        return Problem(problem.file, problem.line, "tab character in indentation; use spaces")
    return problem


# Scalar tags whose values are plain immutable Python values, built the same for any document.
_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "null", "bool", "int", "float", "timestamp")
)
_MAX_DEPTH = 64  # a protocol is five levels deep; anything deeper takes the node loaders


class _Unusual(Exception):
    """The document uses more than plain mappings, lists and scalars."""


def _from_events(loader_class: type[Any], text: str) -> LineDict | None:
    """A document of plain mappings, lists and scalars, built straight from libyaml's events.

    Gives exactly what the node loaders give (the same values, LineDict and LineList with the
    same lines, the same duplicate keys) in well under half the time: no node graph, no
    per-node constructor dispatch, and each distinct plain scalar resolved once. Returns None
    for anything else (a YAML error, anchors or aliases, explicit tags, merge keys, several
    documents, a root that is not a mapping, deep nesting), which the node loaders then read
    and word as before.
    """
    import yaml

    loader = None
    try:
        loader = loader_class(text)
        return _EventBuilder(loader).document()
    except (_Unusual, yaml.YAMLError, ValueError, TypeError, OverflowError):
        return None
    finally:
        if loader is not None:
            loader.dispose()


class _EventBuilder:
    """Folds one loader's event stream into LineDict / LineList / scalars (see _from_events)."""

    def __init__(self, loader: Any) -> None:
        from yaml import events

        self.loader = loader
        self.events = events
        self.resolved: dict[str, Any] = {}  # plain scalar text -> its value
        self.stack: list[LineDict | LineList] = []  # open containers, innermost last
        self.keys: list[tuple[str, int] | None] = []  # per open container: a key awaiting
        self.root: LineDict | LineList | None = None

    def document(self) -> LineDict:
        events, get_event = self.events, self.loader.get_event
        for expected in (events.StreamStartEvent, events.DocumentStartEvent):
            if type(get_event()) is not expected:
                raise _Unusual
        while True:
            event = get_event()
            kind = type(event)
            if kind is events.ScalarEvent:
                self.attach(self.scalar(event), event.start_mark.line + 1)
            elif kind is events.MappingStartEvent or kind is events.SequenceStartEvent:
                self.open(event, mapping=kind is events.MappingStartEvent)
            elif kind is events.MappingEndEvent or kind is events.SequenceEndEvent:
                done = self.stack.pop()
                self.keys.pop()
                if not self.stack:
                    break
                self.attach(done, done.line)
            else:
                raise _Unusual  # an alias, or a document that is a bare scalar
        if (
            type(get_event()) is not events.DocumentEndEvent
            or type(get_event()) is not events.StreamEndEvent
        ):
            raise _Unusual  # a second document
        if not isinstance(self.root, LineDict):
            raise _Unusual
        return self.root

    def scalar(self, event: Any) -> Any:
        if event.anchor is not None or event.tag is not None:
            raise _Unusual
        text = event.value
        if not event.implicit[0]:  # quoted or block text is always a string
            return text
        try:
            return self.resolved[text]
        except KeyError:
            from yaml.nodes import ScalarNode

            tag = self.loader.resolve(ScalarNode, text, (True, False))
            if tag not in _PLAIN_TAGS:  # merge keys, '=' and the like
                raise _Unusual from None
            value = self.loader.construct_object(ScalarNode(tag, text))
            self.resolved[text] = value
            return value

    def open(self, event: Any, mapping: bool) -> None:
        if event.anchor is not None or event.tag is not None or len(self.stack) >= _MAX_DEPTH:
            raise _Unusual
        container: LineDict | LineList
        if mapping:
            container = LineDict()
            container.key_lines = {}
            container.duplicate_keys = []
        else:
            container = LineList()
            container.item_lines = []
        container.line = event.start_mark.line + 1
        if not self.stack:
            self.root = container
        elif isinstance(self.stack[-1], LineDict) and self.keys[-1] is None:
            raise _Unusual  # a mapping or a list used as a key
        self.stack.append(container)
        self.keys.append(None)

    def attach(self, value: Any, line: int) -> None:
        """Put a finished value into the open container: an item, a key or a key's value."""
        if not self.stack:
            raise _Unusual  # a document that is a bare scalar
        parent = self.stack[-1]
        if isinstance(parent, LineList):
            parent.append(value)
            parent.item_lines.append(line)
            return
        pending = self.keys[-1]
        if pending is None:
            self.keys[-1] = (value if isinstance(value, str) else str(value), line)
            return
        key, key_line = pending
        if key in parent:
            parent.duplicate_keys.append((key, key_line))
        parent[key] = value
        parent.key_lines[key] = key_line
        self.keys[-1] = None


def _reader_problem(exc: yaml.reader.ReaderError, text: str, filename: str) -> Problem:
    """A character YAML does not allow (a control character), on its own line."""
    line = text[: exc.position].count("\n") + 1
    code = exc.character if isinstance(exc.character, int) else ord(exc.character)
    return Problem(
        filename, line, f"character U+{code:04X} is not allowed in YAML (a control character)"
    )


def _load(loader_class: type[Any], text: str, filename: str) -> tuple[Any, list[Problem]]:
    import yaml

    try:
        loader = loader_class(text)  # the reader refuses control characters right here
    except yaml.reader.ReaderError as exc:
        return None, [_reader_problem(exc, text, filename)]
    root = None
    try:
        root = loader.get_single_node()
        if root is None:
            return None, [Problem(filename, 1, "file is empty")]
        # Aliases need anchors (``&name``); without one the document cannot expand.
        if "&" in text and _expanded_size(root) > MAX_EXPANDED_NODES:
            line = root.start_mark.line + 1
            return None, [
                Problem(
                    filename,
                    line,
                    f"document expands to more than {MAX_EXPANDED_NODES:,} nodes through its "
                    f"aliases; refused before expanding them (a protocol needs far fewer, an "
                    f"'alias bomb' far more)",
                )
            ]
        data = loader.construct_document(root)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        reason = exc.problem or exc.context or "invalid YAML"
        return None, [Problem(filename, line, f"YAML syntax error: {reason}")]
    except yaml.reader.ReaderError as exc:
        return None, [_reader_problem(exc, text, filename)]
    except yaml.YAMLError as exc:
        return None, [Problem(filename, 1, f"YAML error: {str(exc).splitlines()[0]}")]
    except RecursionError:
        return None, [Problem(filename, 1, "document is nested too deeply for this loader to walk")]
    except (ValueError, OverflowError) as exc:  # a date that does not exist: 2024-02-30
        return None, [
            Problem(filename, _unbuildable_line(loader, root), f"value YAML cannot read: {exc}")
        ]
    finally:
        loader.dispose()
    return data, []


def _unbuildable_line(loader: Any, root: Node | None) -> int:
    """The line of the first scalar the loader cannot build (the error itself has no mark)."""
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode

    pending, seen = [root] if root is not None else [], set()
    while pending:  # depth first, in document order
        node = pending.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, ScalarNode):
            try:
                loader.construct_object(ScalarNode(node.tag, node.value))
            except (ValueError, OverflowError):
                return int(node.start_mark.line) + 1
        elif isinstance(node, MappingNode):
            pending.extend(item for pair in reversed(node.value) for item in reversed(pair))
        elif isinstance(node, SequenceNode):
            pending.extend(reversed(node.value))
    return 1
