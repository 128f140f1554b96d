//! clawguard's event bus and durable event journal.
//!
//! Every engine sends its events into one bounded [`Bus`]; one [`Writer`]
//! thread appends them to an SQLite file in the state directory in batched,
//! durable transactions and gives each its sequence number. Consumers
//! (alerting, `clawguard events`, anything a user attaches) read the
//! [`Journal`] by cursor and acknowledge what they handled, so a slow or dead
//! consumer never holds up detection or banning, and a crash loses nothing
//! that was committed. Retention is bounded by age, count and bytes; an event
//! some consumer had not acknowledged is never dropped silently.

pub mod bus;
pub mod store;
pub mod writer;

pub use bus::{BUS_CAPACITY, Bus, Closed, Envelope, OUTBOX_CAPACITY, Outbox};
pub use store::{
    Consumer, JOURNAL_FILE, Journal, JournalError, PAGE_SIZE, Pending, Retention, Trimmed,
};
pub use writer::{MAX_BATCH, Subscriber, Writer, WriterFaults, WriterStats, start};
