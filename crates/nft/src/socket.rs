//! The only IO of the crate: a `NETLINK_NETFILTER` socket that sends a transaction and collects
//! its acks, or sends a dump request and collects the multipart reply.
//!
//! nfnetlink processes a batch synchronously inside `sendmsg`, so when `send` returns every ack
//! is already queued; the receive loop drains with `MSG_DONTWAIT` and only blocks (bounded by
//! `SO_RCVTIMEO`) if acks are still missing.

use std::io;
use std::time::Duration;

use netlink_sys::{Socket, protocols::NETLINK_NETFILTER};
use nix::sys::socket::{MsgFlags, setsockopt, sockopt};

use crate::NftError;
use crate::wire::{AckTracker, BatchOutcome, DumpCollector, DumpProgress, EncodedBatch};

/// Socket buffer size requested for both directions (the kernel doubles it).
const SOCKET_BUFFER: usize = 16 << 20;
/// Receive buffer for one datagram; kernel dump datagrams stay below 32 KiB.
const RECV_BUFFER: usize = 256 << 10;
/// How long a blocking receive waits for a missing reply.
const RECV_TIMEOUT: Duration = Duration::from_secs(10);
/// Upper bound on messages in one dump (a set of 1M elements is ~30k messages).
pub(crate) const MAX_DUMP_MESSAGES: usize = 1 << 20;
/// Dumps interrupted by concurrent ruleset changes are retried this often.
const DUMP_ATTEMPTS: usize = 5;

fn socket_error(action: &'static str) -> impl FnOnce(io::Error) -> NftError {
    move |source| NftError::Socket { action, source }
}

fn nix_error(action: &'static str) -> impl FnOnce(nix::errno::Errno) -> NftError {
    move |errno| NftError::Socket {
        action,
        source: io::Error::from(errno),
    }
}

/// A bound `NETLINK_NETFILTER` socket with its sequence counter.
pub(crate) struct NetfilterSocket {
    socket: Socket,
    next_seq: u32,
    recv_buf: Vec<u8>,
    /// Effective send buffer (bounds the size of one transaction).
    pub(crate) send_buffer: usize,
    /// Effective receive buffer (bounds the number of acks per transaction).
    pub(crate) recv_buffer: usize,
}

impl NetfilterSocket {
    /// Opens and binds a socket in the calling thread's network namespace.
    pub(crate) fn open() -> Result<Self, NftError> {
        let mut socket = Socket::new(NETLINK_NETFILTER).map_err(socket_error("open"))?;
        socket.bind_auto().map_err(socket_error("bind"))?;
        // Errors echo only the request header, not whole batches.
        socket
            .set_cap_ack(true)
            .map_err(socket_error("set NETLINK_CAP_ACK"))?;
        // Extended acks carry the kernel's reason text; optional.
        let _ = socket.set_ext_ack(true);
        // SO_*BUFFORCE needs CAP_NET_ADMIN in the initial user namespace; fall back to the
        // plain options, which the kernel caps at wmem_max / rmem_max.
        if setsockopt(&socket, sockopt::SndBufForce, &SOCKET_BUFFER).is_err() {
            let _ = setsockopt(&socket, sockopt::SndBuf, &SOCKET_BUFFER);
        }
        if setsockopt(&socket, sockopt::RcvBufForce, &SOCKET_BUFFER).is_err() {
            let _ = setsockopt(&socket, sockopt::RcvBuf, &SOCKET_BUFFER);
        }
        let timeout = nix::sys::time::TimeVal::new(RECV_TIMEOUT.as_secs() as _, 0);
        setsockopt(&socket, sockopt::ReceiveTimeout, &timeout)
            .map_err(nix_error("set SO_RCVTIMEO"))?;
        let send_buffer = nix::sys::socket::getsockopt(&socket, sockopt::SndBuf)
            .map_err(nix_error("get SO_SNDBUF"))?;
        let recv_buffer = nix::sys::socket::getsockopt(&socket, sockopt::RcvBuf)
            .map_err(nix_error("get SO_RCVBUF"))?;
        // Start sequence numbers somewhere unlikely to match a stale reply of another socket.
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos() ^ (d.as_secs() as u32))
            .unwrap_or(1);
        Ok(Self {
            socket,
            next_seq: seed,
            recv_buf: Vec::with_capacity(RECV_BUFFER),
            send_buffer,
            recv_buffer,
        })
    }

    /// Reserves `count` consecutive sequence numbers and returns the first.
    pub(crate) fn reserve_seq(&mut self, count: u32) -> u32 {
        let first = self.next_seq;
        self.next_seq = self.next_seq.wrapping_add(count);
        first
    }

    /// The next free sequence number, for a batch whose length is not known yet; follow with
    /// [`Self::reserve_seq`] once it is built.
    pub(crate) fn peek_seq(&self) -> u32 {
        self.next_seq
    }

    fn send(&self, bytes: &[u8]) -> Result<(), NftError> {
        let sent = self.socket.send(bytes, 0).map_err(socket_error("send"))?;
        if sent != bytes.len() {
            return Err(NftError::Socket {
                action: "send",
                source: io::Error::new(
                    io::ErrorKind::WriteZero,
                    format!("sent {sent} of {} bytes", bytes.len()),
                ),
            });
        }
        Ok(())
    }

    /// Receives one datagram; `Ok(false)` when nothing is queued (non-blocking) or the blocking
    /// wait timed out.
    fn recv(&mut self, blocking: bool) -> Result<bool, NftError> {
        self.recv_buf.clear();
        let mut flags = MsgFlags::MSG_TRUNC;
        if !blocking {
            flags |= MsgFlags::MSG_DONTWAIT;
        }
        match self.socket.recv(&mut self.recv_buf, flags.bits()) {
            Ok(len) if len > self.recv_buf.capacity() => Err(NftError::Socket {
                action: "receive",
                source: io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("datagram of {len} bytes exceeds the {RECV_BUFFER}-byte buffer"),
                ),
            }),
            Ok(_) => Ok(true),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => Ok(false),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => self.recv(blocking),
            Err(e) => Err(NftError::Socket {
                action: "receive",
                source: e,
            }),
        }
    }

    /// Sends one transaction and returns the kernel's verdict on each command.
    pub(crate) fn transact(
        &mut self,
        batch: &EncodedBatch,
        operation: &str,
    ) -> Result<BatchOutcome, NftError> {
        self.send(&batch.bytes)?;
        let mut tracker = AckTracker::new(batch);
        let mut blocking = false;
        while !tracker.is_complete() {
            if !self.recv(blocking)? {
                if tracker.batch_failed() {
                    // The whole batch was refused; no per-command acks will follow.
                    break;
                }
                if blocking {
                    return Err(NftError::Socket {
                        action: "receive",
                        source: io::Error::new(
                            io::ErrorKind::TimedOut,
                            format!("{operation}: {} acks missing", tracker.missing()),
                        ),
                    });
                }
                blocking = true;
                continue;
            }
            blocking = false;
            tracker
                .feed(&self.recv_buf)
                .map_err(|e| NftError::malformed(operation, e))?;
        }
        Ok(tracker.into_outcome())
    }

    /// Sends a query (a dump, or a get answered by a message and an ack) and returns the
    /// payload of each reply message. `request` builds the request for a sequence number.
    pub(crate) fn query(
        &mut self,
        operation: &str,
        request: impl Fn(u32) -> Result<Vec<u8>, crate::wire::EncodeError>,
    ) -> Result<Vec<Vec<u8>>, NftError> {
        for _ in 0..DUMP_ATTEMPTS {
            let seq = self.reserve_seq(1);
            let bytes = request(seq).map_err(|e| NftError::malformed(operation, e))?;
            self.send(&bytes)?;
            let mut collector = DumpCollector::new(seq, MAX_DUMP_MESSAGES);
            let progress = loop {
                if !self.recv(true)? {
                    return Err(NftError::Socket {
                        action: "receive",
                        source: io::Error::new(
                            io::ErrorKind::TimedOut,
                            format!("{operation}: dump did not finish"),
                        ),
                    });
                }
                match collector
                    .feed(&self.recv_buf)
                    .map_err(|e| NftError::malformed(operation, e))?
                {
                    DumpProgress::More => continue,
                    other => break other,
                }
            };
            match progress {
                DumpProgress::Done => return Ok(collector.payloads),
                DumpProgress::Failed(ack) => return Err(NftError::kernel(operation, &ack)),
                DumpProgress::Interrupted | DumpProgress::More => {}
            }
        }
        Err(NftError::Socket {
            action: "receive",
            source: io::Error::other(format!(
                "{operation}: dump interrupted {DUMP_ATTEMPTS} times by concurrent changes"
            )),
        })
    }
}
