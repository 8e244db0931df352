"""Hostile variants of a valid JSON document, by class (issue 14).

A variant replaces one value of the document (picked by a seeded random generator, so every
run tries the same inputs) with a hostile literal spliced into the JSON text — some cannot be
written by ``json.dumps`` at all (``NaN``, a 5,000-digit integer, a lone surrogate escape).
"""
from __future__ import annotations

import json
import random
from typing import Any, Iterator

DEEP = 1000

# class → JSON text of the hostile value
LITERALS: dict[str, list[str]] = {
    "non-finite": ["NaN", "Infinity", "-Infinity", "1e999", "-1e400"],
    "huge-int": ["9" * 4301, "-" + "7" * 5000, str(10**100), str(2**31), str(-(2**31) - 1), str(2**63)],
    "deep": ["[" * DEEP + "]" * DEEP, '{"a":' * DEEP + "1" + "}" * DEEP, "[" * 40 + "1" + "]" * 40],
    "long-text": [json.dumps("Đ" * 5000), json.dumps("x" * 301), json.dumps("ậ" * 100_000)],
    "nul": [r'"\u0000"', r'"Lâm\u0000Đồng"', r'"a1\u0000"'],
    "surrogate": [r'"\ud800"', r'"x\udfffy"', r'"\ud83d"'],
    "wrong-type": ["true", "false", "null", "[]", "{}", "1.5", '"11"', "[11, false]", '{"a": 1}', "-1", "0"],
}


def paths(value: Any, here: tuple = ()) -> Iterator[tuple]:
    """Every location in a parsed document (containers and leaves), the root excepted."""
    if here:
        yield here
    if isinstance(value, dict):
        for key, child in value.items():
            yield from paths(child, here + (key,))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from paths(child, here + (i,))


def splice(document: Any, path: tuple, literal: str) -> bytes:
    """The document's JSON text with the value at ``path`` replaced by the raw ``literal``."""
    data = json.loads(json.dumps(document))
    marker = "\u2603HOSTILE\u2603"
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = marker
    text = json.dumps(data, ensure_ascii=False).replace(json.dumps(marker, ensure_ascii=False), literal)
    return text.encode("utf-8")


def variants(document: Any, per_class: int, seed: int = 14) -> Iterator[tuple[str, str, bytes]]:
    """(class, description, body) for ``per_class`` variants of each class, and raw-text ones."""
    rng = random.Random(seed)
    where = list(paths(document))
    for kind, literals in LITERALS.items():
        for n in range(per_class):
            path = rng.choice(where)
            literal = literals[n % len(literals)]
            yield kind, f"{'.'.join(map(str, path))} = {literal[:30]}", splice(document, path, literal)
    text = json.dumps(document, ensure_ascii=False).encode()
    raw = [
        ("raw", "truncated", text[: len(text) // 2]),
        ("raw", "not UTF-8", b"\xff\xfe" + text),
        ("raw", "latin-1", json.dumps(document, ensure_ascii=False).encode("latin-1", "replace")),
        ("raw", "empty", b""),
        ("raw", "top-level list", b"[" + text + b"]"),
        ("raw", "top-level string", b'"hello"'),
        ("raw", "bom", b"\xef\xbb\xbf" + text),
        ("raw", "duplicate keys", text[:-1] + b', "format": "hoithao/1"}'),
        ("raw", "deep", b"[" * 100_000 + b"]" * 100_000),
        ("raw", "NUL byte", text.replace(b'"', b'"\x00', 1)),
        ("raw", "5 MB", b'{"x": "' + b"a" * 5_000_000 + b'"}'),
    ]
    yield from raw
