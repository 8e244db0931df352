"""Draws: round-robin schedules, knockout draws, bracket progression and placings.

Implements RULES.md §3 as pure functions on entry keys (opaque strings):

* :func:`round_robin` - a balanced circle-method schedule for a group;
* :func:`knockout_draw` - first-round positions of a knockout draw with seeds
  (BWF GCR 12.9 / ITTF practice), byes, and same-unit separation (ITTF
  Handbook 3.6.3 with "association" read as the entry's unit), reproducible
  from a recorded random seed;
* :func:`build_bracket`, :func:`draw_matches`, :func:`correction_effects` -
  how recorded winners move entries through a draw;
* :func:`knockout_places` - final and shared lower placings of a knockout;
* :func:`crossover`, :func:`groups_split` - from entries to groups, and from
  groups to a knockout.

What this module does not know: match scores (see the scoring rules), group
standings, persistence, who is allowed to record a draw, or what a unit is
beyond its name. It never decides a lot silently: every random choice comes
from ``random.Random(rng_seed)`` so the organiser can reproduce the draw.

Separation is an optimisation with a lexicographic cost, most important first:
a unit's two best entries in the same half, its four best sharing a quarter,
then the number of same-unit first-round matches. The search is exact on
small draws (at most :data:`_EXACT_FREE` open lines) and a greedy + local
search with a bounded branch-and-bound on larger ones (best effort).
"""
from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass
from typing import Iterator, Mapping, Sequence

from .types import DrawEntry, RuleError

SEPARATIONS: tuple[str, ...] = ("none", "first_round", "full")
THIRD_PLACE_MODES: tuple[str, ...] = ("shared", "playoff", "none")

# A token is how the separation search sees an entry: (unit id, role).
# Unit id 0 = cannot clash with anyone (no unit, or alone in its unit).
# Role 0 = one of the unit's two best, 1 = its 3rd/4th, 2 = any other.
Token = tuple[int, int]
Cost = tuple[int, int, int]
_BYE: Token = (0, 2)
_ZERO: Cost = (0, 0, 0)
_EXACT_FREE = 12          # open lines up to which the search is exhaustive
_EXACT_BUDGET = 400_000   # branch-and-bound nodes per small draw
_LARGE_BUDGET = 10_000    # ... and per large draw (best effort)
_ALL_LOTS_LIMIT = 48      # seed lots enumerated in full up to this count
_SAMPLED_LOTS = 4         # seed lots tried on large draws
_LEVEL_ARRANGEMENTS = 720 # a seed level is drawn as a whole up to this many arrangements
_BYE_VARIANTS = 8         # bye layouts tried per seed lot on small draws
_MAX_LAYOUTS = 96         # (seed lot, byes) layouts tried on small draws


# --------------------------------------------------------------------------
# Validation helpers
# --------------------------------------------------------------------------

def _check_unique(keys: Sequence[str], what: str) -> None:
    seen: dict[str, int] = {}
    for key in keys:
        seen[key] = seen.get(key, 0) + 1
    duplicates = [key for key, count in seen.items() if count > 1]
    if duplicates:
        raise RuleError(
            f"{what} có mục trùng lặp: {', '.join(duplicates)}. "
            "Mỗi VĐV/đôi/đội chỉ được có mặt một lần."
        )


def _is_power_of_two(n: int) -> bool:
    return n >= 1 and n & (n - 1) == 0


# --------------------------------------------------------------------------
# Round robin
# --------------------------------------------------------------------------

def round_robin(entries: Sequence[str]) -> list[list[tuple[str, str]]]:
    """Rounds of (home, away) in which every pair meets exactly once.

    Circle method with the first entry fixed (a dummy "sits out" entry is fixed
    instead when the count is odd). A rotating entry is home in the left half
    of the circle and away in the right half; the fixed entry alternates, so
    every entry's home and away counts differ by at most one. Fewer than two
    entries give no rounds.
    """
    keys = list(entries)
    _check_unique(keys, "Danh sách thi đấu vòng tròn")
    if len(keys) < 2:
        return []
    ring: list[str | None] = list(keys)
    if len(ring) % 2:
        ring.insert(0, None)
    m = len(ring)
    fixed, rest = ring[0], ring[1:]
    rounds: list[list[tuple[str, str]]] = []
    for r in range(m - 1):
        line = [fixed, *rest]
        matches: list[tuple[str, str]] = []
        for i in range(m // 2):
            a, b = line[i], line[m - 1 - i]
            if a is None or b is None:
                continue
            if i == 0 and r % 2:
                a, b = b, a
            matches.append((a, b))
        rounds.append(matches)
        rest = rest[-1:] + rest[:-1]
    return rounds


# --------------------------------------------------------------------------
# Sizes
# --------------------------------------------------------------------------

def default_seed_count(n_entries: int) -> int:
    """Seeds by convention: 2 below 16 entries, 4 for 16-31, 8 for 32-63, 16 from 64.

    A "draw" of 0 or 1 entries has no seeds.
    """
    if n_entries < 2:
        return 0
    if n_entries < 16:
        return 2
    if n_entries < 32:
        return 4
    if n_entries < 64:
        return 8
    return 16


def draw_size(n_entries: int) -> int:
    """The next power of two >= ``n_entries`` (at least 2)."""
    size = 2
    while size < n_entries:
        size *= 2
    return size


# --------------------------------------------------------------------------
# Knockout draw: seed lines and byes
# --------------------------------------------------------------------------

def _seed_levels(size: int) -> list[list[int]]:
    """Seed lines by level: [[top line], [bottom line], [lines of seeds 3-4], [5-8], ...].

    At level k (k >= 2) the draw is cut into 2^k sections; the sections that do
    not yet hold a seed get one, at their top line in the top half and at their
    bottom line in the bottom half.
    """
    levels = [[0], [size - 1]]
    taken = {0, size - 1}
    k = 2
    while (size >> k) >= 1 and (1 << k) <= size:
        section = size >> k
        lines = []
        for start in range(0, size, section):
            end = start + section - 1
            if not any(start <= p <= end for p in taken):
                lines.append(start if start < size // 2 else end)
        levels.append(lines)
        taken.update(lines)
        k += 1
    return levels


def seed_lines(size: int, n_seeds: int) -> list[list[int]]:
    """For each seed level, the lines its seeds are drawn into (public for UIs/tests)."""
    out, left = [], n_seeds
    for lines in _seed_levels(size):
        if left <= 0:
            break
        out.append(lines)
        left -= len(lines)
    return out


def _seed_byes(seed_pos: Sequence[int], n_byes: int) -> list[int]:
    """Byes facing the seeds, in seed order (a seed facing a seed gets none)."""
    seeds = set(seed_pos)
    return [p ^ 1 for p in seed_pos if p ^ 1 not in seeds][:n_byes]


def _bye_options(size: int, byes: Sequence[int], taken: set[int]) -> list[int]:
    """Lines where the next spread bye may go.

    Down the draw into the half (then quarter, eighth, ...) holding fewer byes,
    every tie kept, into a pair with no seed and no bye; the bye takes the lower
    line of its pair in the top half and the upper line in the bottom half, so
    the entry sits where a seed would.
    """
    def count(lo: int, hi: int) -> int:
        return sum(1 for p in byes if lo <= p < hi)

    def descend(lo: int, hi: int) -> list[int]:
        if hi - lo == 2:
            return [lo + 1 if lo < size // 2 else lo]
        mid = (lo + hi) // 2
        halves = [(a, b) for a, b in ((lo, mid), (mid, hi)) if _has_free_pair(a, b, taken)]
        fewest = min(count(a, b) for a, b in halves)
        return [line for a, b in halves if count(a, b) == fewest for line in descend(a, b)]

    return descend(0, size)


def _bye_lines(size: int, seed_pos: Sequence[int], n_byes: int, rng: random.Random) -> list[int]:
    """Byes: first the seeds' opponents in seed order, then spread by lot (:func:`_bye_options`)."""
    byes = _seed_byes(seed_pos, n_byes)
    taken = set(seed_pos) | set(byes)
    while len(byes) < n_byes:
        line = rng.choice(_bye_options(size, byes, taken))
        byes.append(line)
        taken.add(line)
    return byes


def _bye_variants(size: int, seed_pos: Sequence[int], n_byes: int, limit: int) -> list[list[int]]:
    """Every distinct outcome of :func:`_bye_lines` (up to ``limit``), for small draws."""
    found: list[list[int]] = []
    visited: set[tuple[int, ...]] = set()

    def extend(byes: list[int], taken: set[int]) -> None:
        state = tuple(sorted(byes))
        if state in visited or len(found) >= limit:
            return
        visited.add(state)
        if len(byes) == n_byes:
            found.append(byes)
            return
        for line in _bye_options(size, byes, taken):
            extend(byes + [line], taken | {line})

    start = _seed_byes(seed_pos, n_byes)
    extend(start, set(seed_pos) | set(start))
    return found


def _has_free_pair(lo: int, hi: int, taken: set[int]) -> bool:
    return any(p not in taken and p + 1 not in taken for p in range(lo, hi, 2))


# --------------------------------------------------------------------------
# Knockout draw: the separation search
# --------------------------------------------------------------------------

def _add(a: Cost, b: Cost) -> Cost:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


class _Board:
    """Lines of a draw holding tokens, with the incremental separation cost."""

    def __init__(self, size: int, full: bool):
        self.size = size
        self.full = full
        self.half = max(1, size // 2)
        self.quarter = max(1, size // 4)
        self.depth = size.bit_length() - 1
        self.arr: list[Token | None] = [None] * size
        self.best: dict[int, list[int]] = {}          # unit -> lines of role 0/1 tokens
        self.sections: dict[tuple[int, int, int], int] = {}

    def delta(self, p: int, tok: Token) -> Cost:
        """Cost added by putting ``tok`` on line ``p`` (against what is already placed)."""
        unit, role = tok
        if not unit:
            return _ZERO
        partner = self.arr[p ^ 1]
        f = 1 if partner is not None and partner[0] == unit else 0
        if not self.full or role == 2:
            return (0, 0, f)
        h = q = 0
        for r in self.best.get(unit, ()):
            if r // self.quarter == p // self.quarter:
                q += 1
            if role == 0 and self.arr[r][1] == 0 and r // self.half == p // self.half:
                h += 1
        return (h, q, f)

    def spread(self, p: int, unit: int) -> tuple[int, ...]:
        """How many of the unit already sit in p's half, quarter, eighth ..."""
        if not unit:
            return ()
        return tuple(self.sections.get((unit, k, p >> (self.depth - k)), 0)
                     for k in range(1, self.depth))

    def put(self, p: int, tok: Token) -> None:
        self.arr[p] = tok
        unit, role = tok
        if unit:
            if self.full and role < 2:
                self.best.setdefault(unit, []).append(p)
            for k in range(1, self.depth):
                key = (unit, k, p >> (self.depth - k))
                self.sections[key] = self.sections.get(key, 0) + 1

    def take(self, p: int) -> Token:
        tok = self.arr[p]
        assert tok is not None
        self.arr[p] = None
        unit, role = tok
        if unit:
            if self.full and role < 2:
                self.best[unit].remove(p)
            for k in range(1, self.depth):
                self.sections[(unit, k, p >> (self.depth - k))] -= 1
        return tok

    def cost(self) -> Cost:
        fresh = _Board(self.size, self.full)
        total = _ZERO
        for p, tok in enumerate(self.arr):
            if tok is not None:
                total = _add(total, fresh.delta(p, tok))
                fresh.put(p, tok)
        return total

    def f_lower_bound(self, open_lines: Sequence[int], counts: Mapping[Token, int]) -> int:
        """Same-unit first-round matches that remain unavoidable, unit by unit."""
        open_set = set(open_lines)
        empty_pairs = 0
        beside: dict[int, int] = {}
        for p in open_lines:
            if p ^ 1 in open_set:
                empty_pairs += p & 1 == 0
            else:
                partner = self.arr[p ^ 1]
                unit = partner[0] if partner else 0
                beside[unit] = beside.get(unit, 0) + 1
        single_slots = sum(beside.values())
        per_unit: dict[int, int] = {}
        for (unit, _), count in counts.items():
            if unit and count:
                per_unit[unit] = per_unit.get(unit, 0) + count
        return sum(max(0, count - empty_pairs - (single_slots - beside.get(unit, 0)))
                   for unit, count in per_unit.items())


def _greedy(board: _Board, lines: Sequence[int], tokens: Sequence[Token],
            rng: random.Random) -> None:
    """Place the tokens one by one on the cheapest line (ties by lot).

    Most constrained first: a unit's best two whose partner is already placed
    (a seed), then the other best-two pairs, the 3rd/4th, the rest of the big
    units, then entries that clash with nobody. Among lines of equal cost the
    unit's least crowded section wins, then the section with most room left.
    """
    order = list(lines)
    rng.shuffle(order)
    rank = {p: i for i, p in enumerate(order)}
    depth = board.depth
    room: dict[tuple[int, int], int] = {}
    for p in lines:
        for k in range(1, depth):
            room[(k, p >> (depth - k))] = room.get((k, p >> (depth - k)), 0) + 1

    def roominess(p: int) -> tuple[int, ...]:
        return tuple(-room[(k, p >> (depth - k))] for k in range(1, depth))

    open_lines = list(lines)
    for tok in _most_constrained_first(board, tokens):
        best = min(open_lines, key=lambda p: (board.delta(p, tok), board.spread(p, tok[0]),
                                              roominess(p), rank[p]))
        board.put(best, tok)
        open_lines.remove(best)
        for k in range(1, depth):
            room[(k, best >> (depth - k))] -= 1


def _most_constrained_first(board: _Board, tokens: Sequence[Token]) -> list[Token]:
    size_of: dict[int, int] = {}
    for unit, _ in tokens:
        size_of[unit] = size_of.get(unit, 0) + 1
    placed_best = {unit for unit, lines in board.best.items()
                   if any(board.arr[p][1] == 0 for p in lines)}  # type: ignore[index]

    def key(tok: Token) -> tuple[int, int, int, int]:
        unit, role = tok
        if not unit:
            return (4, 0, 0, 0)
        forced = role == 0 and unit in placed_best
        return (0 if forced else 1 + role, -size_of[unit], unit, role)

    return sorted(tokens, key=key)


def _local_search(board: _Board, lines: Sequence[int], rng: random.Random, passes: int = 12) -> None:
    """Swap two placed tokens while that lowers the cost."""
    order = list(lines)
    rng.shuffle(order)
    for _ in range(passes):
        improved = False
        for i, p in enumerate(order):
            for q in order[i + 1:]:
                tp, tq = board.arr[p], board.arr[q]
                if tp == tq:
                    continue
                board.take(p)
                board.take(q)
                old = board.delta(p, tp)
                board.put(p, tp)
                old = _add(old, board.delta(q, tq))
                board.take(p)
                new = board.delta(p, tq)
                board.put(p, tq)
                new = _add(new, board.delta(q, tp))
                if new < old:
                    board.put(q, tp)
                    improved = True
                else:
                    board.take(p)
                    board.put(p, tp)
                    board.put(q, tq)
        if not improved:
            return


def _branch_and_bound(board: _Board, lines: Sequence[int], fixed_cost: Cost,
                      best_cost: Cost, rng: random.Random,
                      budget: int) -> tuple[Cost, list[Token] | None, int]:
    """Exhaustive search over token types for the open ``lines`` (cut at ``budget`` nodes).

    ``board`` holds only the fixed tokens on entry and on return. Returns the
    best cost found and its tokens in line order, or None when nothing beats
    ``best_cost``.
    """
    positions = sorted(lines)
    counts: dict[Token, int] = {}
    for tok in _tokens_on(board, positions):
        counts[tok] = counts.get(tok, 0) + 1
    for p in positions:
        board.take(p)
    types = list(counts)
    rng.shuffle(types)
    state = {"nodes": 0, "best": best_cost, "found": None}

    def search(i: int, cost: Cost) -> None:
        if state["nodes"] >= budget:
            return
        state["nodes"] += 1
        if i == len(positions):
            if cost < state["best"]:
                state["best"] = cost
                state["found"] = [board.arr[p] for p in positions]
            return
        lb = board.f_lower_bound(positions[i:], counts)
        if (cost[0], cost[1], cost[2] + lb) >= state["best"]:
            return
        p = positions[i]
        options = sorted(((board.delta(p, t), n, t) for n, t in enumerate(types) if counts[t]),
                         key=lambda o: (o[0], o[1]))
        for d, _, t in options:
            step = _add(cost, d)
            if step >= state["best"]:
                continue
            counts[t] -= 1
            board.put(p, t)
            search(i + 1, step)
            board.take(p)
            counts[t] += 1

    search(0, fixed_cost)
    return state["best"], state["found"], state["nodes"]


def _tokens_on(board: _Board, positions: Sequence[int]) -> list[Token]:
    return [board.arr[p] for p in positions]  # type: ignore[misc]


def _place_open(board: _Board, lines: list[int], tokens: list[Token], mode: str,
                rng: random.Random, budget: list[int]) -> tuple[Cost, Cost]:
    """Fill the open lines with ``tokens`` as well as the separation mode asks.

    Returns the cost reached and a lower bound for this board (equal = optimal).
    ``budget`` holds the branch-and-bound nodes left for the whole draw.
    """
    if mode == "none":
        shuffled = list(tokens)
        rng.shuffle(shuffled)
        for p, tok in zip(lines, shuffled):
            board.put(p, tok)
        return _ZERO, _ZERO
    fixed_cost = board.cost()
    counts: dict[Token, int] = {}
    for tok in tokens:
        counts[tok] = counts.get(tok, 0) + 1
    bound = _add(fixed_cost, (0, 0, board.f_lower_bound(lines, counts)))
    _greedy(board, lines, tokens, rng)
    cost = board.cost()
    if cost <= bound:
        return cost, bound
    _local_search(board, lines, rng)
    cost = board.cost()
    if cost <= bound:
        return cost, bound
    current = _tokens_on(board, sorted(lines))
    best, found, used = _branch_and_bound(board, lines, fixed_cost, cost, rng, budget[0])
    budget[0] -= used
    for p, tok in zip(sorted(lines), found or current):
        board.put(p, tok)
    return best, bound


def _unit_tokens(entries: Sequence[DrawEntry], mode: str) -> dict[str, Token]:
    """Token of every entry: its unit id and its rank role inside the unit.

    A unit's entries are ranked seeded first (by seed), then in the given order.
    """
    members: dict[str, list[tuple[int, int, int, str]]] = {}
    for index, entry in enumerate(entries):
        if entry.unit is not None:
            rank_key = (entry.seed is None, entry.seed or 0, index, entry.key)
            members.setdefault(entry.unit, []).append(rank_key)
    tokens = {entry.key: (0, 2) for entry in entries}
    unit_id = 0
    for unit, ranked in members.items():
        if len(ranked) < 2:
            continue
        unit_id += 1
        for rank, (*_, key) in enumerate(sorted(ranked)):
            role = (0 if rank < 2 else 1 if rank < 4 else 2) if mode == "full" else 2
            tokens[key] = (unit_id, role)
    return tokens


def _lots(levels: list[list[int]], seed_tokens: list[Token], size: int, mode: str,
          small: bool, rng: random.Random) -> Iterator[list[int]]:
    """Candidate seed lines (one per seed, in seed order), deduplicated.

    Lots that already separate the seeds' units best come first (ITTF 3.6.3: a
    unit's two best seeds in different halves), in random order among equals.
    """
    groups, start = [], 0
    for lines in levels:
        count = min(len(lines), len(seed_tokens) - start)
        if count <= 0:
            break
        groups.append((lines, count))
        start += count
    if mode == "none":
        yield [p for lines, count in groups for p in rng.sample(lines, count)]
        return
    total = math.prod(math.perm(len(lines), count) for lines, count in groups)
    if small and total <= _ALL_LOTS_LIMIT:
        every = [list(itertools.chain(*combo)) for combo in
                 itertools.product(*(itertools.permutations(lines, count) for lines, count in groups))]
        rng.shuffle(every)
    else:
        every = []
        for _ in range(_SAMPLED_LOTS * 3):
            lot = _greedy_lot(groups, seed_tokens, size, mode, rng)
            if lot not in every:
                every.append(lot)
                if len(every) == _SAMPLED_LOTS:
                    break
    yield from sorted(every, key=lambda lot: _lot_cost(lot, seed_tokens, size, mode))


def _lot_cost(lot: Sequence[int], seed_tokens: Sequence[Token], size: int, mode: str) -> Cost:
    board = _Board(size, mode == "full")
    for p, tok in zip(lot, seed_tokens):
        board.put(p, tok)
    return board.cost()


def _greedy_lot(groups: list[tuple[list[int], int]], seed_tokens: list[Token], size: int,
                mode: str, rng: random.Random) -> list[int]:
    """One seed lot, by lot within each level but avoiding separation faults.

    A level with few lines (seeds 3-4, 5-8) is drawn as a whole: among its
    arrangements, one of the cheapest given the levels above. Larger levels
    place their seeds one by one on the cheapest line.
    """
    board = _Board(size, mode == "full")
    lot: list[int] = []
    for lines, count in groups:
        tokens = seed_tokens[len(lot):len(lot) + count]
        if math.perm(len(lines), count) <= _LEVEL_ARRANGEMENTS:
            chosen = _cheapest_arrangement(board, lines, tokens, rng)
        else:
            chosen = _greedy_level(board, lines, tokens, rng)
        for p, tok in zip(chosen, tokens):
            board.put(p, tok)
        lot += chosen
    return lot


def _arrangement_cost(board: _Board, lines: Sequence[int], tokens: Sequence[Token]) -> Cost:
    cost = _ZERO
    for p, tok in zip(lines, tokens):
        cost = _add(cost, board.delta(p, tok))
        board.put(p, tok)
    for p in lines:
        board.take(p)
    return cost


def _cheapest_arrangement(board: _Board, lines: Sequence[int], tokens: Sequence[Token],
                          rng: random.Random) -> list[int]:
    options = [list(a) for a in itertools.permutations(lines, len(tokens))]
    rng.shuffle(options)
    return min(options, key=lambda a: _arrangement_cost(board, a, tokens))


def _greedy_level(board: _Board, lines: Sequence[int], tokens: Sequence[Token],
                  rng: random.Random) -> list[int]:
    open_lines = list(lines)
    rng.shuffle(open_lines)
    chosen: list[int] = []
    for tok in tokens:
        p = min(open_lines, key=lambda line: board.delta(line, tok))
        open_lines.remove(p)
        board.put(p, tok)
        chosen.append(p)
    for p in chosen:
        board.take(p)
    return chosen


def _layouts(size: int, seed_tokens: list[Token], n_byes: int, mode: str, small: bool,
             rng: random.Random) -> Iterator[tuple[list[int], list[int]]]:
    """Candidate (seed lines, bye lines): all of them on small draws, a few otherwise."""
    lots = _lots(_seed_levels(size), seed_tokens, size, mode, small, rng)
    if not small or mode == "none":
        for lot in lots:
            yield lot, _bye_lines(size, lot, n_byes, rng)
        return
    tried = 0
    for lot in lots:
        variants = _bye_variants(size, lot, n_byes, _ALL_LOTS_LIMIT)
        rng.shuffle(variants)
        for byes in variants[:_BYE_VARIANTS]:
            yield lot, byes
            tried += 1
            if tried == _MAX_LAYOUTS:
                return


def _validate_draw_input(entries: Sequence[DrawEntry], seeds: int | None, separation: str) -> int:
    if len(entries) < 2:
        raise RuleError(f"Cần ít nhất 2 VĐV/đôi/đội để bốc thăm loại trực tiếp (hiện có {len(entries)}).")
    _check_unique([e.key for e in entries], "Danh sách bốc thăm")
    if separation not in SEPARATIONS:
        raise RuleError(
            f"Cách tách đơn vị «{separation}» không hợp lệ; chọn none (không tách), "
            "first_round (chỉ tránh gặp nhau ở vòng 1) hoặc full (tách đầy đủ)."
        )
    n_seeds = default_seed_count(len(entries)) if seeds is None else seeds
    if n_seeds < 0:
        raise RuleError("Số hạt giống không được âm.")
    if n_seeds > len(entries):
        raise RuleError(
            f"Số hạt giống ({n_seeds}) không được lớn hơn số VĐV/đôi/đội tham gia ({len(entries)})."
        )
    return n_seeds


def knockout_draw(entries: Sequence[DrawEntry], *, seeds: int | None = None,
                  separation: str = "full", rng_seed: int) -> list[str | None]:
    """First-round lines of a knockout draw (length :func:`draw_size`); None = bye.

    Seeds are the entries with a seed number, best first, at most ``seeds``
    (default :func:`default_seed_count`). Seed 1 is on the top line, seed 2 on
    the bottom line, each further level drawn by lot into the sections still
    without a seed (:func:`seed_lines`); with separation the lot gives way to
    it (seed 4 of seed 1's unit goes to the bottom half). Byes face the seeds in seed order;
    further byes are spread over halves and quarters. Unseeded entries are
    drawn by lot into the remaining lines, subject to ``separation``:
    "none", "first_round" (avoid same-unit first-round matches) or "full"
    (ITTF 3.6.3: a unit's two best in different halves, its 3rd and 4th in the
    other quarters, others apart in the first round). When separation cannot be
    met in full the draw is the least bad one found; it never fails for that.
    """
    items = list(entries)
    n_seeds = _validate_draw_input(items, seeds, separation)
    size, n = draw_size(len(items)), len(items)
    rng = random.Random(rng_seed)
    ranked = sorted((e for e in items if e.seed is not None), key=lambda e: e.seed)
    seeded = [e.key for e in ranked[:n_seeds]]
    seeded_set = set(seeded)
    unseeded = [e.key for e in items if e.key not in seeded_set]
    tokens = _unit_tokens(items, separation)
    seed_tokens = [tokens[k] for k in seeded]
    small = size - len(seeded) - (size - n) <= _EXACT_FREE
    budget = [_EXACT_BUDGET if small else _LARGE_BUDGET]

    best: tuple[Cost, list[int], list[int], list[Token]] | None = None
    for lot, byes in _layouts(size, seed_tokens, size - n, separation, small, rng):
        board = _Board(size, separation == "full")
        for p, tok in zip(lot, seed_tokens):
            board.put(p, tok)
        for p in byes:
            board.put(p, _BYE)
        lines = [p for p in range(size) if board.arr[p] is None]
        cost, bound = _place_open(board, lines, [tokens[k] for k in unseeded], separation, rng, budget)
        if best is None or cost < best[0]:
            best = (cost, lot, byes, list(board.arr))  # type: ignore[arg-type]
        if cost == _ZERO or (not small and cost <= bound):
            break
    assert best is not None
    _, lot, byes, arr = best
    return _assign_keys(size, seeded, lot, byes, arr, unseeded, tokens, rng)


def _assign_keys(size: int, seeded: list[str], lot: list[int], byes: list[int],
                 arr: list[Token], unseeded: list[str], tokens: Mapping[str, Token],
                 rng: random.Random) -> list[str | None]:
    """Turn placed tokens back into entries: equal tokens are interchangeable, drawn by lot."""
    pools: dict[Token, list[str]] = {}
    for key in unseeded:
        pools.setdefault(tokens[key], []).append(key)
    for pool in pools.values():
        rng.shuffle(pool)
    draw: list[str | None] = [None] * size
    for key, p in zip(seeded, lot):
        draw[p] = key
    bye_set = set(byes)
    taken = set(lot) | bye_set
    for p in range(size):
        if p not in taken:
            draw[p] = pools[arr[p]].pop()
    return draw


# --------------------------------------------------------------------------
# Bracket progression
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class BracketMatch:
    """One match slot of a knockout bracket."""

    round: int            # 1 = first round; last round = final
    index: int            # 0-based position in the round (top to bottom)
    home: str | None      # None = not known yet (or a bye slot in round 1)
    away: str | None
    winner: str | None    # decided winner; a bye's opponent is the winner at once
    bye: bool             # True when one side is a bye (not a real match)

    @property
    def pair(self) -> frozenset[str] | None:
        """The two entries when both are known and it is a real match."""
        if self.bye or self.home is None or self.away is None:
            return None
        return frozenset((self.home, self.away))

    @property
    def loser(self) -> str | None:
        if self.bye or self.winner is None:
            return None
        return self.away if self.winner == self.home else self.home


def _check_draw(draw: Sequence[str | None]) -> None:
    if len(draw) < 2 or not _is_power_of_two(len(draw)):
        raise RuleError(f"Sơ đồ thi đấu phải có số vị trí là lũy thừa của 2 (2, 4, 8, ...); hiện có {len(draw)}.")
    _check_unique([k for k in draw if k is not None], "Sơ đồ thi đấu")
    if any(draw[i] is None and draw[i + 1] is None for i in range(0, len(draw), 2)):
        raise RuleError("Sơ đồ thi đấu có cặp vòng 1 gồm hai suất miễn đấu; mỗi cặp phải có ít nhất một VĐV/đôi/đội.")


def _bracket(draw: Sequence[str | None], winners: Mapping[frozenset[str], str],
             strict: bool) -> list[list[BracketMatch]]:
    _check_draw(draw)
    used: set[frozenset[str]] = set()

    def decide(home: str | None, away: str | None) -> str | None:
        if home is None or away is None:
            return None
        pair = frozenset((home, away))
        winner = winners.get(pair)
        if winner is None:
            return None
        used.add(pair)
        if winner not in pair:
            if strict:
                raise RuleError(f"Người thắng «{winner}» không phải là một trong hai bên của trận {home} – {away}.")
            return None
        return winner

    first = []
    for i in range(len(draw) // 2):
        home, away = draw[2 * i], draw[2 * i + 1]
        bye = (home is None) != (away is None)
        winner = (home or away) if bye else decide(home, away)
        first.append(BracketMatch(1, i, home, away, winner, bye))
    rounds = [first]
    while len(rounds[-1]) > 1:
        previous, r = rounds[-1], len(rounds) + 1
        current = []
        for i in range(len(previous) // 2):
            home, away = previous[2 * i].winner, previous[2 * i + 1].winner
            current.append(BracketMatch(r, i, home, away, decide(home, away), False))
        rounds.append(current)
    if strict:
        stray = [pair for pair in winners if pair not in used]
        if stray:
            names = "; ".join(" – ".join(sorted(pair)) for pair in stray)
            raise RuleError(
                f"Có kết quả cho cặp đấu không có trong sơ đồ hiện tại: {names}. "
                "Kiểm tra lại kết quả các vòng trước."
            )
    return rounds


def build_bracket(draw: Sequence[str | None],
                  winners: Mapping[frozenset[str], str]) -> list[list[BracketMatch]]:
    """All rounds of the draw with winners (keyed by the pair) and byes advanced.

    RuleError when a recorded winner is not one of its pair, or its pair does
    not meet in the bracket that the other results produce.
    """
    return _bracket(draw, winners, strict=True)


def draw_matches(draw: Sequence[str | None],
                 winners: Mapping[frozenset[str], str]) -> list[tuple[int, int, str, str]]:
    """The real matches whose two sides are known: (round, index, home, away)."""
    return [(m.round, m.index, m.home, m.away)  # type: ignore[misc]
            for rnd in build_bracket(draw, winners) for m in rnd if m.pair is not None]


def correction_effects(draw: Sequence[str | None], winners: Mapping[frozenset[str], str],
                       pair: frozenset[str], new_winner: str) -> list[BracketMatch]:
    """Later matches, already decided, whose pairing a corrected result would change.

    These must be shown to the organiser; they are never changed silently.
    """
    if new_winner not in pair or len(pair) != 2:
        raise RuleError(f"Người thắng mới «{new_winner}» không phải là một trong hai bên của cặp đấu.")
    before = build_bracket(draw, winners)
    match = next((m for rnd in before for m in rnd if m.pair == pair), None)
    if match is None:
        raise RuleError(f"Cặp đấu {' – '.join(sorted(pair))} không có trong sơ đồ hiện tại.")
    if match.winner == new_winner:
        return []
    after = _bracket(draw, {**winners, pair: new_winner}, strict=False)
    changed = []
    for old_round, new_round in zip(before, after):
        for old, new in zip(old_round, new_round):
            if old.round > match.round and old.winner is not None and not old.bye \
                    and (old.home, old.away) != (new.home, new.away):
                changed.append(old)
    return changed


# --------------------------------------------------------------------------
# Placings
# --------------------------------------------------------------------------

def knockout_places(bracket: list[list[BracketMatch]], third_place: str = "shared",
                    playoff_winner: str | None = None) -> list[tuple[int, str]]:
    """Placings from the decided matches: (place, entry), best first.

    Final: winner 1, loser 2. Semi-final losers: "shared" both 3 (one 3rd when
    only one semi-final is a real match); "playoff" the play-off winner 3 and
    the other 4 (nothing until ``playoff_winner`` is given, unless there is only
    one real semi-final); "none" no place. Losers of earlier rounds share
    2^k + 1 (quarter-final 5, round of 16 9, round of 32 17).
    """
    if third_place not in THIRD_PLACE_MODES:
        raise RuleError(
            f"Cách xếp hạng Ba «{third_place}» không hợp lệ; chọn shared (đồng hạng Ba), "
            "playoff (tranh hạng Ba) hoặc none (không xếp hạng Ba)."
        )
    total = len(bracket)
    places: list[tuple[int, str]] = []
    for rnd in reversed(bracket):
        r = rnd[0].round if rnd else 0
        losers = [m.loser for m in rnd if m.loser is not None]
        if r == total:
            final = rnd[0]
            if final.loser is not None:
                places += [(1, final.winner), (2, final.loser)]  # type: ignore[list-item]
        elif r == total - 1:
            places += _semi_places(rnd, losers, third_place, playoff_winner)
        else:
            places += [((1 << (total - r)) + 1, loser) for loser in losers]
    return places


def _semi_places(semis: list[BracketMatch], losers: list[str], third_place: str,
                 playoff_winner: str | None) -> list[tuple[int, str]]:
    if third_place == "none":
        return []
    if third_place == "shared":
        return [(3, loser) for loser in losers]
    real = [m for m in semis if not m.bye]
    if len(real) == 1:
        return [(3, loser) for loser in losers]
    if playoff_winner is None:
        return []
    if playoff_winner not in losers or len(losers) != 2:
        raise RuleError(f"«{playoff_winner}» không phải là người thua bán kết nên không thể thắng trận tranh hạng Ba.")
    other = next(loser for loser in losers if loser != playoff_winner)
    return [(3, playoff_winner), (4, other)]


# --------------------------------------------------------------------------
# Groups
# --------------------------------------------------------------------------

def _bracket_order(n: int) -> list[int]:
    """Seed numbers (1-based) line by line for a balanced bracket of n (power of two).

    Seed 1 top, seed 2 bottom; a seed in the top half is on the top line of its
    pair, one in the bottom half on the bottom line: 4 -> [1, 4, 3, 2].
    """
    order = [1]
    while len(order) < n:
        m = 2 * len(order)
        nxt: list[int] = []
        for i, s in enumerate(order):
            nxt += [s, m + 1 - s] if i < len(order) / 2 or len(order) == 1 else [m + 1 - s, s]
        order = nxt
    return order


def crossover(group_names: Sequence[str], qualifiers: int = 2) -> list[str]:
    """Knockout lines as group-place labels ("A1", "B2", ...).

    Two per group (1, 2, 4, 8, ... groups): the top half pairs the 1st of each
    odd-ranked group with the 2nd of the next (A1-B2, C1-D2, ...); the bottom
    half mirrors it with places swapped (..., D1-C2, B1-A2), so a group's first
    two are in opposite halves and meet at the earliest in the final. One
    group gives the final A1-A2. One per group (2, 4, 8, ... groups): the
    winners by a balanced bracket in group order (A1-D1, C1-B1 for four).
    """
    names = list(group_names)
    _check_unique(names, "Danh sách bảng")
    g = len(names)
    if qualifiers == 2 and _is_power_of_two(g):
        if g == 1:
            return [f"{names[0]}1", f"{names[0]}2"]
        top = [label for i in range(0, g, 2) for label in (f"{names[i]}1", f"{names[i + 1]}2")]
        bottom = [label[:-1] + ("2" if label.endswith("1") else "1") for label in reversed(top)]
        return top + bottom
    if qualifiers == 1 and g >= 2 and _is_power_of_two(g):
        return [f"{names[s - 1]}1" for s in _bracket_order(g)]
    raise RuleError(
        f"Chưa hỗ trợ ghép {g} bảng, mỗi bảng lấy {qualifiers} đội vào vòng loại trực tiếp. "
        "Hỗ trợ: 1, 2, 4, 8... bảng lấy 2 đội, hoặc 2, 4, 8... bảng lấy 1 đội."
    )


def _snake(n_groups: int, count: int) -> list[int]:
    """Group index of each slot in snake order: A, B, ..., last, last, ..., A, A, ..."""
    out: list[int] = []
    forward = list(range(n_groups))
    while len(out) < count:
        out += forward
        forward = forward[::-1]
    return out[:count]


def groups_split(entries: Sequence[DrawEntry], n_groups: int, rng_seed: int) -> list[list[str]]:
    """Entries into ``n_groups`` groups: seeds by snake, the others by lot, units kept apart.

    Seeded entries (by seed number) go A, B, ..., last, last, ..., A; the
    unseeded fill the next snake slots, so group sizes differ by at most one.
    Unseeded entries are drawn by lot, each unit's entries spread over the
    groups (fewest of its unit first), then improved by swaps. Each group
    lists its seeds first, then the others in drawing order.
    """
    items = list(entries)
    _check_unique([e.key for e in items], "Danh sách chia bảng")
    if n_groups < 1 or len(items) < 2 * n_groups:
        raise RuleError(
            f"Không thể chia {len(items)} VĐV/đôi/đội thành {n_groups} bảng: "
            "cần ít nhất 1 bảng và mỗi bảng ít nhất 2."
        )
    rng = random.Random(rng_seed)
    slots = _snake(n_groups, len(items))
    seeded = sorted((e for e in items if e.seed is not None), key=lambda e: e.seed)
    seeded_keys = {e.key for e in seeded}
    seeds_in: list[list[str]] = [[] for _ in range(n_groups)]
    for e, g in zip(seeded, slots):
        seeds_in[g].append(e.key)
    room = [0] * n_groups
    for g in slots[len(seeded):]:
        room[g] += 1
    unit_of = {e.key: e.unit for e in items}
    drawn = _draw_unseeded([e for e in items if e.key not in seeded_keys], seeds_in, room, unit_of, rng)
    return [seeds_in[g] + drawn[g] for g in range(n_groups)]


def _draw_unseeded(unseeded: list[DrawEntry], seeds_in: list[list[str]], room: list[int],
                   unit_of: Mapping[str, str | None], rng: random.Random) -> list[list[str]]:
    by_unit: dict[str | None, list[str]] = {}
    for e in unseeded:
        by_unit.setdefault(e.unit, []).append(e.key)
    order = sorted(by_unit, key=lambda u: (u is None, -len(by_unit[u])))
    groups: list[list[str]] = [[] for _ in room]
    left = list(room)
    for unit in order:
        keys = by_unit[unit]
        rng.shuffle(keys)
        for key in keys:
            def crowd(g: int) -> tuple[int, int, float]:
                same = 0 if unit is None else sum(unit_of[k] == unit for k in seeds_in[g] + groups[g])
                return (same, -left[g], rng.random())
            g = min((g for g in range(len(room)) if left[g]), key=crowd)
            groups[g].append(key)
            left[g] -= 1
    _improve_groups(seeds_in, groups, unit_of, rng)
    return groups


def _improve_groups(seeds_in: list[list[str]], groups: list[list[str]],
                    unit_of: Mapping[str, str | None], rng: random.Random) -> None:
    """Move unseeded entries round a cycle of groups while that separates units better.

    Same-unit pairs in a group cost a convex amount per unit, so the split is
    optimal once no such improving cycle exists (as in a min-cost flow).
    """
    while True:
        cycle = _negative_cycle(len(groups), _move_costs(seeds_in, groups, unit_of))
        if not cycle:
            return
        for a, b, unit in cycle:
            keys = [k for k in groups[a] if unit_of[k] == unit]
            key = rng.choice(keys)
            groups[a].remove(key)
            groups[b].append(key)


def _move_costs(seeds_in: list[list[str]], groups: list[list[str]],
                unit_of: Mapping[str, str | None]) -> list[tuple[int, int, int, str | None]]:
    """For each ordered pair of groups, the cheapest move of one unseeded entry a -> b."""
    counts: list[dict[str | None, int]] = []
    for seeds, drawn in zip(seeds_in, groups):
        here: dict[str | None, int] = {}
        for key in seeds + drawn:
            here[unit_of[key]] = here.get(unit_of[key], 0) + 1
        counts.append(here)
    edges = []
    for a, drawn in enumerate(groups):
        movable = list(dict.fromkeys(unit_of[k] for k in drawn))
        for b in range(len(groups)):
            if a == b or not movable:
                continue
            cost, unit = min(((0 if u is None else counts[b].get(u, 0) - counts[a][u] + 1), i, u)
                             for i, u in enumerate(movable))[::2]
            edges.append((a, b, cost, unit))
    return edges


def _negative_cycle(n: int, edges: list[tuple[int, int, int, str | None]]) -> list[tuple[int, int, str | None]]:
    """A cycle of negative total cost (Bellman-Ford), as (from, to, unit) moves; [] if none."""
    dist = [0] * n
    pred: list[tuple[int, int, int, str | None] | None] = [None] * n
    last = -1
    for _ in range(n):
        last = -1
        for edge in edges:
            a, b, cost, _ = edge
            if dist[a] + cost < dist[b]:
                dist[b] = dist[a] + cost
                pred[b] = edge
                last = b
        if last < 0:
            return []
    node = last
    for _ in range(n):
        node = pred[node][0]  # type: ignore[index]
    cycle, current = [], node
    while True:
        a, b, _, unit = pred[current]  # type: ignore[misc]
        cycle.append((a, b, unit))
        current = a
        if current == node:
            break
    return cycle[::-1]
