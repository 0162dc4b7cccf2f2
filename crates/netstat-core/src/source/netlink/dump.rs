//! One netlink dump: send a request, then hand out the reply messages one
//! at a time from a receive buffer the dump owns.
//!
//! The kernel answers a dump with datagrams of at most 32 KiB (it sizes
//! them after the reader's largest `recvmsg` so far), each holding whole
//! messages, and ends it with `NLMSG_DONE`. A failure arrives either as
//! `NLMSG_ERROR` or as a negative errno in the `NLMSG_DONE` payload (the
//! latter is how a missing `raw_diag` module shows: `-ENOENT`). Messages
//! flagged `NLM_F_DUMP_INTR` mean the tables changed under the dump; the
//! dump records that and lets the caller decide whether to start over.
//! Every dump opens its own socket, so an abandoned dump can never leave
//! stale replies (or a busy `EBUSY` dump) for the next one.

use std::sync::atomic::{AtomicU32, Ordering};

use super::NetlinkError;
use super::socket::NetlinkSocket;
use super::wire::{
    self, Frame, FrameError, Header, NLM_F_DUMP_INTR, NLMSG_DONE, NLMSG_ERROR,
    NLMSG_NOOP, NLMSG_OVERRUN,
};

/// Size of the receive buffer: twice the largest datagram a dump sends.
pub const RECV_BUFFER_LEN: usize = 64 * 1024;

/// A running dump and its receive buffer.
#[derive(Debug)]
pub struct Dump {
    socket: Option<NetlinkSocket>,
    buf: Vec<u8>,
    seq: u32,
    pos: usize,
    len: usize,
    done: bool,
    interrupted: bool,
    messages: u64,
}

/// What to do with one framed message.
enum Step {
    /// Not part of our reply: read on.
    Skip,
    /// The dump is complete.
    End,
    /// A reply message for the caller.
    Yield,
}

/// A fresh sequence number for a request.
pub fn next_seq() -> u32 {
    static SEQ: AtomicU32 = AtomicU32::new(1);
    SEQ.fetch_add(1, Ordering::Relaxed)
}

impl Dump {
    /// Opens a socket of the netlink protocol `protocol`, sends `request`
    /// (a complete message whose header carries the sequence number that
    /// replies must echo) and returns the dump, ready to be read.
    pub fn start(
        protocol: libc::c_int,
        request: &[u8],
    ) -> Result<Dump, NetlinkError> {
        // The request's own header says which replies belong to it.
        let header = Header::parse(request)
            .ok_or(NetlinkError::Malformed("request shorter than a header"))?;

        // Open, send, and keep the socket for the replies.
        let socket = NetlinkSocket::open(protocol)?;
        socket.send(request)?;
        Ok(Dump {
            socket: Some(socket),
            buf: vec![0; RECV_BUFFER_LEN],
            seq: header.seq,
            pos: 0,
            len: 0,
            done: false,
            interrupted: false,
            messages: 0,
        })
    }

    /// A dump that replays captured reply bytes (datagrams laid end to
    /// end) instead of reading a socket, for tests and fuzzing. Replies
    /// must carry the sequence number of the first message; running out
    /// of bytes before `NLMSG_DONE` is an error, as a cut reply would be.
    pub fn replay(captured: &[u8]) -> Dump {
        let seq = Header::parse(captured).map_or(0, |header| header.seq);
        Dump {
            socket: None,
            buf: captured.to_vec(),
            seq,
            pos: 0,
            len: captured.len(),
            done: false,
            interrupted: false,
            messages: 0,
        }
    }

    /// The next reply message, or `None` once the dump is complete.
    ///
    /// Errors reported by the kernel end the dump with an error; so do
    /// datagrams whose framing is inconsistent.
    pub fn next_message(&mut self) -> Result<Option<Frame<'_>>, NetlinkError> {
        loop {
            // Refill the buffer once every message in it was handed out.
            if self.done {
                return Ok(None);
            }
            if self.pos >= self.len {
                self.fill()?;
                continue;
            }

            // Frame the next message, then decide what it means.
            let start = self.pos;
            let (frame, next) = wire::next_frame(&self.buf[start..self.len])
                .map_err(frame_error)?;
            let header = frame.header;
            let payload_len = frame.payload.len();
            self.pos = start + next;
            if header.seq == self.seq && header.flags & NLM_F_DUMP_INTR != 0 {
                self.interrupted = true;
            }
            match classify(self.seq, &header, frame.payload)? {
                Step::Skip => continue,
                Step::End => {
                    self.done = true;
                    return Ok(None);
                }
                Step::Yield => {}
            }

            // Hand out a frame borrowed from the buffer.
            self.messages += 1;
            let body = start + wire::NLMSG_HDRLEN;
            let payload = &self.buf[body..body + payload_len];
            return Ok(Some(Frame { header, payload }));
        }
    }

    /// True once any reply message carried `NLM_F_DUMP_INTR`.
    pub fn interrupted(&self) -> bool {
        self.interrupted
    }

    /// Reply messages handed out so far.
    pub fn messages(&self) -> u64 {
        self.messages
    }

    /// Receives the next datagram into the buffer.
    fn fill(&mut self) -> Result<(), NetlinkError> {
        let Some(socket) = &self.socket else {
            return Err(NetlinkError::Malformed(
                "reply ends before NLMSG_DONE",
            ));
        };
        let len = socket.recv(&mut self.buf)?;
        if len == 0 {
            return Err(NetlinkError::Malformed("empty datagram"));
        }
        self.pos = 0;
        self.len = len;
        Ok(())
    }
}

/// Sorts a message into ours or not, data or end, or an error.
fn classify(
    seq: u32,
    header: &Header,
    payload: &[u8],
) -> Result<Step, NetlinkError> {
    // Replies to other requests (there are none on a private socket, but
    // the check is cheap) are skipped.
    if header.seq != seq {
        return Ok(Step::Skip);
    }

    // Control messages end the dump, possibly with an errno.
    match header.kind {
        NLMSG_NOOP => Ok(Step::Skip),
        NLMSG_DONE => done_status(payload).map(|()| Step::End),
        NLMSG_ERROR => error_status(payload).map(|()| Step::End),
        NLMSG_OVERRUN => Err(NetlinkError::Overrun),
        _ => Ok(Step::Yield),
    }
}

/// Maps a framing failure to an error.
fn frame_error(error: FrameError) -> NetlinkError {
    match error {
        FrameError::ShortHeader => {
            NetlinkError::Malformed("datagram ends inside a message header")
        }
        FrameError::BadLength => {
            NetlinkError::Malformed("message length outside the datagram")
        }
    }
}

/// The status of `NLMSG_DONE`: its optional `int` payload is 0 or a
/// negative errno describing why the dump stopped.
pub fn done_status(payload: &[u8]) -> Result<(), NetlinkError> {
    match wire::i32_at(payload, 0) {
        Some(code) if code < 0 => Err(NetlinkError::from_errno(-code)),
        _ => Ok(()),
    }
}

/// The status of `NLMSG_ERROR`: 0 acknowledges, a negative errno fails.
pub fn error_status(payload: &[u8]) -> Result<(), NetlinkError> {
    match wire::i32_at(payload, 0) {
        Some(0) => Ok(()),
        Some(code) => Err(NetlinkError::from_errno(code.saturating_abs())),
        None => Err(NetlinkError::Malformed("NLMSG_ERROR without an errno")),
    }
}
