"""Safe YAML loading that keeps line numbers and refuses hostile documents.

Every problem is a :class:`Problem` (``FILE:LINE: message``) so a validator can report all of
them in one run instead of stopping at the first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

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


class _Loader(yaml.SafeLoader):
    pass


# libyaml composes nodes about ten times faster (opening an audit re-reads its stored protocol);
# its error wording differs, so a text it refuses is parsed again by the pure-Python loader.
_FastLoader: type[Any] | None = type("_FastLoader", (yaml.CSafeLoader,), {}) \
    if getattr(yaml, "__with_libyaml__", False) else None


def _construct_mapping(loader: _Loader, node: MappingNode) -> LineDict:
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


def _construct_sequence(loader: _Loader, node: SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


for _loader_class in (_Loader, _FastLoader):
    if _loader_class is not None:
        _loader_class.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
                                      _construct_mapping)
        _loader_class.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG,
                                      _construct_sequence)


def _expanded_size(root: Node) -> int:
    """Nodes the document would have with every alias expanded, in time linear in the graph."""
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
    """Parse one YAML document; returns (data, problems). data is None when unusable."""
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip(" ")
        if stripped.startswith("\t"):
            problems.append(Problem(filename, number, "tab character in indentation; use spaces"))
    if problems:
        return None, problems
    if not text.strip():
        return None, [Problem(filename, 1, "file is empty")]
    if _FastLoader is not None:
        data, problems = _load(_FastLoader, text, filename)
        if not problems:
            return data, problems
    return _load(_Loader, text, filename)


def _reader_problem(exc: yaml.reader.ReaderError, text: str, filename: str) -> Problem:
    """A character YAML does not allow (a control character), on its own line."""
    line = text[: exc.position].count("\n") + 1
    code = exc.character if isinstance(exc.character, int) else ord(exc.character)
    return Problem(filename, line, f"character U+{code:04X} is not allowed in YAML "
                                   f"(a control character)")


def _load(loader_class: type[Any], text: str, filename: str) -> tuple[Any, list[Problem]]:
    try:
        loader = loader_class(text)  # the reader refuses control characters right here
    except yaml.reader.ReaderError as exc:
        return None, [_reader_problem(exc, text, filename)]
    try:
        root = loader.get_single_node()
        if root is None:
            return None, [Problem(filename, 1, "file is empty")]
        # Aliases need anchors (``&name``); without one the document cannot expand.
        if "&" in text and _expanded_size(root) > MAX_EXPANDED_NODES:
            line = root.start_mark.line + 1
            return None, [Problem(filename, line, "document expands to too many nodes (aliases)")]
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
        return None, [Problem(filename, 1, "document is nested too deeply")]
    finally:
        loader.dispose()
    return data, []
