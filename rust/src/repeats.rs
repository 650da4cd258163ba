//! Which hashes of a partition of the repeated-payment log (`files.hash_log`) occur more than once: the log's
//! (hash, line) pairs sorted by hash, in place, with no other memory than the partition's.

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
/// of them (0: none). Only the hashes are copied (8 bytes a key), sorted, then the pairs read again for the lines.
pub fn repeated(data: &[u8]) -> (Vec<u64>, u64) {
    let mut hashes: Vec<u64> = pairs(data).map(|(hash, _)| hash).collect();
    hashes.sort_unstable();
    let twice: Vec<u64> = hashes.chunk_by(|a, b| a == b).filter(|run| run.len() > 1).map(|run| run[0]).collect();
    drop(hashes);
    let last_line = pairs(data).filter(|(hash, _)| twice.binary_search(hash).is_ok()).map(|(_, line)| line).max();
    (twice, last_line.unwrap_or(0))
}

/// The pairs of a chunk of the log by the top bits of their hashes (`hash >> shift`), into `count` partitions.
pub fn split(data: &[u8], shift: u32, count: usize) -> Vec<Vec<u8>> {
    let mut parts = vec![Vec::new(); count];
    for pair in data.chunks_exact(16) {
        let hash = u64::from_ne_bytes(pair[..8].try_into().unwrap_or_default());
        let index = usize::try_from(hash.checked_shr(shift).unwrap_or(0)).unwrap_or(0).min(count - 1);
        parts[index].extend_from_slice(pair);
    }
    parts
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
    }

    #[test]
    fn pairs_split_by_their_top_bits() {
        let parts = split(&bytes(&[u64::MAX, 1, 3, 2, 1 << 63, 3]), 63, 2);
        assert_eq!(parts, vec![bytes(&[3, 2]), bytes(&[u64::MAX, 1, 1 << 63, 3])]);
    }
}
