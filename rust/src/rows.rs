//! A block's findings as a run (`files.finding_rows.FindingRows`): one (line, id) pair a finding, where the id is
//! the index of a distinct finding (a column and an issue) that Python made once. Here the run is put in line order,
//! written out with the words Python rendered once for each distinct finding, and counted for the summary, without
//! a Python object a finding.

/// Native-endian u64s of a byte string (a Python ``array("Q")``'s bytes); a trailing part of a u64 is ignored.
pub fn u64s(data: &[u8]) -> impl Iterator<Item = u64> + '_ {
    data.chunks_exact(8).map(|chunk| u64::from_ne_bytes(chunk.try_into().unwrap_or_default()))
}

/// The (line, id) pairs of a block's findings in line order, from its flags (line, group, key) and its raw records'
/// findings (record's first line, finding's line, id): a flag's key `k` stands for the ids `offsets[k]` to
/// `offsets[k + 1]`; a raw record's findings come before the flags of later lines (`compiled_csv.CompiledFile`).
pub fn expand(flags: &[u64], offsets: &[u64], raw: &[u64]) -> (Vec<u64>, Vec<u64>) {
    let (mut lines, mut ids) = (Vec::new(), Vec::new());
    let mut records = raw.chunks_exact(3).peekable();
    for flag in flags.chunks_exact(3) {
        let (line, key) = (flag[0], flag[2] as usize);
        while let Some(record) = records.next_if(|record| record[0] < line) {
            lines.push(record[1]);
            ids.push(record[2]);
        }
        let (Some(&start), Some(&end)) = (offsets.get(key), offsets.get(key + 1)) else {
            continue;
        };
        for id in start..end {
            lines.push(line);
            ids.push(id);
        }
    }
    for record in records {
        lines.push(record[1]);
        ids.push(record[2]);
    }
    (lines, ids)
}

/// A run's findings in a writer's words: each finding is the words of its id before its line (`before[id]`, or
/// `before[0]` for every id when there is one), its line in decimal, and the words after it (`after[id]`), the
/// findings `separator`-separated: JSON items, text lines, SARIF results, workflow commands.
pub struct Words<'a, W: AsRef<[u8]>> {
    pub before: &'a [W],
    pub after: &'a [W],
    pub separator: &'a [u8],
}

impl<W: AsRef<[u8]>> Words<'_, W> {
    fn before(&self, id: u64) -> &[u8] {
        let at = if self.before.len() == 1 { 0 } else { id as usize };
        self.before.get(at).map_or(&[], AsRef::as_ref)
    }

    fn after(&self, id: u64) -> &[u8] {
        self.after.get(id as usize).map_or(&[], AsRef::as_ref)
    }

    /// The bytes of finding `index` of a run (its separator before it, but for the first finding's).
    fn size(&self, index: usize, line: u64, id: u64) -> usize {
        let separator = if index > 0 { self.separator.len() } else { 0 };
        separator + self.before(id).len() + decimal_digits(line) + self.after(id).len()
    }

    /// The end of the findings from `start` that fit in `size` bytes (at least one), and their bytes.
    pub fn piece(&self, lines: &[u64], ids: &[u64], start: usize, size: usize) -> (usize, usize) {
        let (mut end, mut total) = (start, 0);
        while end < lines.len().min(ids.len()) {
            let next = self.size(end, lines[end], ids[end]);
            if end > start && total + next > size {
                break;
            }
            total += next;
            end += 1;
        }
        (end, total)
    }

    /// Findings `start` to `end` of a run written into `out`, which `piece` measured.
    pub fn write(&self, lines: &[u64], ids: &[u64], (start, end): (usize, usize), out: &mut [u8]) {
        let mut at = 0;
        let mut put = |bytes: &[u8]| {
            out[at..at + bytes.len()].copy_from_slice(bytes);
            at += bytes.len();
        };
        for index in start..end {
            let (line, id) = (lines[index], ids[index]);
            if index > 0 {
                put(self.separator);
            }
            put(self.before(id));
            let mut digits = [0u8; 20];
            put(decimal(line, &mut digits));
            put(self.after(id));
        }
    }
}

/// A whole run written out (`Words`), in one piece.
pub fn render(lines: &[u64], ids: &[u64], before: &[&[u8]], after: &[&[u8]], separator: &[u8]) -> Vec<u8> {
    let words = Words { before, after, separator };
    let (end, size) = words.piece(lines, ids, 0, usize::MAX);
    let mut out = vec![0; size];
    words.write(lines, ids, (0, end), &mut out);
    out
}

fn decimal_digits(value: u64) -> usize {
    value.checked_ilog10().map_or(1, |log| log as usize + 1)
}

/// `value` in decimal, in the end of `digits`.
fn decimal(mut value: u64, digits: &mut [u8; 20]) -> &[u8] {
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    &digits[at..]
}

/// What the summary counts of one code (`FindingRows.per_code`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tally {
    pub code: usize,
    pub count: u64,
    /// Distinct lines (a line's findings are together: a new line is a new row).
    pub rows: u64,
    pub first_lines: Vec<u64>,
    pub last_line: u64,
}

/// Per code (`codes[id]`: the code of a finding's id), in order of each code's first finding: its findings, rows,
/// `first` first rows and last row; and the (line, id) of the first error (`errors[id]`) of each line with errors.
pub fn tally(
    lines: &[u64],
    ids: &[u64],
    codes: &[usize],
    errors: &[bool],
    first: usize,
) -> (Vec<Tally>, Vec<(u64, u64)>) {
    let mut order: Vec<Tally> = Vec::new();
    let mut index_of: Vec<Option<usize>> = vec![None; codes.iter().max().map_or(0, |&most| most + 1)];
    let mut error_lines: Vec<(u64, u64)> = Vec::new();
    for (&line, &id) in lines.iter().zip(ids) {
        let Some(&code) = codes.get(id as usize) else {
            continue;
        };
        if errors.get(id as usize) == Some(&true) && error_lines.last().is_none_or(|&(last, _)| last != line) {
            error_lines.push((line, id));
        }
        match index_of[code] {
            None => {
                index_of[code] = Some(order.len());
                order.push(Tally { code, count: 1, rows: 1, first_lines: vec![line], last_line: line });
            }
            Some(at) => {
                let entry = &mut order[at];
                entry.count += 1;
                if entry.last_line != line {
                    entry.rows += 1;
                    entry.last_line = line;
                    if entry.first_lines.len() < first {
                        entry.first_lines.push(line);
                    }
                }
            }
        }
    }
    (order, error_lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_expanded_and_raw_records_merged_in_line_order() {
        // key 0: ids 0 and 1; key 1: no finding; key 2: id 2. Raw records at lines 1 (two findings) and 4.
        let flags = [2, 0, 0, 3, 5, 1, 5, 1, 2, 6, 0, 0];
        let raw = [1, 1, 3, 1, 2, 4, 4, 4, 5];
        let (lines, ids) = expand(&flags, &[0, 2, 2, 3], &raw);
        assert_eq!(lines, [1, 2, 2, 2, 4, 5, 6, 6]);
        assert_eq!(ids, [3, 4, 0, 1, 5, 2, 0, 1]);
        assert_eq!(expand(&[], &[0], &[7, 8, 0]), (vec![8], vec![0]));
    }

    #[test]
    fn rendered_with_each_line_in_decimal() {
        let out = render(&[0, 7, 1234567890123], &[1, 0, 1], &[b"<"], &[b">a", b">b"], b", ");
        assert_eq!(out, b"<0>b, <7>a, <1234567890123>b");
        let out = render(&[5, 6], &[1, 0], &[b"a<", b"b<"], &[b">a", b">b"], b"");
        assert_eq!(out, b"b<5>ba<6>a");
        assert_eq!(render(&[], &[], &[b"<"], &[], b", "), b"");
        assert_eq!(render(&[u64::MAX], &[0], &[b""], &[b""], b""), u64::MAX.to_string().as_bytes());
        assert_eq!(render(&[0, 9, 10, 99, 100], &[0; 5], &[b""], &[b";"], b""), b"0;9;10;99;100;");
    }

    #[test]
    fn rendered_in_pieces_of_whole_findings() {
        let (lines, ids) = ([3, 10, 200, 4000], [0, 1, 0, 1]);
        let words = Words { before: &[b"<".as_slice()], after: &[b">a".as_slice(), b">b"], separator: b", " };
        let whole = render(&lines, &ids, &[b"<"], &[b">a", b">b"], b", ");
        assert_eq!(whole, b"<3>a, <10>b, <200>a, <4000>b");
        for size in [0, 1, 4, 8, 9, 10, 15, 16, 100] {
            let (mut start, mut out) = (0, Vec::new());
            while start < lines.len() {
                let (end, bytes) = words.piece(&lines, &ids, start, size);
                assert!(end > start && (bytes <= size || end == start + 1), "{size}: {start}..{end}, {bytes}");
                let mut piece = vec![0; bytes];
                words.write(&lines, &ids, (start, end), &mut piece);
                out.extend(piece);
                start = end;
            }
            assert_eq!(out, whole, "pieces of {size} bytes");
        }
    }

    #[test]
    fn codes_counted_in_order_of_their_first_finding() {
        // ids 0 and 1: code 1 (1 an error); id 2: code 0.
        let (tallies, error_lines) =
            tally(&[3, 3, 3, 5, 8, 8], &[0, 2, 1, 0, 1, 0], &[1, 1, 0], &[false, true, false], 1);
        assert_eq!(
            tallies,
            [
                Tally { code: 1, count: 5, rows: 3, first_lines: vec![3], last_line: 8 },
                Tally { code: 0, count: 1, rows: 1, first_lines: vec![3], last_line: 3 },
            ]
        );
        assert_eq!(error_lines, [(3, 1), (8, 1)]);
    }
}
