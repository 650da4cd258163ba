"""The log of every key's hash: the hashes met more than once and the last line holding one, exactly, whether the
log is read back whole or in partitions, with numpy or in plain Python."""

from __future__ import annotations

import tempfile
from array import array
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kbc_validate.files import compiled_csv
from kbc_validate.repeats import hash_log
from kbc_validate.repeats.hash_log import HashLog

# Hashes that share their top bits (one partition) or their low bits, the largest and zero: the corners of a split.
HASHES = st.one_of(st.integers(0, 2**64 - 1), st.sampled_from([0, 1, 2**63, 2**64 - 1, 2**64 - 2, 2**32]),
                   st.integers(0, 7).map(lambda low: (0xABCD << 48) | low))
KEYS = st.lists(st.tuples(HASHES, st.integers(1, 10**9)), max_size=120)


def reference(keys: list[tuple[int, int]]) -> tuple[set[int], int]:
    counts = Counter(digest for digest, _ in keys)
    twice = {digest for digest, count in counts.items() if count > 1}
    return twice, max((line for digest, line in keys if digest in twice), default=0)


# What sorts a partition: the compiled pass (when built), numpy, plain Python.
SORTERS = ["compiled", "numpy", "python"] if compiled_csv.available() else ["numpy", "python"]


@settings(max_examples=300)
@given(keys=KEYS, partition_keys=st.sampled_from([1, 3, 1 << 20]), sorter=st.sampled_from(SORTERS),
       pieces=st.integers(1, 4), spill_keys=st.sampled_from([1, 7, 1 << 18]), threads=st.sampled_from([1, 2, 3]))
def test_repeated_hashes_are_those_logged_twice(keys: list[tuple[int, int]], partition_keys: int, sorter: str,
                                                pieces: int, spill_keys: int, threads: int) -> None:
    """On one thread or several (a spilled log's partitions looked at side by side), in memory or spilled."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(hash_log, "PARTITION_KEYS", dict.fromkeys(SORTERS, partition_keys))
        patch.setattr(hash_log, "SPILL_KEYS", spill_keys)  # on disk in partition files at once, later or never
        patch.setattr(hash_log, "_CHUNK_KEYS", 5)  # many chunks, a partition's keys arriving from several
        if sorter != "compiled":
            patch.setattr(hash_log, "_compiled", lambda: None)
        if sorter == "python":
            patch.setattr(hash_log, "_numpy", lambda: None)
        log = HashLog()
        logged = []
        for part in range(pieces):  # logged in several calls, as pieces are noted, each `lines` further down
            share, lines = keys[part::pieces], part * 10**9
            pairs = array("Q", [value for pair in share for value in pair])
            log.add(pairs if part % 2 else pairs.tobytes(), lines)
            logged += [(digest, line + lines) for digest, line in share]
        found = log.repeated(threads)
    twice, last = reference(logged)
    assert (list(found.hashes), found.last_line) == (sorted(twice), last)  # in order: looked up by bisection
    assert all(digest in found.hashes for digest in twice)


def test_nothing_logged_nothing_repeated() -> None:
    log = HashLog()
    log.add(array("Q"))
    assert log.repeated() == hash_log.NONE_REPEATED


@pytest.mark.parametrize("sorter", SORTERS)
@pytest.mark.parametrize(("spill_keys", "partition_keys", "partitions"),
                         [(1 << 18, 1000, 16), (100, 1000, 16), (100, 200, 64)])
def test_a_large_log_is_read_back_in_partitions_of_bounded_size(
    spill_keys: int, partition_keys: int, partitions: int, sorter: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keys over a partition's worth are split: no partition holds more than about its share, whether the log was
    held in memory or spilled to its files by the top bits of the hashes as keys were added."""
    if sorter != "compiled":
        monkeypatch.setattr(hash_log, "_compiled", lambda: None)
    if sorter == "python":
        monkeypatch.setattr(hash_log, "_numpy", lambda: None)
    monkeypatch.setattr(hash_log, "SPILL_KEYS", spill_keys)
    monkeypatch.setattr(hash_log, "PARTITION_KEYS", dict.fromkeys(SORTERS, partition_keys))
    sizes: list[int] = []
    original = hash_log._partition_repeats

    def measured(data):  # type: ignore[no-untyped-def]
        sizes.append(len(data) // 16)
        return original(data)

    monkeypatch.setattr(hash_log, "_partition_repeats", measured)
    log = HashLog()
    digests = [(index * 0x9E3779B97F4A7C15) % 2**64 for index in range(10_000)]  # spread over the top bits
    log.add(array("Q", [value for digest in digests for value in (digest, 5)]))
    log.add(array("Q", [digests[1234], 99]))
    found = log.repeated()
    assert (set(found.hashes), found.last_line) == ({digests[1234]}, 99)
    assert len(sizes) == partitions
    assert sum(sizes) == 10_001
    assert max(sizes) < 2 * partition_keys


def test_a_log_may_ask_for_smaller_partitions() -> None:
    """Partitions of a few keys find the same repeats as one partition (pain.001 files ask for 256k keys)."""
    from kbc_validate.repeats.hash_log import HashLog

    pairs = array("Q", [value for line, key in enumerate([5, 9, 5, 7, 9, 9, 1 << 63, 3, 1 << 63], start=1)
                        for value in (key, line)])
    whole, parted = HashLog(), HashLog(partition_keys=2)
    whole.add(pairs)
    parted.add(pairs)
    assert parted.repeated() == whole.repeated()


@pytest.mark.skipif(not compiled_csv.available(), reason="the compiled pass was not built here")
def test_the_extension_reads_only_read_only_buffers_without_the_gil() -> None:
    """`_scan.repeated` reads the log's pairs with the GIL released: only from a buffer nothing can write meanwhile
    (bytes, a read-only map); a writable one is refused."""
    import mmap
    import struct

    repeated = compiled_csv.scanner_module().repeated
    pairs = struct.pack("=QQQQQQ", 5, 1, 7, 2, 5, 3)
    assert repeated(pairs) == ([5], 3)
    with tempfile.TemporaryFile() as file:
        file.write(pairs)
        file.flush()
        with mmap.mmap(file.fileno(), len(pairs), access=mmap.ACCESS_READ) as mapped:
            assert repeated(mapped) == ([5], 3)
    with pytest.raises(ValueError, match="read-only"):
        repeated(bytearray(pairs))
