//! Reading untrusted files without ever holding more than a bounded amount
//! of them in memory.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use anyhow::{Context as _, bail};

/// Reads a whole file that must be small (a checkpoint, a proof file, a
/// key), refusing one larger than `limit` bytes without reading past it.
pub fn read_small(path: &Path, limit: u64) -> anyhow::Result<Vec<u8>> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {}", path.display()))?;
    if bytes.len() as u64 > limit {
        bail!(
            "{} is larger than {limit} bytes; refusing to read it",
            path.display()
        );
    }
    Ok(bytes)
}

/// Like [`read_small`], for text.
pub fn read_small_text(path: &Path, limit: u64) -> anyhow::Result<String> {
    String::from_utf8(read_small(path, limit)?)
        .with_context(|| format!("{} is not UTF-8 text", path.display()))
}

/// Yields the lines of a file one at a time, each at most `limit` bytes, so
/// a file of any size streams through in constant memory.
pub struct BoundedLines<R> {
    reader: R,
    limit: usize,
    line: u64,
    buffer: Vec<u8>,
}

/// What went wrong reading a line.
#[derive(Debug, thiserror::Error)]
pub enum LineError {
    /// The line exceeds the limit.
    #[error("line {line} is longer than {limit} bytes")]
    TooLong {
        /// One-based line number.
        line: u64,
        /// The limit.
        limit: usize,
    },
    /// The file could not be read.
    #[error("read failed at line {line}: {source}")]
    Io {
        /// One-based line number.
        line: u64,
        /// The I/O error.
        source: std::io::Error,
    },
}

impl BoundedLines<BufReader<File>> {
    /// Opens a file for line-by-line reading.
    pub fn open(path: &Path, limit: usize) -> anyhow::Result<Self> {
        let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        Ok(Self::new(BufReader::with_capacity(1 << 20, file), limit))
    }
}

impl<R: BufRead> BoundedLines<R> {
    /// Reads lines from `reader`.
    pub fn new(reader: R, limit: usize) -> Self {
        Self {
            reader,
            limit,
            line: 0,
            buffer: Vec::new(),
        }
    }

    /// The next line without its newline, or `None` at the end.
    pub fn next_line(&mut self) -> Option<Result<&[u8], LineError>> {
        self.line += 1;
        self.buffer.clear();
        let cap = u64::try_from(self.limit)
            .unwrap_or(u64::MAX)
            .saturating_add(1);
        let read = (&mut self.reader)
            .take(cap)
            .read_until(b'\n', &mut self.buffer);
        match read {
            Err(source) => Some(Err(LineError::Io {
                line: self.line,
                source,
            })),
            Ok(0) => None,
            Ok(_) => {
                if self.buffer.last() == Some(&b'\n') {
                    self.buffer.pop();
                }
                if self.buffer.len() > self.limit {
                    return Some(Err(LineError::TooLong {
                        line: self.line,
                        limit: self.limit,
                    }));
                }
                Some(Ok(&self.buffer))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_yielded_without_newlines_and_a_last_unterminated_line_counts() {
        let mut lines = BoundedLines::new(&b"a\nbb\nccc"[..], 10);
        assert_eq!(lines.next_line().unwrap().unwrap(), b"a");
        assert_eq!(lines.next_line().unwrap().unwrap(), b"bb");
        assert_eq!(lines.next_line().unwrap().unwrap(), b"ccc");
        assert!(lines.next_line().is_none());
    }

    #[test]
    fn a_line_over_the_limit_is_an_error_not_an_allocation() {
        let data = [b'x'; 100];
        let mut lines = BoundedLines::new(&data[..], 10);
        assert!(matches!(
            lines.next_line(),
            Some(Err(LineError::TooLong { line: 1, limit: 10 }))
        ));
    }
}
