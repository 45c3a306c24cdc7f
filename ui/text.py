r"""Plain text on every page: anything a user typed or a URL carried is shown as its characters, never as markup.

Streamlit renders markdown in ``st.markdown``/``st.caption``/``st.error``/...,
in widget labels, help texts, metric labels and radio options. A plan called
``![p](http://host/x.png)`` would make every viewer's browser fetch that URL,
and ``[Sign in again](http://...)`` would be a working link. :func:`md` turns
a value into markdown source that renders exactly its characters, changing
as little as it can (so "components[1].curve.points", "contract_start" or
"(>= 0)" read the same in the source):

- backslash-escaped always: ``\`` ``` ` ``` ``*`` ``~`` ``$`` (code,
  emphasis, strike-through, math);
- escaped where they would start markup: ``_`` at a word edge (``a_b`` is no
  emphasis), ``<`` before a letter, ``/``, ``!`` or ``?`` (HTML, autolinks),
  ``]`` before ``(``, ``[`` or ``:`` (links, images, references, footnotes),
  ``[`` after ``!`` or after ``:name`` (images, ``:red[...]`` colours), the
  colon of ``:icon:``/``:smile:``, an ``&entity;``, and a heading, quote or
  list marker at the start;
- bare web addresses and e-mails are made links by a step that runs *after*
  escapes are read (GFM autolink literals), so escaping cannot stop them: an
  invisible word joiner (U+2060) goes after ``http``/``https``/``www``/``ftp``
  and after the ``@`` of an e-mail, which no autolink pattern accepts;
- line breaks become spaces, so data cannot start a block of its own.

Use it on every interpolated value::

    st.caption(f"Plan “{md(plan.name)}”, per {plan.period}")
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["md", "md_lines", "shown"]

_BREAKS = re.compile(r"[\r\n\t\v\f\u2028\u2029\x85]+")
_WORD_JOINER = "\u2060"
_RULES = [
    (re.compile(r"([\\`*~$])"), r"\\\1"),
    (re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])"), r"\\_"),
    (re.compile(r"<(?=[A-Za-z/!?])"), r"\\<"),
    (re.compile(r"\](?=[(\[:])"), r"\\]"),
    (re.compile(r"(?<=!)\["), r"\\["),
    (re.compile(r":(?=[\w/+-]+:)"), r"\\:"),
    (re.compile(r"&(?=#?\w+;)"), r"\\&"),
    (re.compile(r"(?i)(?<![A-Za-z])(https?|www|ftp)(?=[:.])"), r"\1" + _WORD_JOINER),
    (re.compile(r"(?<=\w@)(?=\w)"), _WORD_JOINER),
]
# a block marker only where markdown reads one: "1. " (not "65.0%"), "# " (not "#3"), "- " or "--" (not "-5%")
_BLOCK_START = re.compile(r"^(\s*)(?:(\d+)([.)])(?=\s|$)|(>|[#+=](?=[\s#=]|$)|-(?=[\s-]|$)))")
_DIRECTIVE = re.compile(r"(:[A-Za-z][\w-]*)\[")  # :red[ ... ], :blue-background[ ... ]


def _block(m: re.Match[str]) -> str:
    lead, digits, dot, mark = m.groups()
    return lead + (f"{digits}\\{dot}" if digits else f"\\{mark}")


def md(value: Any) -> str:
    r"""``value`` as markdown source that renders exactly its characters (plain text).

    >>> md("![p](http://host/x.png)") == "!\\[p\\](http\u2060://host/x.png)"
    True
    >>> print(md("# CS Ops\n- PMO"), "|", md("components[1].weight: must be > 0 (>= 0), got 'a_b'"))
    \# CS Ops - PMO | components[1].weight: must be > 0 (>= 0), got 'a_b'
    >>> print(md(":red[alarm] :material/lock: *bold* $5 and $6 <b>x</b>"))
    :red\[alarm] \:material/lock: \*bold\* \$5 and \$6 \<b>x\</b>
    """
    text = _BREAKS.sub(" ", str(value))
    for pattern, repl in _RULES:
        text = pattern.sub(repl, text)
    text = _DIRECTIVE.sub(r"\1\\[", text)
    return _BLOCK_START.sub(_block, text)


def md_lines(lines: list[str]) -> str:
    """A markdown bullet list of plain-text lines (each escaped with :func:`md`)."""
    return "\n".join(f"- {md(line)}" for line in lines)


_ESCAPE = re.compile(r"\\(.)")


def shown(source: Any) -> Any:
    """The characters a source made by :func:`md` shows once rendered (backslash escapes read, joiners gone).

    >>> shown(md("![p](http://host/x.png) costs $5")) == "![p](http://host/x.png) costs $5"
    True
    """
    if not isinstance(source, str):  # a number cell of a table
        return source
    return _ESCAPE.sub(r"\1", source).replace(_WORD_JOINER, "")
