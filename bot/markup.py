"""What was typed, as words: mentions, links, mrkdwn markup, code fences and HTML set aside before a topic is read.

Slack sends command text with `&`, `<` and `>` encoded and its own mentions and links in angle brackets:
`/learn kubernetes from @priya` arrives as `kubernetes from <@U123>`, `/learn <b>go</b>` as `&lt;b&gt;go&lt;/b&gt;`.
A topic name never keeps any of it: `*bold*` is read as `bold`, `` `kubectl` `` as `kubectl`, and a
`<script>` element or a ```fenced block``` as nothing at all (its content is code, not a topic). The console
trial sends text unencoded; both read the same.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

# A mention or link is often introduced by a little word: "kubernetes from @priya", "docker, see https://…".
_BEFORE = r"(?:\b(?:from|with|by|via|to|for|and|or|ask|cc|see|at)\s+)?"
_MENTION = re.compile(_BEFORE + r"(?:<[@#!][^>]*>|(?<![\w@])[@#][A-Za-z][\w.-]*)", re.IGNORECASE)
_LINK = re.compile(_BEFORE + r"(?:<(?:https?|mailto):[^>]*>|\bhttps?://\S+)", re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_CODE_ELEMENT = re.compile(r"<(script|style)\b[^>]*>.*?(?:</\1\s*>|$)", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>")
# A fenced block of code is not words: it goes whole (an unclosed one to the end). A name alone in one
# (```kubectl```), like an inline `kubectl`, keeps its word.
_CODE_BLOCK = re.compile(r"```(.*?)(?:```|$)", re.DOTALL)
_NAME = re.compile(r"\s*[\w.+#-]+\s*")
_FENCE = re.compile(r"```+|`")
# Slack's *bold*, _italic_ and ~strike~ (and Markdown's doubled ones), only around words, as Slack reads them:
# `snake_case`, `f*` and `c++` are not markup.
_EMPHASIS = re.compile(r"(?<![\w*_~])([*_~]{1,2})(?=\S)(.+?)(?<=\S)\1(?![\w*_~])")
_STRAY = re.compile(r"(?<!\S)[*_~]+|[_~]+(?!\S)")  # a marker left alone; `f*` keeps its star
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Plain:
    """Typed text with everything that is not words set aside, and what kind of thing was set aside."""

    text: str
    mention: bool = False  # of a person or a channel
    link: bool = False


def plain(text: str) -> Plain:
    """`text` as words: HTML entities decoded; comments, scripts and tags, mentions, links and markup gone."""
    text = html.unescape(text)
    text = _CODE_BLOCK.sub(_name_or_nothing, _CODE_ELEMENT.sub(" ", _COMMENT.sub(" ", text)))
    text, mentions = _MENTION.subn(" ", text)
    text, links = _LINK.subn(" ", text)
    text = _FENCE.sub(" ", _TAG.sub(" ", text))
    previous = None
    while previous != text:  # nested: *_bold italic_*
        previous, text = text, _EMPHASIS.sub(r"\2", text)
    text = _SPACES.sub(" ", _STRAY.sub(" ", text)).strip(" ,;")  # "docker, see https://…" leaves a comma
    return Plain(text, mention=mentions > 0, link=links > 0)


def _name_or_nothing(block: re.Match[str]) -> str:
    return f" {block[1]} " if _NAME.fullmatch(block[1]) else " "
