//! Pure netlink/nfnetlink framing: attribute TLVs, nested attributes, nfnetlink batches and the
//! parsing of replies (acks, errors, dump messages). No IO happens here; everything works on
//! byte buffers so the exact bytes can be unit-tested.
//!
//! Layout reminders (all from `linux/netlink.h`): a message is a 16-byte `nlmsghdr` in host byte
//! order, followed for nfnetlink by a 4-byte `nfgenmsg` (family, version, big-endian `res_id`),
//! followed by attributes. Every attribute is a 4-byte header (`u16` length including the header,
//! `u16` type) plus payload, padded to 4 bytes; the length does not count the padding.

use crate::proto::{
    NFNETLINK_V0, NFNL_MSG_BATCH_BEGIN, NFNL_MSG_BATCH_END, NFNL_SUBSYS_NFTABLES, NFPROTO_UNSPEC,
    NLA_F_NESTED, NLA_TYPE_MASK, NLM_F_ACK, NLM_F_ACK_TLVS, NLM_F_CAPPED, NLM_F_REQUEST,
    NLMSG_DONE, NLMSG_ERROR, NLMSG_NOOP, NLMSG_OVERRUN, NLMSGERR_ATTR_MSG,
};

/// Size of `struct nlmsghdr`.
pub(crate) const NLMSG_HDR_LEN: usize = 16;
/// Size of `struct nfgenmsg`.
pub(crate) const NFGEN_HDR_LEN: usize = 4;
/// Size of `struct nlattr`.
pub(crate) const NLA_HDR_LEN: usize = 4;
/// Largest attribute (header included) that fits the `u16` length field.
pub(crate) const NLA_MAX_LEN: usize = u16::MAX as usize;
/// Bytes taken by an encoded batch-end message.
pub(crate) const BATCH_END_LEN: usize = NLMSG_HDR_LEN + NFGEN_HDR_LEN;
/// Longest extended-ack message kept from an error reply.
const MAX_EXTACK_MSG: usize = 256;

/// Rounds up to the 4-byte netlink alignment.
pub(crate) const fn align4(len: usize) -> usize {
    (len + 3) & !3
}

/// Encoding failed because a length does not fit its field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum EncodeError {
    /// An attribute (or nest) is longer than its `u16` length allows.
    #[error("attribute type {kind} is {len} bytes, more than the netlink limit of 65535")]
    AttributeTooLong { kind: u16, len: usize },
    /// A message is longer than its `u32` length allows.
    #[error("netlink message of {len} bytes is too long")]
    MessageTooLong { len: usize },
}

/// Decoding failed: the kernel sent something this module does not understand.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub(crate) struct DecodeError(pub(crate) String);

/// Offset of an open message, returned by [`NlWriter::begin_message`].
#[derive(Debug, Clone, Copy)]
#[must_use]
pub(crate) struct MessageStart(usize);

/// Offset of an open nested attribute, returned by [`NlWriter::begin_nested`].
#[derive(Debug, Clone, Copy)]
#[must_use]
pub(crate) struct NestStart {
    offset: usize,
    kind: u16,
}

/// Appends netlink messages and attributes to one byte buffer.
#[derive(Debug, Default)]
pub(crate) struct NlWriter {
    buf: Vec<u8>,
}

impl NlWriter {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    pub(crate) fn len(&self) -> usize {
        self.buf.len()
    }

    #[cfg(test)]
    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.buf
    }

    pub(crate) fn into_bytes(self) -> Vec<u8> {
        self.buf
    }

    /// Drops everything written after `len` (used to undo an element that did not fit).
    pub(crate) fn truncate(&mut self, len: usize) {
        self.buf.truncate(len);
    }

    fn pad(&mut self) {
        let padded = align4(self.buf.len());
        self.buf.resize(padded, 0);
    }

    /// Writes an `nlmsghdr` (length patched by [`Self::end_message`]) and an `nfgenmsg`.
    pub(crate) fn begin_message(
        &mut self,
        nlmsg_type: u16,
        flags: u16,
        seq: u32,
        family: u8,
        res_id: u16,
    ) -> MessageStart {
        self.pad();
        let start = self.buf.len();
        self.buf.extend_from_slice(&0u32.to_ne_bytes());
        self.buf.extend_from_slice(&nlmsg_type.to_ne_bytes());
        self.buf.extend_from_slice(&flags.to_ne_bytes());
        self.buf.extend_from_slice(&seq.to_ne_bytes());
        // Port id 0: the kernel fills in the sender.
        self.buf.extend_from_slice(&0u32.to_ne_bytes());
        self.buf.push(family);
        self.buf.push(NFNETLINK_V0);
        self.buf.extend_from_slice(&res_id.to_be_bytes());
        MessageStart(start)
    }

    /// Patches the message length; the length includes trailing attribute padding.
    pub(crate) fn end_message(&mut self, start: MessageStart) -> Result<(), EncodeError> {
        self.pad();
        let len = self.buf.len() - start.0;
        let len32 = u32::try_from(len).map_err(|_| EncodeError::MessageTooLong { len })?;
        self.buf[start.0..start.0 + 4].copy_from_slice(&len32.to_ne_bytes());
        Ok(())
    }

    /// Writes one attribute with a raw payload.
    pub(crate) fn attr_bytes(&mut self, kind: u16, payload: &[u8]) -> Result<(), EncodeError> {
        let len = NLA_HDR_LEN + payload.len();
        let len16 = u16::try_from(len).map_err(|_| EncodeError::AttributeTooLong { kind, len })?;
        self.pad();
        self.buf.extend_from_slice(&len16.to_ne_bytes());
        self.buf.extend_from_slice(&kind.to_ne_bytes());
        self.buf.extend_from_slice(payload);
        self.pad();
        Ok(())
    }

    /// nf_tables integers travel in network byte order.
    pub(crate) fn attr_u32_be(&mut self, kind: u16, value: u32) -> Result<(), EncodeError> {
        self.attr_bytes(kind, &value.to_be_bytes())
    }

    pub(crate) fn attr_u64_be(&mut self, kind: u16, value: u64) -> Result<(), EncodeError> {
        self.attr_bytes(kind, &value.to_be_bytes())
    }

    /// Strings are NUL-terminated (`NLA_STRING` as nftables sends them).
    pub(crate) fn attr_str(&mut self, kind: u16, value: &str) -> Result<(), EncodeError> {
        let mut payload = Vec::with_capacity(value.len() + 1);
        payload.extend_from_slice(value.as_bytes());
        payload.push(0);
        self.attr_bytes(kind, &payload)
    }

    /// Opens a nested attribute; close it with [`Self::end_nested`].
    pub(crate) fn begin_nested(&mut self, kind: u16) -> NestStart {
        self.pad();
        let offset = self.buf.len();
        self.buf.extend_from_slice(&0u16.to_ne_bytes());
        self.buf
            .extend_from_slice(&(kind | NLA_F_NESTED).to_ne_bytes());
        NestStart { offset, kind }
    }

    /// Current length of an open nest, header included.
    pub(crate) fn nested_len(&self, start: NestStart) -> usize {
        self.buf.len() - start.offset
    }

    pub(crate) fn end_nested(&mut self, start: NestStart) -> Result<(), EncodeError> {
        let len = self.nested_len(start);
        let len16 = u16::try_from(len).map_err(|_| EncodeError::AttributeTooLong {
            kind: start.kind,
            len,
        })?;
        self.buf[start.offset..start.offset + 2].copy_from_slice(&len16.to_ne_bytes());
        Ok(())
    }
}

/// Builds one nfnetlink transaction: `BATCH_BEGIN`, command messages, `BATCH_END`.
///
/// Sequence numbers: the begin message gets `base_seq`, commands `base_seq + 1 ..`, the end
/// message the next one. Every command asks for an ack, so the kernel answers each one with an
/// `NLMSG_ERROR` (errno 0 on success) carrying its sequence number.
#[derive(Debug)]
pub(crate) struct BatchBuilder {
    writer: NlWriter,
    base_seq: u32,
    commands: u32,
}

impl BatchBuilder {
    pub(crate) fn new(base_seq: u32) -> Self {
        let mut writer = NlWriter::new();
        let begin = writer.begin_message(
            NFNL_MSG_BATCH_BEGIN,
            NLM_F_REQUEST,
            base_seq,
            NFPROTO_UNSPEC,
            NFNL_SUBSYS_NFTABLES,
        );
        // A bare header always fits.
        let _ = writer.end_message(begin);
        Self {
            writer,
            base_seq,
            commands: 0,
        }
    }

    /// Starts a command message (`nf_tables` message type without the subsystem byte).
    pub(crate) fn begin_command(&mut self, msg: u16, family: u8, extra_flags: u16) -> MessageStart {
        self.commands += 1;
        let seq = self.base_seq.wrapping_add(self.commands);
        self.writer.begin_message(
            crate::proto::nft_type(msg),
            NLM_F_REQUEST | NLM_F_ACK | extra_flags,
            seq,
            family,
            0,
        )
    }

    /// Drops the most recent command message starting at `start` (it did not fit).
    pub(crate) fn abandon_command(&mut self, start: MessageStart) {
        self.writer.truncate(start.0);
        self.commands = self.commands.saturating_sub(1);
    }

    pub(crate) fn end_command(&mut self, start: MessageStart) -> Result<(), EncodeError> {
        self.writer.end_message(start)
    }

    pub(crate) fn writer(&mut self) -> &mut NlWriter {
        &mut self.writer
    }

    pub(crate) fn len(&self) -> usize {
        self.writer.len()
    }

    #[cfg(test)]
    pub(crate) fn command_count(&self) -> usize {
        self.commands as usize
    }

    /// Closes the batch with `BATCH_END`.
    pub(crate) fn finish(mut self) -> Result<EncodedBatch, EncodeError> {
        let end_seq = self.base_seq.wrapping_add(self.commands).wrapping_add(1);
        let end = self.writer.begin_message(
            NFNL_MSG_BATCH_END,
            NLM_F_REQUEST,
            end_seq,
            NFPROTO_UNSPEC,
            NFNL_SUBSYS_NFTABLES,
        );
        self.writer.end_message(end)?;
        Ok(EncodedBatch {
            bytes: self.writer.into_bytes(),
            base_seq: self.base_seq,
            commands: self.commands as usize,
        })
    }
}

/// A finished transaction ready to send.
#[derive(Debug)]
pub(crate) struct EncodedBatch {
    pub(crate) bytes: Vec<u8>,
    pub(crate) base_seq: u32,
    pub(crate) commands: usize,
}

impl EncodedBatch {
    /// Sequence numbers consumed, so the next batch starts after them.
    pub(crate) fn seq_span(&self) -> u32 {
        // begin + commands + end; commands is bounded by the batch size limits.
        u32::try_from(self.commands).unwrap_or(u32::MAX - 2) + 2
    }
}

/// A decoded netlink message header with its payload (everything after the `nlmsghdr`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct NlMessage<'a> {
    pub(crate) nlmsg_type: u16,
    pub(crate) flags: u16,
    pub(crate) seq: u32,
    pub(crate) payload: &'a [u8],
}

fn read_u16_ne(bytes: &[u8], at: usize) -> Option<u16> {
    let raw = bytes.get(at..at + 2)?;
    Some(u16::from_ne_bytes([raw[0], raw[1]]))
}

fn read_u32_ne(bytes: &[u8], at: usize) -> Option<u32> {
    let raw = bytes.get(at..at + 4)?;
    Some(u32::from_ne_bytes([raw[0], raw[1], raw[2], raw[3]]))
}

/// Splits a received datagram into netlink messages.
pub(crate) fn parse_messages(datagram: &[u8]) -> Result<Vec<NlMessage<'_>>, DecodeError> {
    let mut out = Vec::new();
    let mut offset = 0;
    while offset < datagram.len() {
        let rest = &datagram[offset..];
        if rest.len() < NLMSG_HDR_LEN {
            return Err(DecodeError(format!(
                "{} trailing bytes, shorter than a netlink header",
                rest.len()
            )));
        }
        let len = read_u32_ne(rest, 0).unwrap_or(0) as usize;
        if len < NLMSG_HDR_LEN || len > rest.len() {
            return Err(DecodeError(format!(
                "netlink message length {len} outside 16..={}",
                rest.len()
            )));
        }
        out.push(NlMessage {
            nlmsg_type: read_u16_ne(rest, 4).unwrap_or(0),
            flags: read_u16_ne(rest, 6).unwrap_or(0),
            seq: read_u32_ne(rest, 8).unwrap_or(0),
            payload: &rest[NLMSG_HDR_LEN..len],
        });
        offset += align4(len);
    }
    Ok(out)
}

/// One attribute as found in a buffer: type without the nested/byte-order flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Attr<'a> {
    pub(crate) kind: u16,
    pub(crate) payload: &'a [u8],
}

/// Iterates the attributes of a buffer; stops with an error on a malformed header.
pub(crate) struct AttrIter<'a> {
    rest: &'a [u8],
    failed: bool,
}

impl<'a> Iterator for AttrIter<'a> {
    type Item = Result<Attr<'a>, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.rest.len() < NLA_HDR_LEN {
            return None;
        }
        let len = read_u16_ne(self.rest, 0).unwrap_or(0) as usize;
        let kind = read_u16_ne(self.rest, 2).unwrap_or(0) & NLA_TYPE_MASK;
        if len < NLA_HDR_LEN || len > self.rest.len() {
            self.failed = true;
            return Some(Err(DecodeError(format!(
                "attribute type {kind} has length {len}, {} bytes left",
                self.rest.len()
            ))));
        }
        let attr = Attr {
            kind,
            payload: &self.rest[NLA_HDR_LEN..len],
        };
        let next = align4(len).min(self.rest.len());
        self.rest = &self.rest[next..];
        Some(Ok(attr))
    }
}

pub(crate) fn attrs(buf: &[u8]) -> AttrIter<'_> {
    AttrIter {
        rest: buf,
        failed: false,
    }
}

/// Collects attributes `1..N` into a table indexed by type; unknown types are ignored and the
/// last occurrence wins (as in the kernel's `nla_parse`).
pub(crate) fn attr_table<const N: usize>(buf: &[u8]) -> Result<[Option<&[u8]>; N], DecodeError> {
    let mut table = [None; N];
    for attr in attrs(buf) {
        let attr = attr?;
        if let Some(slot) = table.get_mut(attr.kind as usize) {
            *slot = Some(attr.payload);
        }
    }
    Ok(table)
}

/// Attributes of an nfnetlink message (payload after the `nfgenmsg` header).
pub(crate) fn nfnl_attrs(payload: &[u8]) -> Result<&[u8], DecodeError> {
    payload
        .get(NFGEN_HDR_LEN..)
        .ok_or_else(|| DecodeError("message shorter than its nfgenmsg header".into()))
}

pub(crate) fn be_u32(payload: &[u8]) -> Result<u32, DecodeError> {
    <[u8; 4]>::try_from(payload)
        .map(u32::from_be_bytes)
        .map_err(|_| DecodeError(format!("expected 4-byte integer, got {}", payload.len())))
}

pub(crate) fn be_u64(payload: &[u8]) -> Result<u64, DecodeError> {
    <[u8; 8]>::try_from(payload)
        .map(u64::from_be_bytes)
        .map_err(|_| DecodeError(format!("expected 8-byte integer, got {}", payload.len())))
}

/// A NUL-terminated string attribute (the NUL is optional).
pub(crate) fn nl_str(payload: &[u8]) -> Result<&str, DecodeError> {
    let end = payload
        .iter()
        .position(|&b| b == 0)
        .unwrap_or(payload.len());
    std::str::from_utf8(&payload[..end]).map_err(|_| DecodeError("string is not UTF-8".into()))
}

/// The ruleset generation id from a `NEWGEN` reply payload.
pub(crate) fn parse_gen_id(payload: &[u8]) -> Result<u32, DecodeError> {
    let table = attr_table::<2>(nfnl_attrs(payload)?)?;
    table[crate::proto::NFTA_GEN_ID as usize]
        .map(be_u32)
        .transpose()?
        .ok_or_else(|| DecodeError("generation reply without NFTA_GEN_ID".into()))
}

/// A decoded `NLMSG_ERROR`: `errno` is positive (0 = plain ack).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AckInfo {
    /// Sequence number of the request this answers.
    pub(crate) seq: u32,
    pub(crate) errno: i32,
    /// Extended-ack text, when the kernel gave one.
    pub(crate) message: Option<String>,
}

/// Decodes an `NLMSG_ERROR` message: `i32` error, the echoed request header (or the whole
/// request unless capped), then optional extended-ack TLVs.
pub(crate) fn parse_ack(msg: &NlMessage<'_>) -> Result<AckInfo, DecodeError> {
    let payload = msg.payload;
    let error = payload
        .get(0..4)
        .map(|raw| i32::from_ne_bytes([raw[0], raw[1], raw[2], raw[3]]))
        .ok_or_else(|| DecodeError("error message without errno".into()))?;
    let echoed_len = read_u32_ne(payload, 4).unwrap_or(0) as usize;
    let echoed_seq = read_u32_ne(payload, 12).unwrap_or(msg.seq);
    let mut message = None;
    if msg.flags & NLM_F_ACK_TLVS != 0 {
        let echoed = if msg.flags & NLM_F_CAPPED != 0 {
            NLMSG_HDR_LEN
        } else {
            echoed_len.max(NLMSG_HDR_LEN)
        };
        if let Some(tlvs) = payload.get(4 + align4(echoed)..) {
            for attr in attrs(tlvs).flatten() {
                if attr.kind == NLMSGERR_ATTR_MSG {
                    let text = nl_str(attr.payload).unwrap_or("");
                    let cut: String = text.chars().take(MAX_EXTACK_MSG).collect();
                    if !cut.is_empty() {
                        message = Some(cut);
                    }
                }
            }
        }
    }
    Ok(AckInfo {
        seq: echoed_seq,
        errno: error.checked_neg().unwrap_or(i32::MAX).max(0),
        message,
    })
}

/// Outcome of one transaction, as reported by the kernel.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct BatchOutcome {
    /// Errors for individual command messages, by command index (0-based).
    pub(crate) command_errors: Vec<(usize, AckInfo)>,
    /// An error reported against the batch itself (begin/end message): the whole transaction
    /// was refused, e.g. a commit failure or out of memory.
    pub(crate) batch_error: Option<AckInfo>,
}

impl BatchOutcome {
    pub(crate) fn is_success(&self) -> bool {
        self.command_errors.is_empty() && self.batch_error.is_none()
    }
}

/// Matches the acks of one transaction to its command messages.
#[derive(Debug)]
pub(crate) struct AckTracker {
    base_seq: u32,
    commands: usize,
    acked: Vec<bool>,
    acked_count: usize,
    outcome: BatchOutcome,
}

impl AckTracker {
    pub(crate) fn new(batch: &EncodedBatch) -> Self {
        Self {
            base_seq: batch.base_seq,
            commands: batch.commands,
            acked: vec![false; batch.commands],
            acked_count: 0,
            outcome: BatchOutcome::default(),
        }
    }

    /// Feeds one received datagram. Messages for other sequence numbers (stale replies of an
    /// earlier request) are ignored.
    pub(crate) fn feed(&mut self, datagram: &[u8]) -> Result<(), DecodeError> {
        for msg in parse_messages(datagram)? {
            if msg.nlmsg_type != NLMSG_ERROR {
                continue;
            }
            let ack = parse_ack(&msg)?;
            let offset = ack.seq.wrapping_sub(self.base_seq) as usize;
            if offset == 0 || offset == self.commands + 1 {
                if ack.errno != 0 && self.outcome.batch_error.is_none() {
                    self.outcome.batch_error = Some(ack);
                }
            } else if (1..=self.commands).contains(&offset) {
                let index = offset - 1;
                if !self.acked[index] {
                    self.acked[index] = true;
                    self.acked_count += 1;
                    if ack.errno != 0 {
                        self.outcome.command_errors.push((index, ack));
                    }
                }
            }
        }
        Ok(())
    }

    /// Every command has been acknowledged.
    pub(crate) fn is_complete(&self) -> bool {
        self.acked_count == self.commands
    }

    /// The batch as a whole failed; per-command acks may never arrive.
    pub(crate) fn batch_failed(&self) -> bool {
        self.outcome.batch_error.is_some()
    }

    pub(crate) fn missing(&self) -> usize {
        self.commands - self.acked_count
    }

    pub(crate) fn into_outcome(mut self) -> BatchOutcome {
        self.outcome.command_errors.sort_by_key(|(index, _)| *index);
        self.outcome
    }
}

/// Progress of a dump after feeding a datagram.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum DumpProgress {
    /// More datagrams follow.
    More,
    /// `NLMSG_DONE` seen.
    Done,
    /// The kernel answered with an error.
    Failed(AckInfo),
    /// The ruleset changed during the dump; it must be restarted.
    Interrupted,
}

/// Collects the payloads of a dump's multipart reply.
#[derive(Debug)]
pub(crate) struct DumpCollector {
    seq: u32,
    max_messages: usize,
    interrupted: bool,
    pub(crate) payloads: Vec<Vec<u8>>,
}

impl DumpCollector {
    pub(crate) fn new(seq: u32, max_messages: usize) -> Self {
        Self {
            seq,
            max_messages,
            interrupted: false,
            payloads: Vec::new(),
        }
    }

    /// Feeds one datagram. An interruption (`NLM_F_DUMP_INTR` on any message) is reported
    /// once the dump is complete, so no stale part of it is left in the socket.
    pub(crate) fn feed(&mut self, datagram: &[u8]) -> Result<DumpProgress, DecodeError> {
        for msg in parse_messages(datagram)? {
            if msg.seq != self.seq {
                continue;
            }
            if msg.flags & crate::proto::NLM_F_DUMP_INTR != 0 {
                self.interrupted = true;
            }
            match msg.nlmsg_type {
                NLMSG_DONE => {
                    return Ok(if self.interrupted {
                        DumpProgress::Interrupted
                    } else {
                        DumpProgress::Done
                    });
                }
                NLMSG_ERROR => {
                    let ack = parse_ack(&msg)?;
                    if ack.errno != 0 {
                        return Ok(DumpProgress::Failed(ack));
                    }
                    // A plain ack ends a non-dump request sent with NLM_F_ACK.
                    return Ok(DumpProgress::Done);
                }
                NLMSG_NOOP => {}
                NLMSG_OVERRUN => return Err(DecodeError("netlink overrun during dump".into())),
                _ => {
                    if self.payloads.len() >= self.max_messages {
                        return Err(DecodeError(format!(
                            "dump exceeded {} messages",
                            self.max_messages
                        )));
                    }
                    self.payloads.push(msg.payload.to_vec());
                }
            }
        }
        Ok(DumpProgress::More)
    }
}

/// Encodes a single-object request answered by one message and an ack (e.g. `GETGEN`).
pub(crate) fn encode_get_request(msg: u16, seq: u32) -> Result<Vec<u8>, EncodeError> {
    let mut writer = NlWriter::new();
    let start = writer.begin_message(
        crate::proto::nft_type(msg),
        NLM_F_REQUEST | NLM_F_ACK,
        seq,
        NFPROTO_UNSPEC,
        0,
    );
    writer.end_message(start)?;
    Ok(writer.into_bytes())
}

/// Encodes a dump request (`NLM_F_DUMP`) for `msg` with attributes written by `attrs_fn`.
pub(crate) fn encode_dump_request(
    msg: u16,
    family: u8,
    seq: u32,
    attrs_fn: impl FnOnce(&mut NlWriter) -> Result<(), EncodeError>,
) -> Result<Vec<u8>, EncodeError> {
    let mut writer = NlWriter::new();
    let start = writer.begin_message(
        crate::proto::nft_type(msg),
        NLM_F_REQUEST | crate::proto::NLM_F_DUMP,
        seq,
        family,
        0,
    );
    attrs_fn(&mut writer)?;
    writer.end_message(start)?;
    Ok(writer.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::*;

    fn ne16(v: u16) -> [u8; 2] {
        v.to_ne_bytes()
    }

    #[test]
    fn attribute_padding_and_length() {
        let mut w = NlWriter::new();
        w.attr_str(7, "ban4").unwrap(); // 4 + 5 bytes -> padded to 12
        w.attr_u32_be(3, 0x10).unwrap();
        let bytes = w.into_bytes();
        let mut expected = Vec::new();
        expected.extend_from_slice(&ne16(9));
        expected.extend_from_slice(&ne16(7));
        expected.extend_from_slice(b"ban4\0\0\0\0");
        expected.extend_from_slice(&ne16(8));
        expected.extend_from_slice(&ne16(3));
        expected.extend_from_slice(&[0, 0, 0, 0x10]);
        assert_eq!(bytes, expected);
    }

    #[test]
    fn nested_attributes_set_flag_and_cover_children() {
        let mut w = NlWriter::new();
        let outer = w.begin_nested(3);
        let inner = w.begin_nested(1);
        w.attr_bytes(1, &[192, 0, 2, 1]).unwrap();
        w.end_nested(inner).unwrap();
        w.attr_u64_be(4, 3_600_000).unwrap();
        w.end_nested(outer).unwrap();
        let bytes = w.into_bytes();
        // outer: 4 hdr + inner(4 + 8) + timeout(12) = 28
        assert_eq!(
            &bytes[0..4],
            &[ne16(28), ne16(3 | NLA_F_NESTED)].concat()[..]
        );
        assert_eq!(
            &bytes[4..8],
            &[ne16(12), ne16(1 | NLA_F_NESTED)].concat()[..]
        );
        assert_eq!(
            &bytes[8..16],
            &[ne16(8), ne16(1)]
                .concat()
                .iter()
                .chain(&[192, 0, 2, 1])
                .copied()
                .collect::<Vec<u8>>()[..]
        );
        assert_eq!(&bytes[16..20], &[ne16(12), ne16(4)].concat()[..]);
        assert_eq!(&bytes[20..28], &3_600_000u64.to_be_bytes());
        // Decoding sees the same structure, with the nested flag masked off.
        let top: Vec<_> = attrs(&bytes).collect::<Result<_, _>>().unwrap();
        assert_eq!(top.len(), 1);
        assert_eq!(top[0].kind, 3);
        let children: Vec<_> = attrs(top[0].payload).collect::<Result<_, _>>().unwrap();
        assert_eq!(children.len(), 2);
        assert_eq!(children[1].kind, 4);
    }

    #[test]
    fn oversized_attribute_and_nest_are_rejected() {
        let mut w = NlWriter::new();
        let err = w.attr_bytes(1, &vec![0u8; NLA_MAX_LEN]).unwrap_err();
        assert!(matches!(err, EncodeError::AttributeTooLong { kind: 1, .. }));
        let mut w = NlWriter::new();
        let nest = w.begin_nested(3);
        for _ in 0..2 {
            w.attr_bytes(1, &vec![0u8; 40_000]).unwrap();
        }
        assert!(w.nested_len(nest) > NLA_MAX_LEN);
        assert!(w.end_nested(nest).is_err());
    }

    #[test]
    fn batch_framing_sequences_and_res_id() {
        let mut batch = BatchBuilder::new(100);
        let cmd = batch.begin_command(NFT_MSG_NEWTABLE, NFPROTO_INET, NLM_F_CREATE);
        batch.writer().attr_str(NFTA_TABLE_NAME, "t").unwrap();
        batch.end_command(cmd).unwrap();
        let encoded = batch.finish().unwrap();
        assert_eq!(encoded.commands, 1);
        assert_eq!(encoded.seq_span(), 3);
        let msgs = parse_messages(&encoded.bytes).unwrap();
        assert_eq!(msgs.len(), 3);
        // begin: type 0x10, seq 100, nfgenmsg AF_UNSPEC, version 0, res_id big-endian 10
        assert_eq!(msgs[0].nlmsg_type, NFNL_MSG_BATCH_BEGIN);
        assert_eq!(msgs[0].seq, 100);
        assert_eq!(msgs[0].flags, NLM_F_REQUEST);
        assert_eq!(msgs[0].payload, &[0, 0, 0, 10]);
        // command: subsystem 10 in the high byte, ack requested, family inet
        assert_eq!(msgs[1].nlmsg_type, 0x0a00);
        assert_eq!(msgs[1].seq, 101);
        assert_eq!(msgs[1].flags, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE);
        assert_eq!(&msgs[1].payload[..4], &[NFPROTO_INET, 0, 0, 0]);
        assert_eq!(&msgs[1].payload[4..], &[6, 0, 1, 0, b't', 0, 0, 0]);
        assert_eq!(msgs[2].nlmsg_type, NFNL_MSG_BATCH_END);
        assert_eq!(msgs[2].seq, 102);
        assert_eq!(msgs[2].payload, &[0, 0, 0, 10]);
        // Exact bytes of the begin message (little-endian host assumed by the ABI test below).
        let mut begin = Vec::new();
        begin.extend_from_slice(&20u32.to_ne_bytes());
        begin.extend_from_slice(&0x10u16.to_ne_bytes());
        begin.extend_from_slice(&1u16.to_ne_bytes());
        begin.extend_from_slice(&100u32.to_ne_bytes());
        begin.extend_from_slice(&0u32.to_ne_bytes());
        begin.extend_from_slice(&[0, 0, 0, 10]);
        assert_eq!(&encoded.bytes[..20], &begin[..]);
    }

    #[test]
    fn abandoned_command_is_removed() {
        let mut batch = BatchBuilder::new(1);
        let before = batch.len();
        let cmd = batch.begin_command(NFT_MSG_NEWTABLE, NFPROTO_INET, 0);
        batch.writer().attr_str(NFTA_TABLE_NAME, "x").unwrap();
        batch.abandon_command(cmd);
        assert_eq!(batch.len(), before);
        assert_eq!(batch.command_count(), 0);
        assert_eq!(batch.finish().unwrap().commands, 0);
    }

    fn error_msg(seq: u32, errno: i32, extack: Option<&str>) -> Vec<u8> {
        let mut payload = Vec::new();
        payload.extend_from_slice(&(-errno).to_ne_bytes());
        // echoed header (capped)
        payload.extend_from_slice(&40u32.to_ne_bytes());
        payload.extend_from_slice(&0x0a0cu16.to_ne_bytes());
        payload.extend_from_slice(&5u16.to_ne_bytes());
        payload.extend_from_slice(&seq.to_ne_bytes());
        payload.extend_from_slice(&0u32.to_ne_bytes());
        let mut flags = NLM_F_CAPPED;
        if let Some(text) = extack {
            flags |= NLM_F_ACK_TLVS;
            let mut w = NlWriter::new();
            w.attr_str(NLMSGERR_ATTR_MSG, text).unwrap();
            payload.extend_from_slice(w.as_bytes());
        }
        let mut msg = Vec::new();
        msg.extend_from_slice(&((16 + payload.len()) as u32).to_ne_bytes());
        msg.extend_from_slice(&NLMSG_ERROR.to_ne_bytes());
        msg.extend_from_slice(&flags.to_ne_bytes());
        msg.extend_from_slice(&seq.to_ne_bytes());
        msg.extend_from_slice(&0u32.to_ne_bytes());
        msg.extend_from_slice(&payload);
        msg
    }

    #[test]
    fn ack_tracker_matches_sequences() {
        let mut batch = BatchBuilder::new(u32::MAX - 1); // wraps around
        for _ in 0..3 {
            let cmd = batch.begin_command(NFT_MSG_NEWSETELEM, NFPROTO_INET, 0);
            batch.end_command(cmd).unwrap();
        }
        let encoded = batch.finish().unwrap();
        let mut tracker = AckTracker::new(&encoded);
        tracker.feed(&error_msg(u32::MAX, 0, None)).unwrap();
        tracker.feed(&error_msg(0, 17, Some("overlap"))).unwrap();
        tracker.feed(&error_msg(12345, 2, None)).unwrap(); // stale, ignored
        assert!(!tracker.is_complete());
        assert_eq!(tracker.missing(), 1);
        tracker.feed(&error_msg(1, 0, None)).unwrap();
        assert!(tracker.is_complete());
        let outcome = tracker.into_outcome();
        assert_eq!(outcome.command_errors.len(), 1);
        assert_eq!(outcome.command_errors[0].0, 1);
        assert_eq!(outcome.command_errors[0].1.errno, 17);
        assert_eq!(
            outcome.command_errors[0].1.message.as_deref(),
            Some("overlap")
        );
        assert!(outcome.batch_error.is_none());
    }

    #[test]
    fn batch_level_error_is_recorded() {
        let mut batch = BatchBuilder::new(10);
        let cmd = batch.begin_command(NFT_MSG_NEWSETELEM, NFPROTO_INET, 0);
        batch.end_command(cmd).unwrap();
        let encoded = batch.finish().unwrap();
        let mut tracker = AckTracker::new(&encoded);
        tracker.feed(&error_msg(10, 12, None)).unwrap();
        assert!(tracker.batch_failed());
        assert!(!tracker.is_complete());
        assert_eq!(tracker.into_outcome().batch_error.unwrap().errno, 12);
    }

    #[test]
    fn malformed_datagrams_are_errors_not_panics() {
        assert!(parse_messages(&[1, 2, 3]).is_err());
        let mut short = error_msg(1, 0, None);
        short[0] = 200; // claims more than present
        assert!(parse_messages(&short).is_err());
        let bad_attr = [2u8, 0, 1, 0]; // length 2 < header
        assert!(attrs(&bad_attr).next().unwrap().is_err());
        let truncated_attr = [40u8, 0, 1, 0, 0, 0];
        assert!(attrs(&truncated_attr).next().unwrap().is_err());
        assert!(be_u32(&[1, 2]).is_err());
        assert!(nfnl_attrs(&[1]).is_err());
    }

    #[test]
    fn dump_collector_stops_on_done_and_bounds_messages() {
        let mut w = NlWriter::new();
        for seq in [7u32, 8, 7] {
            let m = w.begin_message(nft_type(NFT_MSG_NEWSETELEM), NLM_F_MULTI, seq, 1, 0);
            w.end_message(m).unwrap();
        }
        let mut collector = DumpCollector::new(7, 10);
        assert_eq!(collector.feed(w.as_bytes()).unwrap(), DumpProgress::More);
        assert_eq!(collector.payloads.len(), 2);
        let mut done = NlWriter::new();
        let m = done.begin_message(NLMSG_DONE, NLM_F_MULTI, 7, 0, 0);
        done.end_message(m).unwrap();
        assert_eq!(collector.feed(done.as_bytes()).unwrap(), DumpProgress::Done);

        let mut bounded = DumpCollector::new(7, 1);
        assert!(bounded.feed(w.as_bytes()).is_err());

        let mut failing = DumpCollector::new(3, 10);
        match failing.feed(&error_msg(3, 2, None)).unwrap() {
            DumpProgress::Failed(ack) => assert_eq!(ack.errno, 2),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn plain_ack_ends_a_get_request() {
        let bytes = encode_get_request(NFT_MSG_GETGEN, 4).unwrap();
        let msgs = parse_messages(&bytes).unwrap();
        assert_eq!(msgs[0].nlmsg_type, 0x0a10);
        assert_eq!(msgs[0].flags, NLM_F_REQUEST | NLM_F_ACK);
        let mut w = NlWriter::new();
        let m = w.begin_message(nft_type(15), 0, 4, 0, 0);
        w.attr_u32_be(NFTA_GEN_ID, 77).unwrap();
        w.end_message(m).unwrap();
        let mut collector = DumpCollector::new(4, 10);
        assert_eq!(collector.feed(w.as_bytes()).unwrap(), DumpProgress::More);
        assert_eq!(
            collector.feed(&error_msg(4, 0, None)).unwrap(),
            DumpProgress::Done
        );
        assert_eq!(collector.payloads.len(), 1);
        assert_eq!(parse_gen_id(&collector.payloads[0]).unwrap(), 77);
        assert!(parse_gen_id(&[0, 0, 0, 0]).is_err());
    }

    #[test]
    fn interrupted_dump_is_reported() {
        let mut w = NlWriter::new();
        let m = w.begin_message(
            nft_type(NFT_MSG_NEWSETELEM),
            NLM_F_MULTI | NLM_F_DUMP_INTR,
            5,
            1,
            0,
        );
        w.end_message(m).unwrap();
        let mut collector = DumpCollector::new(5, 10);
        assert_eq!(collector.feed(w.as_bytes()).unwrap(), DumpProgress::More);
        let mut done = NlWriter::new();
        let m = done.begin_message(NLMSG_DONE, NLM_F_MULTI, 5, 0, 0);
        done.end_message(m).unwrap();
        assert_eq!(
            collector.feed(done.as_bytes()).unwrap(),
            DumpProgress::Interrupted
        );
    }

    #[test]
    fn dump_request_has_dump_flags() {
        let bytes = encode_dump_request(NFT_MSG_GETSETELEM, NFPROTO_INET, 9, |w| {
            w.attr_str(NFTA_SET_ELEM_LIST_TABLE, "clawguard")
        })
        .unwrap();
        let msgs = parse_messages(&bytes).unwrap();
        assert_eq!(msgs.len(), 1);
        assert_eq!(msgs[0].nlmsg_type, 0x0a0d);
        assert_eq!(msgs[0].flags, NLM_F_REQUEST | NLM_F_DUMP);
        assert_eq!(msgs[0].seq, 9);
        assert_eq!(bytes.len() % 4, 0);
    }
}
