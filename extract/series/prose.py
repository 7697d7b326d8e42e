"""Dutch running text: wrapped lines joined (hyphens, words broken without one) and split into sentences."""

from __future__ import annotations

import re

from extract.core.records import Line
from extract.series.nlp import dutch_words


def forced_breaks(lines: list[Line]) -> set[int]:
    """Indexes of the lines that end in a word broken without a hyphen because it is wider than its column (a
    typesetter breaks a word anywhere only when it cannot fit on a line of its own): the last word reaches the
    lines' right edge, the next line opens with a lower-case piece, the two together are wider than the lines, and
    together they read as one word (``spans_break``): in a narrow column an ordinary break looks forced too."""
    if len(lines) < 2:
        return set()
    left, right = min(l.x0 for l in lines), max(l.x1 for l in lines)
    breaks = set()
    for index, (line, following) in enumerate(zip(lines, lines[1:])):
        head, tail = line.words[-1], following.words[0]
        char = (head.x1 - head.x0) / max(1, len(head.text))
        if (head.text[-1:].isalpha() and tail.text[:1].islower() and head.x1 >= right - 1.5 * char
                and (head.x1 - head.x0) + (tail.x1 - tail.x0) > right - left and spans_break(head.text, tail.text)):
            breaks.add(index)
    return breaks


def join_lines(texts: list[str], breaks: set[int] | frozenset[int] = frozenset()) -> str:
    """Join wrapped lines: a space between them, none after a hyphen that joins a compound ("CJG-" + "beleid")."""
    out = ""
    for index, text in enumerate(texts):
        text = text.strip()
        if not text:
            continue
        if index - 1 in breaks or (out and text[0] in ".,;:!?)"):  # a line never opens with punctuation by choice
            out += text
        elif out.endswith("-") and len(out) > 1 and out[-2].isalnum() and not re.match(r"(en|of|tot)\b", text):
            out += text
        elif out and broken_word(out.rsplit(" ", 1)[-1], text.split(" ", 1)[0]):
            out += text
        else:
            out = f"{out} {text}" if out else text
    return out


WORD_PIECE = re.compile(r"[a-zà-ÿ]{2,}")


def broken_word(last: str, first: str) -> bool:
    """A word broken over two lines without a hyphen ("samen" / "werkingsovereenkomst"): the next line opens with a
    lower-case piece that is no Dutch word, while the two pieces together are one."""
    head, tail = last.lower(), first.lower().rstrip(".,;:!?)")
    if not (WORD_PIECE.fullmatch(head) and WORD_PIECE.fullmatch(tail) and first[:1].islower()):
        return False
    words = dutch_words()
    return tail not in words and head + tail in words


def spans_break(head: str, tail: str) -> bool:
    """Whether "head" + "tail" reads as one word: it is a Dutch word, or ends in one (of five letters or more) that
    starts inside ``head`` (a compound: "opschalingsmogelijkhe" + "den" ends in "mogelijkheden")."""
    head = re.split(r"[^a-zà-ÿ]", head.lower())[-1]
    tail = re.split(r"[^a-zà-ÿ]", tail.lower())[0]
    if not head or not tail:
        return False
    whole, words = head + tail, dutch_words()
    return whole in words or any(whole[start:] in words for start in range(1, len(head)) if len(whole) - start >= 5)


SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9“‘'\"(•])")


def sentences_by_page(lines: list[Line]) -> list[tuple[int, str]]:
    """Sentences of the running text (wrapped lines joined per page), each with its page."""
    by_page: dict[int, list[str]] = {}
    for line in lines:
        by_page.setdefault(line.page, []).append(line.text)
    return [(page, sentence.strip()) for page, texts in sorted(by_page.items())
            for sentence in SENTENCE_BREAK.split(join_lines(texts)) if sentence.strip()]
