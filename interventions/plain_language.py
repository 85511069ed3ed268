"""Plain language: how easy a text is to read, and the abbreviations a reader is left with.

One statement of each rule, used by the admin's advice beside each public text field
(interventions/admin_plain_language.py), by the public pages' `explain` filter (which
links the glossary's terms) and by the test that keeps the demo summaries plain.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

import textstat

# Flesch reading ease: 60 to 70 is plain English, which most adults read easily.
PLAIN_ENGLISH = 60
# Below this many words the Flesch formula says little: "Weekly supervision." scores 36.
FEWEST_WORDS_TO_SCORE = 10

# Abbreviations nobody needs explained, even in a short public text.
EVERYDAY = frozenset({"UK", "US", "USA", "NHS", "TV", "OK"})
# Roman numerals ("Phase II"), which read as numbers, not abbreviations.
ROMAN_NUMERAL = re.compile(r"[IVX]+")

# A word, or words joined by hyphens ("PHQ-9", "CBT-based", "UK-tested").
WORD = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")
# A part of such a word written as a code: capitals and digits, maybe a plural "s".
CODE_PART = re.compile(r"[A-Z0-9]+s?")
ABBREVIATION = re.compile(r"[A-Z]{2}|[A-Z][0-9]|[0-9][A-Z]|[A-Z]-[0-9]|[0-9]-[A-Z]")


def reading_ease(text: str) -> int:
    """The text's Flesch reading ease, rounded down, from 0 (very hard) to 100 (very easy).

    Rounded down, so a score shown as 59 is below PLAIN_ENGLISH and one shown as 60 is not.
    """
    score = textstat.flesch_reading_ease(text)
    return max(0, min(100, math.floor(score)))


def is_plain(score: int) -> bool:
    return score >= PLAIN_ENGLISH


def ease_in_words(score: int) -> str:
    """What a reading-ease score means, e.g. "plain English"."""
    if score >= 80:
        return "easy to read"
    if score >= PLAIN_ENGLISH:
        return "plain English"
    if score >= 50:
        return f"fairly hard to read (aim for {PLAIN_ENGLISH} or more)"
    return f"hard to read (aim for {PLAIN_ENGLISH} or more)"


def word_count(text: str) -> int:
    return len(WORD.findall(text))


# --- The glossary's terms, as the public pages find them ---


def glossary_pattern(terms: Iterable[str]) -> re.Pattern | None:
    """A pattern matching each glossary term standing as a word of its own: "GAD-7" in
    "GAD-7 total", not in "GAD-72" or "xGAD-7". The public pages link what it matches."""
    names = sorted(set(terms), key=len, reverse=True)
    if not names:
        return None
    return re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, names)) + r")(?![\w-])")


class Glossary:
    """The glossary's terms (GlossaryTerm rows) as the `explain` filter uses them: each by
    its name, and one pattern that finds any of them. Built once per catalogue state
    (publishing/context_processors.py), not once per text on a page."""

    def __init__(self, terms: Iterable) -> None:
        self.terms = {term.term: term for term in terms}
        self.pattern = glossary_pattern(self.terms)

    def __iter__(self):
        return iter(self.terms.values())


# --- Abbreviations ---


def abbreviations(text: str) -> Iterable[tuple[str, int, int]]:
    """Each abbreviation in the text with its place: two or more capitals ("SDQ"), or
    letters and digits ("PHQ-9", "NL2"). In "CBT-based", the "CBT"."""
    for word in WORD.finditer(text):
        parts = word.group().split("-")
        start = word.start()
        run: list[str] = []
        run_start = start
        for part in [*parts, ""]:
            if part and CODE_PART.fullmatch(part):
                if not run:
                    run_start = start
                run.append(part)
            elif run:
                found = "-".join(run)
                if ABBREVIATION.search(found) and not ROMAN_NUMERAL.fullmatch(found):
                    yield found, run_start, run_start + len(found)
                run = []
            start += len(part) + 1


def letters_of(abbreviation: str) -> str:
    """The letters an expansion spells out: "PHQ-9" -> "phq", "SDQs" -> "sdq"."""
    return re.sub(r"[^A-Z]", "", abbreviation).lower()


def spells(words: str, letters: str) -> bool:
    """Whether the words could be what the letters stand for: the first letter starts one
    of the words, and the rest follow in order ("Multisystemic Therapy" spells "mst")."""
    if not letters:
        return False
    lowered = words.lower()
    # The first word it could start from leaves the most letters to follow.
    initial = re.search(r"\b" + re.escape(letters[0]), lowered)
    if initial is None:
        return False
    at = initial.end()
    for letter in letters[1:]:
        at = lowered.find(letter, at) + 1
        if not at:
            return False
    return True


# "(CBT)", and "CBT (cognitive behavioural therapy)" after an abbreviation.
IN_BRACKETS = re.compile(r"\(\s*([^()\s]+)\s*\)")
BRACKETS_AFTER = re.compile(r"\s*\(([^()]+)\)")
# Enough text before "(CBT)", or in the brackets after it, to hold what it stands for.
LOOK_BACK = 600


def expanded(text: str, found: list[tuple[str, int, int]]) -> set[str]:
    """The abbreviations the text says the meaning of, in brackets, somewhere:
    "cognitive behavioural therapy (CBT)" or "CBT (cognitive behavioural therapy)"."""
    spelt_out = set()
    for match in IN_BRACKETS.finditer(text):
        letters = letters_of(match.group(1))
        # The words before: as many as the letters, and a few small ones ("and", "of").
        words = re.findall(r"[\w'’]+", text[max(0, match.start() - LOOK_BACK) : match.start()])
        if spells(" ".join(words[-(2 * len(letters) + 2) :]), letters):
            spelt_out.add(match.group(1))
    for name, _, end in found:
        after = BRACKETS_AFTER.match(text, end)
        if after and spells(after.group(1)[:LOOK_BACK], letters_of(name)):
            spelt_out.add(name)
    return spelt_out


def unexplained_abbreviations(text: str, glossary: Iterable[str]) -> list[str]:
    """The abbreviations a reader of this text is left to guess, in order of first use:
    not everyday ones, not spelt out in brackets, and somewhere not a glossary term the
    public pages link to its explanation."""
    pattern = glossary_pattern(glossary)
    linked = [m.span() for m in pattern.finditer(text)] if pattern else []
    starts = [start for start, _ in linked]

    def is_linked(start: int, end: int) -> bool:
        i = bisect.bisect_right(starts, start) - 1
        return i >= 0 and linked[i][1] >= end

    found = list(abbreviations(text))
    spelt_out = expanded(text, found)
    unexplained: dict[str, None] = {}
    for name, start, end in found:
        if name in EVERYDAY or name in spelt_out or is_linked(start, end):
            continue
        unexplained[name] = None
    return list(unexplained)


# --- The advice beside a field ---


@dataclass(frozen=True)
class Advice:
    """What the curator is told about one text: empty text has no advice."""

    words: int
    score: int | None  # None when the text is too short to score
    unexplained: list[str]

    @property
    def is_empty(self) -> bool:
        return self.words == 0 and not self.unexplained

    @property
    def is_plain(self) -> bool | None:
        return None if self.score is None else is_plain(self.score)

    @property
    def ease(self) -> str:
        """E.g. "Reading ease 64: plain English"."""
        if self.score is None:
            return f"Too short for a reading-ease score (under {FEWEST_WORDS_TO_SCORE} words)"
        return f"Reading ease {self.score}: {ease_in_words(self.score)}"

    def as_json(self) -> dict:
        return {
            "words": self.words,
            "reading_ease": self.score,
            "plain": self.is_plain,
            "reading_ease_label": self.ease,
            "unexplained": self.unexplained,
        }


def advise(text: str, glossary: Iterable[str]) -> Advice:
    """The reading ease and unexplained abbreviations of one public text."""
    text = text or ""
    words = word_count(text)
    score = reading_ease(text) if words >= FEWEST_WORDS_TO_SCORE else None
    return Advice(words=words, score=score, unexplained=unexplained_abbreviations(text, glossary))
