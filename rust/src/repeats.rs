//! Which hashes of a partition of the repeated-payment log (`files.hash_log`) occur more than once: the log's
//! (hash, line) pairs sorted by hash, in place, with no other memory than the partition's.

/// Native-endian (hash, line) pairs of the log, as 16 bytes each.
pub fn pairs(data: &[u8]) -> Vec<[u64; 2]> {
    data.chunks_exact(16)
        .map(|pair| {
            let (hash, line) = pair.split_at(8);
            [
                u64::from_ne_bytes(hash.try_into().unwrap_or_default()),
                u64::from_ne_bytes(line.try_into().unwrap_or_default()),
            ]
        })
        .collect()
}

/// The hashes met more than once (in increasing order), and the last line holding one of them (0: none).
pub fn repeated(mut pairs: Vec<[u64; 2]>) -> (Vec<u64>, u64) {
    pairs.sort_unstable();
    let (mut twice, mut last_line) = (Vec::new(), 0);
    for run in pairs.chunk_by(|a, b| a[0] == b[0]).filter(|run| run.len() > 1) {
        twice.push(run[0][0]);
        last_line = run.iter().map(|pair| pair[1]).fold(last_line, u64::max);
    }
    (twice, last_line)
}

/// Sort native-endian (hash, line) pairs flattened into `values` by hash (a log finds repeats faster in runs).
pub fn sort_flat(values: &mut Vec<u64>) {
    let mut pairs: Vec<[u64; 2]> = values.chunks_exact(2).map(|pair| [pair[0], pair[1]]).collect();
    pairs.sort_unstable();
    *values = pairs.into_iter().flatten().collect();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_met_twice_and_their_last_line() {
        assert_eq!(repeated(vec![[5, 1], [7, 2], [5, 9], [8, 4], [7, 3], [9, 10]]), (vec![5, 7], 9));
        assert_eq!(repeated(vec![[1, 1], [2, 2]]), (vec![], 0));
    }

    #[test]
    fn pairs_read_from_bytes() {
        let data: Vec<u8> = [3u64, 4, 5, 6].iter().flat_map(|v| v.to_ne_bytes()).collect();
        assert_eq!(pairs(&data), vec![[3, 4], [5, 6]]);
    }
}
