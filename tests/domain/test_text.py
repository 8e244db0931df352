"""Vietnamese normalisation, collation and Decree 30 date lines."""
from __future__ import annotations

import datetime
import random
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sports.domain.text import (
    collation_key,
    date_line,
    date_phrase,
    nfc,
    person_sort_key,
)

# --- nfc -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Nguye\u0302\u0303n", "Nguyễn"),  # decomposed e + circumflex + tilde
        ("  Lê   Văn\tÂn \n", "Lê Văn Ân"),
        ("Vie\u0302\u0323t", "Việt"),  # marks in non-canonical order
        ("Đoàn\u00a0Hoàng Anh", "Đoàn Hoàng Anh"),  # no-break space
        ("", ""),
    ],
)
def test_nfc_composes_trims_and_collapses(raw: str, expected: str) -> None:
    out = nfc(raw)
    assert out == expected
    assert unicodedata.is_normalized("NFC", out)


# --- collation: pairs ----------------------------------------------------

ORDERED_PAIRS = [
    # base letters: a < ă < â, d < đ, e < ê, o < ô < ơ, u < ư
    ("a", "ă"), ("ă", "â"), ("â", "b"),
    ("d", "đ"), ("đ", "e"), ("e", "ê"), ("ê", "g"),
    ("o", "ô"), ("ô", "ơ"), ("ơ", "p"),
    ("u", "ư"), ("ư", "v"), ("x", "y"),
    ("Anh", "Ân"), ("Dũng", "Đào"), ("Hung", "Hưng"),
    # tones after the whole string's letters: none < huyền < hỏi < ngã < sắc < nặng
    ("ba", "bà"), ("bà", "bả"), ("bả", "bã"), ("bã", "bá"), ("bá", "bạ"),
    ("bạ", "bb"),  # letters first: "ba" < "bb" whatever the tone
    ("Hà", "Hai"),  # "ha" is a prefix of "hai"
    ("Hải", "Hạnh"),  # i < n beats any tone difference
    ("Dung", "Dũng"), ("Hùng", "Hưng"),
    ("Loan", "Loàn"),  # tones compared left to right, so the first
    ("Loàn", "Lòan"),  # letter whose tone differs decides
    # case last, lower before upper
    ("ba", "Ba"), ("Ba", "BA"), ("BA", "bà"), ("an", "An"),
    # spaces before letters, digits by value
    ("An", "An Bình"), ("An Bình", "Anh"), ("Bảng 2", "Bảng 10"),
    ("Đội 9", "Đội A"),
]


@pytest.mark.parametrize(("lo", "hi"), ORDERED_PAIRS)
def test_collation_pairs(lo: str, hi: str) -> None:
    assert collation_key(lo) < collation_key(hi)


@pytest.mark.parametrize(
    "word", ["Nguyễn", "Trần", "Đặng", "Hưởng", "Phượng", "Quỳnh", "Ánh"]
)
def test_decomposed_input_gives_the_same_key(word: str) -> None:
    decomposed = unicodedata.normalize("NFD", word)
    assert decomposed != word
    assert collation_key(decomposed) == collation_key(word)


def test_whitespace_variants_sort_together_but_stay_distinct() -> None:
    a, b = collation_key("An Bình"), collation_key("An  Bình")
    assert a[:2] == b[:2]  # same syllables (letters and tones) and case
    assert a != b  # still a total order


# --- collation: real names ----------------------------------------------

# Listed by given name, then full name (how Vietnamese rosters are printed).
ROSTER_IN_ORDER = [
    "Đoàn Hoàng Anh",
    "Phạm Minh Anh",
    "Trần Thị Ánh",
    "Võ Thị Ngọc Ánh",
    "Lê Văn Ân",
    "Bùi Văn Bình",
    "Nguyễn Văn Dung",
    "Hoàng Đức Dũng",
    "Trương Thị Đào",
    "Trần Văn Đạt",
    "Phan Thị Hà",
    "Ngô Văn Hải",
    "Nguyễn Thị Hải",
    "Đặng Thị Hạnh",
    "Lê Thị Hằng",
    "Huỳnh Thị Oanh",
    "Tô Thị Uyên",
    "Châu Thị Yến",
]

UNITS_IN_ORDER = [
    "Bệnh viện Đa khoa Bảo Lộc",
    "Bệnh viện Đa khoa tỉnh Lâm Đồng",
    "Bệnh viện Nhi",
    "Bệnh viện Y học cổ truyền",
    "Chi cục Dân số",
    "Sở Y tế",
    "Trung tâm Kiểm soát bệnh tật",
]


def test_roster_sorted_by_given_name_then_full_name() -> None:
    shuffled = ROSTER_IN_ORDER[:]
    random.Random(7).shuffle(shuffled)
    assert sorted(shuffled, key=person_sort_key) == ROSTER_IN_ORDER


def test_roster_by_full_name() -> None:
    assert sorted(ROSTER_IN_ORDER, key=collation_key) == [
        "Bùi Văn Bình",
        "Châu Thị Yến",
        "Đặng Thị Hạnh",
        "Đoàn Hoàng Anh",
        "Hoàng Đức Dũng",
        "Huỳnh Thị Oanh",
        "Lê Thị Hằng",
        "Lê Văn Ân",
        "Ngô Văn Hải",
        "Nguyễn Thị Hải",
        "Nguyễn Văn Dung",
        "Phạm Minh Anh",
        "Phan Thị Hà",
        "Tô Thị Uyên",
        "Trần Thị Ánh",
        "Trần Văn Đạt",
        "Trương Thị Đào",
        "Võ Thị Ngọc Ánh",
    ]


def test_units_sorted() -> None:
    assert sorted(reversed(UNITS_IN_ORDER), key=collation_key) == UNITS_IN_ORDER


def test_person_key_uses_last_word_after_normalising() -> None:
    assert person_sort_key("  Nguyễn   Văn An ")[0] == collation_key("An")
    assert person_sort_key("Trần Thị Ánh") < person_sort_key("Lê Văn Ân")


# --- collation: properties ----------------------------------------------

ALPHABET = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "g", "h", "i", "k", "l",
    "m", "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "x", "y",
]
VOWELS = set("aăâeêioôơuưy")
TONE_MARKS = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]

# One letter as (alphabet index, tone index, upper?).
letter_spec = st.tuples(
    st.integers(0, len(ALPHABET) - 1), st.integers(0, 5), st.booleans()
).map(lambda t: (t[0], t[1] if ALPHABET[t[0]] in VOWELS else 0, t[2]))
word_spec = st.lists(letter_spec, max_size=6)


def spell(spec: list[tuple[int, int, bool]]) -> str:
    parts = []
    for idx, tone, upper in spec:
        letter = ALPHABET[idx].upper() if upper else ALPHABET[idx]
        parts.append(letter + TONE_MARKS[tone])
    return unicodedata.normalize("NFC", "".join(parts))


def reference_order(spec: list[tuple[int, int, bool]]) -> tuple:
    """Letters, then tones left to right, then case (lower first)."""
    return (
        tuple(i for i, _, _ in spec),
        tuple(t for _, t, _ in spec),
        tuple(int(u) for _, _, u in spec),
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(word_spec, min_size=2, max_size=8))
def test_key_order_matches_reference(specs: list) -> None:
    by_key = sorted((spell(s) for s in specs), key=collation_key)
    by_reference = [spell(s) for s in sorted(specs, key=reference_order)]
    assert by_key == by_reference


vietnamese_text = st.text(
    alphabet=st.sampled_from(
        ALPHABET + [a.upper() for a in ALPHABET] + list("0123456789 -.")
        + TONE_MARKS[1:]
    ),
    max_size=12,
)
any_text = st.one_of(vietnamese_text, st.text(max_size=12))


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_nfc_and_nfd_give_equal_keys(s: str) -> None:
    key = collation_key(unicodedata.normalize("NFC", s))
    assert collation_key(unicodedata.normalize("NFD", s)) == key
    assert collation_key(s) == key


@settings(max_examples=200, deadline=None)
@given(st.lists(any_text, max_size=12), st.randoms(use_true_random=False))
def test_sorting_is_total_and_deterministic(strings: list, rnd) -> None:
    first, second = strings[:], strings[:]
    rnd.shuffle(first)
    rnd.shuffle(second)
    assert sorted(first, key=collation_key) == sorted(second, key=collation_key)
    for a in strings:
        for b in strings:
            same = unicodedata.normalize("NFC", a) == unicodedata.normalize("NFC", b)
            assert (collation_key(a) == collation_key(b)) == same


@settings(max_examples=200, deadline=None)
@given(word_spec)
def test_case_and_tones_do_not_change_the_letters(spec: list) -> None:
    word = spell(spec)
    plain = spell([(i, 0, False) for i, _, _ in spec])
    def letters(text: str) -> tuple:
        return tuple(syllable[0] for syllable in collation_key(text)[0])

    assert letters(word) == letters(plain)
    assert letters(word.upper()) == letters(word.lower())


@pytest.mark.parametrize("first, second", [
    ("Đà Lạt", "Đạ Huoai"),   # syllable by syllable: "Đà" < "Đạ" decides before "Lạt"/"Huoai"
    ("hà", "hai"),            # a syllable's letters, then its tones: "ha" + huyền < "hai"
    ("Lê Văn An", "Lê Văn Ân"),
    ("Bảo Lộc", "Bảo Lộc 2"),
])
def test_dictionary_order_goes_syllable_by_syllable(first: str, second: str) -> None:
    assert collation_key(first) < collation_key(second)


# --- dates ---------------------------------------------------------------

@pytest.mark.parametrize(
    ("place", "day", "expected"),
    [
        ("Lâm Đồng", datetime.date(2023, 12, 1), "Lâm Đồng, ngày 01 tháng 12 năm 2023"),
        ("Hà Nội", datetime.date(2024, 7, 5), "Hà Nội, ngày 05 tháng 7 năm 2024"),
        ("Đà Lạt", datetime.date(2024, 2, 15), "Đà Lạt, ngày 15 tháng 02 năm 2024"),
        ("Huế", datetime.date(2025, 1, 31), "Huế, ngày 31 tháng 01 năm 2025"),
        ("Cần Thơ", datetime.date(2025, 10, 10), "Cần Thơ, ngày 10 tháng 10 năm 2025"),
        ("  Lâm  Đồng ", datetime.date(2023, 3, 9), "Lâm Đồng, ngày 09 tháng 3 năm 2023"),
        ("", datetime.date(2023, 12, 1), "Ngày 01 tháng 12 năm 2023"),
    ],
)
def test_date_line_examples(place: str, day: datetime.date, expected: str) -> None:
    assert date_line(place, day) == expected


def _every_day(year: int):
    day = datetime.date(year, 1, 1)
    while day.year == year:
        yield day
        day += datetime.timedelta(days=1)


def test_date_phrase_every_day_of_a_leap_year() -> None:
    seen = set()
    for d in _every_day(2024):
        words = date_phrase(d).split(" ")
        assert words[0::2] == ["ngày", "tháng", "năm"]
        day_text, month_text, year_text = words[1::2]
        assert int(day_text) == d.day and int(month_text) == d.month
        assert year_text == "2024"
        assert len(day_text) == 2  # days 1-9 padded, 10-31 already two digits
        assert month_text.startswith("0") == (d.month in (1, 2))
        assert date_line("Lâm Đồng", d) == "Lâm Đồng, " + date_phrase(d)
        seen.add((day_text, month_text))
    assert len(seen) == 366
