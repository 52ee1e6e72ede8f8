//! Pipes: a ring of page buffers between a read end and a write end.
//!
//! Mirrors: `fs/pipe.c` (`pipe_write`, `pipe_read`, `pipe_ioctl` `FIONREAD`, `pipe_release`,
//! `PIPE_DEF_BUFFERS`), with `PAGE_SIZE` 4096 as on x86-64.
//!
//! Differences from upstream: a write that would have to sleep (the pipe is full and the file
//! is blocking) and a read that would have to sleep (empty pipe, writers still open) cannot
//! sleep in the single-threaded program the simulator runs; they end as if a signal interrupted
//! them (`-EINTR`, or the bytes already moved), which is what the conformance recorder's alarm
//! turns such a wait into.

use std::collections::VecDeque;

pub use crate::include::linux::{Pipe, PipeBuffer};
use crate::uapi::errno::*;

/// `PAGE_SIZE` of the modelled machine.
pub const PAGE_SIZE: usize = 4096;
/// `PIPE_DEF_BUFFERS`: slots in a new pipe's ring.
pub const PIPE_DEF_BUFFERS: usize = 16;

impl Pipe {
    /// A new pipe with one reader and one writer (`create_pipe_files`).
    pub fn new() -> Pipe {
        Pipe {
            bufs: VecDeque::new(),
            readers: 1,
            writers: 1,
        }
    }

    /// Bytes buffered (`FIONREAD`).
    pub fn len(&self) -> usize {
        self.bufs.iter().map(|b| b.data.len()).sum()
    }

    /// Returns whether nothing is buffered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `pipe_write`: appends `data`; `nonblock` is the file's `O_NONBLOCK`.
    ///
    /// A write first merges its sub-page remainder into the last page when it fits there,
    /// then fills fresh pages while the ring has free slots.
    pub fn write(&mut self, data: &[u8], nonblock: bool) -> Result<usize, i32> {
        if self.readers == 0 {
            return Err(EPIPE);
        }
        let total = data.len();
        if total == 0 {
            return Ok(0);
        }
        let mut done = 0;
        let chars = total & (PAGE_SIZE - 1);
        if chars != 0 {
            if let Some(last) = self.bufs.back_mut() {
                if last.can_merge && last.data.len() + chars <= PAGE_SIZE {
                    last.data.extend_from_slice(&data[..chars]);
                    done = chars;
                }
            }
        }
        while done < total {
            if self.bufs.len() >= PIPE_DEF_BUFFERS {
                if done > 0 {
                    return Ok(done);
                }
                return Err(if nonblock { EAGAIN } else { EINTR });
            }
            let n = (total - done).min(PAGE_SIZE);
            self.bufs.push_back(PipeBuffer {
                data: data[done..done + n].to_vec(),
                can_merge: true,
            });
            done += n;
        }
        Ok(done)
    }

    /// `pipe_read`: moves up to `out.len()` bytes out of the pipe.
    pub fn read(&mut self, out: &mut [u8], nonblock: bool) -> Result<usize, i32> {
        if out.is_empty() {
            return Ok(0);
        }
        if self.bufs.is_empty() {
            if self.writers == 0 {
                return Ok(0);
            }
            return Err(if nonblock { EAGAIN } else { EINTR });
        }
        let mut done = 0;
        while done < out.len() {
            let front = match self.bufs.front_mut() {
                Some(b) => b,
                None => break,
            };
            let n = front.data.len().min(out.len() - done);
            out[done..done + n].copy_from_slice(&front.data[..n]);
            front.data.drain(..n);
            done += n;
            if front.data.is_empty() {
                self.bufs.pop_front();
            }
        }
        Ok(done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_writes_merge_into_one_page() {
        let mut p = Pipe::new();
        assert_eq!(p.write(&[1; 100], true), Ok(100));
        assert_eq!(p.write(&[2; 100], true), Ok(100));
        assert_eq!(p.bufs.len(), 1);
        assert_eq!(p.len(), 200);
        let mut out = [0u8; 150];
        assert_eq!(p.read(&mut out, true), Ok(150));
        assert_eq!(p.len(), 50);
    }

    #[test]
    fn a_full_pipe_refuses_nonblocking_writes_and_a_closed_reader_breaks_it() {
        // Totals measured on Linux 6.18 with O_NONBLOCK write loops.
        for (chunk, want) in [
            (1000usize, 64000usize),
            (5000, 54096),
            (4096, 65536),
            (70000, 65536),
        ] {
            let mut p = Pipe::new();
            let data = vec![0u8; chunk];
            let mut total = 0;
            loop {
                match p.write(&data, true) {
                    Ok(n) => total += n,
                    Err(e) => {
                        assert_eq!(e, EAGAIN);
                        break;
                    }
                }
            }
            assert_eq!(total, want, "chunk {}", chunk);
        }
        let mut p = Pipe::new();
        p.readers = 0;
        assert_eq!(p.write(&[0; 1], true), Err(EPIPE));
    }

    #[test]
    fn empty_pipe_reads_eof_without_writers() {
        let mut p = Pipe::new();
        let mut out = [0u8; 4];
        assert_eq!(p.read(&mut out, true), Err(EAGAIN));
        p.writers = 0;
        assert_eq!(p.read(&mut out, true), Ok(0));
    }
}
