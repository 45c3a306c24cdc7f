"""ui/session.py: each K_ name is defined once and each key string is used by one name.

Two helpers once both wrote ``K_UNDO = ...`` there; the second silently won, and
the designer's undo and the solver's undo shared one list.
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

SESSION = Path(__file__).resolve().parents[2] / "ui" / "session.py"


def test_each_session_key_name_and_value_is_defined_once() -> None:
    tree = ast.parse(SESSION.read_text(encoding="utf-8"))
    pairs = [(node.targets[0].id, node.value.value) for node in tree.body
             if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
             and node.targets[0].id.startswith("K_") and isinstance(node.value, ast.Constant)]
    names = Counter(n for n, _ in pairs)
    values = Counter(v for _, v in pairs)
    assert not [n for n, c in names.items() if c > 1], "a K_ name is defined twice"
    assert not [v for v, c in values.items() if c > 1], "two K_ names share one session key"
