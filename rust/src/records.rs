//! Where a record of a CSV body ends, as Python's `csv` module (the default dialect with a chosen delimiter) reads
//! the physical lines it is given one by one: the per-row path's reader, which every finding is measured against.
//!
//! A line without a quote is one record. A line with one starts a record that may run over several lines (a
//! quoted line break); `quoted_record_end` follows the module's own states (`Modules/_csv.c`) to its end: the end
//! of the line where the record completes, or where the module would raise an error (a carriage return inside an
//! unquoted field, a field over the size limit), which discards the rest of that line.

use memchr::memchr;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum State {
    StartRecord,
    StartField,
    InField,
    InQuoted,
    QuoteInQuoted,
    EatCrnl,
}

/// Why a record could not be followed to its end.
#[derive(Debug, PartialEq, Eq)]
pub enum Incomplete {
    /// The record runs past the end of the data read so far.
    NeedMore,
}

/// The offset just past the record that starts at `start` (at a line's start), and its number of physical lines.
/// `eof`: the data ends the file (a record still open there ends with it, as the module ends it).
/// `utf8`: field lengths are counted in UTF-8 characters, else one a byte.
pub fn quoted_record_end(
    data: &[u8],
    start: usize,
    delimiter: u8,
    field_limit: usize,
    utf8: bool,
    eof: bool,
) -> Result<(usize, usize), Incomplete> {
    let mut state = State::StartRecord;
    let mut field_len = 0usize;
    let mut pos = start;
    let mut lines = 0usize;
    loop {
        if pos >= data.len() {
            return if eof && lines > 0 { Ok((pos, lines)) } else { Err(Incomplete::NeedMore) };
        }
        let end = match memchr(b'\n', &data[pos..]) {
            Some(offset) => pos + offset + 1,
            None if eof => data.len(),
            None => return Err(Incomplete::NeedMore),
        };
        lines += 1;
        let line = &data[pos..end];
        pos = end;
        let mut failed = false;
        for &byte in line {
            // NUL bytes are taken out before the module reads a line; a UTF-8 continuation byte belongs to the
            // character before it, already counted.
            let continuation = utf8 && (0x80..0xc0).contains(&byte);
            if byte == 0 || (continuation && matches!(state, State::InField | State::InQuoted)) {
                continue;
            }
            match step(state, byte, delimiter, &mut field_len, field_limit) {
                Some(next) => state = next,
                None => {
                    failed = true;
                    break;
                }
            }
        }
        if failed {
            return Ok((pos, lines));
        }
        state = match state {
            State::InQuoted => State::InQuoted,
            _ => State::StartRecord,
        };
        if state == State::StartRecord {
            return Ok((pos, lines));
        }
    }
}

/// One character of the module's state machine; None where it raises an error.
fn step(state: State, byte: u8, delimiter: u8, field_len: &mut usize, limit: usize) -> Option<State> {
    let newline = byte == b'\n' || byte == b'\r';
    let add = |len: &mut usize| -> Option<()> {
        if *len >= limit {
            return None;
        }
        *len += 1;
        Some(())
    };
    Some(match state {
        State::StartRecord if newline => State::EatCrnl,
        State::StartRecord | State::StartField => {
            if newline {
                *field_len = 0;
                State::EatCrnl
            } else if byte == b'"' {
                State::InQuoted
            } else if byte == delimiter {
                *field_len = 0;
                State::StartField
            } else {
                add(field_len)?;
                State::InField
            }
        }
        State::InField => {
            if newline {
                *field_len = 0;
                State::EatCrnl
            } else if byte == delimiter {
                *field_len = 0;
                State::StartField
            } else {
                add(field_len)?;
                State::InField
            }
        }
        State::InQuoted => {
            if byte == b'"' {
                State::QuoteInQuoted
            } else {
                add(field_len)?;
                State::InQuoted
            }
        }
        State::QuoteInQuoted => {
            if byte == b'"' {
                add(field_len)?;
                State::InQuoted
            } else if byte == delimiter {
                *field_len = 0;
                State::StartField
            } else if newline {
                *field_len = 0;
                State::EatCrnl
            } else {
                add(field_len)?;
                State::InField
            }
        }
        State::EatCrnl if newline => State::EatCrnl,
        State::EatCrnl => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn end(data: &[u8]) -> (usize, usize) {
        quoted_record_end(data, 0, b';', 131_072, true, true).unwrap()
    }

    #[test]
    fn a_quoted_line_break_joins_lines() {
        assert_eq!(end(b"\"a\nb\";c\nd;e\n"), (8, 2));
        assert_eq!(end(b"\"a\r\nb\";c\r\nd\n"), (10, 2));
    }

    #[test]
    fn a_quote_inside_an_unquoted_field_is_a_character() {
        assert_eq!(end(b"a\"b;c\nd\n"), (6, 1));
    }

    #[test]
    fn a_quote_never_closed_runs_to_the_end_or_the_field_limit() {
        assert_eq!(end(b"\"a\nb\nc\n"), (7, 3));
        let limited = quoted_record_end(b"\"abcdef\nxy\nz\n", 0, b';', 4, true, true).unwrap();
        assert_eq!(limited, (8, 1));
        assert_eq!(quoted_record_end(b"\"a\nb\n", 0, b';', 100, true, false), Err(Incomplete::NeedMore));
    }

    #[test]
    fn a_carriage_return_inside_an_unquoted_field_ends_the_line() {
        assert_eq!(end(b"\"a\";b\rc\nd\n"), (8, 1));
    }

    #[test]
    fn doubled_quotes_are_one() {
        assert_eq!(end(b"\"a\"\"\nb\";c\nd\n"), (10, 2));
    }
}
