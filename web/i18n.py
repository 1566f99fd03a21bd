"""Page text in Chinese (first) and English. The language comes from ?lang=zh|en (remembered
in a cookie), else the cookie, else Chinese. Every string a page shows goes through `t`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from web.messages import MESSAGES  # the table; areas import it from here

LANGS = ("zh", "en")


def language_of(query_lang: str | None, cookie_lang: str | None) -> str:
    for candidate in (query_lang, cookie_lang):
        if candidate in LANGS:
            return candidate
    return "zh"


def translator(lang: str) -> Callable[[str], str]:
    index = LANGS.index(lang)

    def t(key: str, *args: Any) -> str:
        return MESSAGES[key][index]

    return t


def round_title(lang: str, key: str) -> str:
    """A round's key in the reader's words where there are words for it ("final" is 决赛), else
    the key as it is (an organiser's own round name)."""
    words = MESSAGES.get(f"round_{key}")
    return words[LANGS.index(lang)] if words else key


def area_text(lang: str, words: dict[str, tuple[str, str]]) -> Callable[..., str]:
    """An area's own words first (`words`: key -> (zh, en)), then the shared ones; `t(key, n)`
    fills a "{}" with n."""
    shared = translator(lang)
    index = LANGS.index(lang)

    def t(key: str, *args: Any) -> str:
        found = words[key][index] if key in words else shared(key)
        return found.format(*args) if args else found

    return t


def both(key: str) -> str:
    """Chinese / English, for places that show both (printed sheets)."""
    zh, en = MESSAGES[key]
    return f"{zh} / {en}"
