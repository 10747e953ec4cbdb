"""Reading time and reading level of a chapter, measured from its Markdown.

The level is the Flesch-Kincaid US grade, from words per sentence and
syllables per word; syllables are counted with a vowel-group rule, which is
close enough for a guide (it is not a dictionary count). Markup, headings'
anchors, code and HTML are removed first; figures count as the words a
reader sees.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ..facts import syntax
from . import presentation

WORDS_PER_MINUTE = 200  # a common figure for adult silent reading of non-fiction

_FENCE = re.compile(r"^```.*?^```", re.S | re.M)
# A heading with nothing but a ```quiz under it is the quiz's title: a chapter's
# self-check quiz (quiz_fence) is not part of its reading, heading and all.
_QUIZ_HEADING = re.compile(r"^#{2,6} .*\n(?:[ \t]*\n)*(?=```quiz)", re.M)
_HTML = re.compile(r"<[^>]+>")
_ATTRS = re.compile(r"\{\s*[#.][^}]*\}")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_ABBR = re.compile(r"^\*\[.*$", re.M)
_ADMONITION = re.compile(r'^\s*(!!!|\?\?\?\+?)\s*\w+(\s+"([^"]*)")?', re.M)
_MARKS = re.compile(r"[*_`#>|]|^\s*[-+]\s+|^\s*\d+\.\s+|^\s*:\s+|^\s*-{3,}\s*$", re.M)
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*|\d[\d,.]*")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n\s*\n")


@dataclass(frozen=True)
class Reading:
    words: int
    sentences: int
    syllables: int

    @property
    def grade(self) -> float:
        if not self.words:
            return 0.0
        return 0.39 * self.words / self.sentences + 11.8 * self.syllables / self.words - 15.59

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.words / WORDS_PER_MINUTE))


def plain_text(markdown: str, facts) -> str:
    """What a reader reads: the page's words, figures as displayed."""
    text = syntax.without_front_matter(markdown)
    text = _FENCE.sub("", _QUIZ_HEADING.sub("", text))
    text = _ABBR.sub("", text)

    text = presentation.plain_text(facts, text, unknown_as="")  # the page itself reports it
    text = _ADMONITION.sub(lambda m: (m.group(3) or "") + ".", text)
    text = _LINK.sub(r"\1", text)
    text = _ATTRS.sub("", _HTML.sub(" ", text))
    # A heading or list item is a unit of its own even without a full stop.
    text = re.sub(r"^(#+ .*|\s*[-+*] .*|\s*\d+\. .*)$", r"\1.", text, flags=re.M)
    return _MARKS.sub(" ", text)


def syllables(word: str) -> int:
    word = word.lower().strip("'’")
    if not word.isalpha():
        return max(1, len(re.findall(r"\d", word)) // 2)  # "28.8" is read as a few syllables
    groups = re.findall(r"[aeiouy]+", word)
    count = len(groups)
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    return max(1, count)


def measure(markdown: str, facts) -> Reading:
    text = plain_text(markdown, facts)
    words = _WORD.findall(text)
    sentences = [s for s in _SENTENCE_END.split(text) if _WORD.search(s)]
    return Reading(len(words), max(1, len(sentences)), sum(syllables(w) for w in words))
