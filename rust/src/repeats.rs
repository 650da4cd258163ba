//! Which hashes of a partition of the repeated-payment log (`repeats.hash_log`) occur more than once, in memory of
//! the partition's size: and how the log's pairs are split into partitions.

/// The (hash, line) of each native-endian 16-byte pair of the log.
fn pairs(data: &[u8]) -> impl Iterator<Item = (u64, u64)> + '_ {
    data.chunks_exact(16).map(|pair| {
        let (hash, line) = pair.split_at(8);
        (
            u64::from_ne_bytes(hash.try_into().unwrap_or_default()),
            u64::from_ne_bytes(line.try_into().unwrap_or_default()),
        )
    })
}

/// The hashes met more than once among a partition's pairs (in increasing order), and the last line holding one
/// of them (0: none); the pairs are read again for the lines only when there are some.
pub fn repeated(data: &[u8]) -> (Vec<u64>, u64) {
    repeated_pairs(data.len() / 16, || pairs(data))
}

/// `repeated` of `count` pairs, as many times as asked for by `pairs`.
pub fn repeated_pairs<I: Iterator<Item = (u64, u64)>>(count: usize, pairs: impl Fn() -> I) -> (Vec<u64>, u64) {
    let mut twice = twice_in_table(count, pairs()).unwrap_or_else(|| twice_by_sorting(pairs()));
    if twice.is_empty() {
        return (twice, 0);
    }
    twice.sort_unstable();
    twice.dedup();
    let last_line = pairs().filter(|(hash, _)| twice.binary_search(hash).is_ok()).map(|(_, line)| line).max();
    (twice, last_line.unwrap_or(0))
}

/// The hashes met again (once each time), from an open-addressing table of twice as many slots as pairs, a hash at
/// the slot its own low bits name: a hash is uniform in its bits, so nothing is hashed again, and nothing sorted
/// (sorting the partition took three times as long). None when the hashes crowd the table (made on purpose to share
/// their low bits, their probes would grow with the square of their number).
fn twice_in_table(count: usize, pairs: impl Iterator<Item = (u64, u64)>) -> Option<Vec<u64>> {
    let slots = (2 * count).next_power_of_two().max(2);
    let mask = slots - 1;
    let mut probes_left = 8 * count + 64;
    // 0 marks a free slot: the hash 0 is counted apart.
    let (mut table, mut zeros) = (vec![0u64; slots], 0usize);
    let mut twice = Vec::new();
    for (hash, _) in pairs {
        if hash == 0 {
            zeros += 1;
            continue;
        }
        let mut slot = hash as usize & mask;
        loop {
            match table[slot] {
                0 => {
                    table[slot] = hash;
                    break;
                }
                held if held == hash => {
                    twice.push(hash);
                    break;
                }
                _ => {
                    probes_left = probes_left.checked_sub(1)?;
                    slot = (slot + 1) & mask;
                }
            }
        }
    }
    if zeros > 1 {
        twice.push(0);
    }
    Some(twice)
}

/// The hashes met more than once, from the partition's hashes sorted (a copy: 8 bytes a pair).
fn twice_by_sorting(pairs: impl Iterator<Item = (u64, u64)>) -> Vec<u64> {
    let mut hashes: Vec<u64> = pairs.map(|(hash, _)| hash).collect();
    hashes.sort_unstable();
    hashes.chunk_by(|a, b| a == b).filter(|run| run.len() > 1).map(|run| run[0]).collect()
}

/// The partition of a pair: the bits of its hash from bit `shift` up (`hash >> shift`) under `mask` (a partition
/// count less one, a power of two: the next bits of a partition whose top bits are all the same).
fn partition(pair: &[u8], shift: u32, mask: u64) -> usize {
    let hash = u64::from_ne_bytes(pair[..8].try_into().unwrap_or_default());
    (hash.checked_shr(shift).unwrap_or(0) & mask) as usize
}

/// The pairs of a chunk of the log put in order of their partitions (`count` of them, a power of two) into `out` (of
/// the chunk's whole pairs' length), each partition's pairs in their order; and the offset where each partition starts
/// in `out`, and its end (`count` + 1 offsets). A counting sort: one piece of memory for all the partitions.
pub fn split(data: &[u8], shift: u32, count: usize, out: &mut [u8]) -> Vec<usize> {
    let count = count.next_power_of_two();
    let mask = count as u64 - 1;
    let mut starts = vec![0usize; count + 1];
    for pair in data.chunks_exact(16) {
        starts[partition(pair, shift, mask) + 1] += 16;
    }
    for index in 1..=count {
        starts[index] += starts[index - 1];
    }
    let mut next = starts.clone();
    for pair in data.chunks_exact(16) {
        let at = &mut next[partition(pair, shift, mask)];
        out[*at..*at + 16].copy_from_slice(pair);
        *at += 16;
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(values: &[u64]) -> Vec<u8> {
        values.iter().flat_map(|value| value.to_ne_bytes()).collect()
    }

    #[test]
    fn hashes_met_twice_and_their_last_line() {
        assert_eq!(repeated(&bytes(&[5, 1, 7, 2, 5, 9, 8, 4, 7, 3, 9, 10])), (vec![5, 7], 9));
        assert_eq!(repeated(&bytes(&[1, 1, 2, 2])), (vec![], 0));
        assert_eq!(repeated(&bytes(&[])), (vec![], 0));
        // Zero (the table's free slot), hashes of one slot (equal low bits), three times, and the largest.
        let pairs = [0, 1, 16, 2, 0, 3, 32, 4, 16, 5, 16, 6, u64::MAX, 7, 48, 8, u64::MAX, 9, 64, 10];
        assert_eq!(repeated(&bytes(&pairs)), (vec![0, 16, u64::MAX], 9));
    }

    #[test]
    fn hashes_sharing_their_low_bits_are_sorted_instead() {
        // Each a multiple of 2**40: one slot for all, the probes over their budget.
        let values: Vec<u64> = (1..3000u64).flat_map(|n| [(n % 1000 + 1) << 40, n]).collect();
        assert_eq!(twice_in_table(values.len() / 2, pairs(&bytes(&values))), None);
        let (twice, last) = repeated(&bytes(&values));
        assert_eq!((twice.len(), twice[0], last), (1000, 1 << 40, 2999));
    }

    #[test]
    fn the_same_as_sorting_on_many_hashes() {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut values = Vec::new();
        for line in 1..20_000u64 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            // Hashes of few values (many repeats) in the low bits, in every fifth pair.
            values.extend([if line % 5 == 0 { state % 3000 } else { state }, line]);
        }
        let mut hashes: Vec<u64> = values.chunks(2).map(|pair| pair[0]).collect();
        hashes.sort_unstable();
        let mut twice: Vec<u64> =
            hashes.chunk_by(|a, b| a == b).filter(|run| run.len() > 1).map(|run| run[0]).collect();
        twice.dedup();
        let last = values.chunks(2).filter(|pair| twice.binary_search(&pair[0]).is_ok()).map(|pair| pair[1]).max();
        assert!(twice.len() > 100);
        assert_eq!(repeated(&bytes(&values)), (twice, last.unwrap_or(0)));
    }

    fn parts(data: &[u8], shift: u32, count: usize) -> Vec<Vec<u8>> {
        let mut out = vec![0; data.len()];
        let starts = split(data, shift, count, &mut out);
        starts.windows(2).map(|bounds| out[bounds[0]..bounds[1]].to_vec()).collect()
    }

    #[test]
    fn pairs_split_by_their_top_bits() {
        assert_eq!(
            parts(&bytes(&[u64::MAX, 1, 3, 2, 1 << 63, 3]), 63, 2),
            vec![bytes(&[3, 2]), bytes(&[u64::MAX, 1, 1 << 63, 3])]
        );
        // A partition of the top bit set, split by the next bit.
        assert_eq!(
            parts(&bytes(&[u64::MAX, 1, 1 << 63, 2, 3 << 62, 3]), 62, 2),
            vec![bytes(&[1 << 63, 2]), bytes(&[u64::MAX, 1, 3 << 62, 3])]
        );
        assert_eq!(parts(&bytes(&[5, 1]), 64, 1), vec![bytes(&[5, 1])]);
        assert_eq!(parts(&[], 60, 4), vec![Vec::<u8>::new(); 4]);
    }
}
