//! systemd readiness and watchdog notifications (`Type=notify`, `WatchdogSec=`).
//!
//! Implements the sd_notify datagram protocol directly: one line-oriented
//! message to the socket named by `$NOTIFY_SOCKET`. Outside systemd this is a
//! no-op.

use std::os::linux::net::SocketAddrExt;
use std::os::unix::net::{SocketAddr, UnixDatagram};
use std::time::Duration;

/// A connection to systemd's notification socket, if there is one.
pub struct Notifier {
    socket: Option<(UnixDatagram, SocketAddr)>,
}

impl Notifier {
    /// Reads `$NOTIFY_SOCKET`; absent or unusable means notifications are off.
    pub fn from_env() -> Notifier {
        let socket = std::env::var_os("NOTIFY_SOCKET").and_then(|path| {
            let path = path.to_str()?.to_owned();
            let addr = match path.strip_prefix('@') {
                Some(name) => SocketAddr::from_abstract_name(name.as_bytes()).ok()?,
                None => SocketAddr::from_pathname(&path).ok()?,
            };
            let socket = UnixDatagram::unbound().ok()?;
            Some((socket, addr))
        });
        Notifier { socket }
    }

    fn send(&self, message: &str) {
        if let Some((socket, addr)) = &self.socket
            && let Err(e) = socket.send_to_addr(message.as_bytes(), addr)
        {
            tracing::warn!(error = %e, "systemd notification failed");
        }
    }

    /// Tell systemd start-up is complete.
    pub fn ready(&self) {
        self.send("READY=1\nSTATUS=running");
    }

    /// Tell systemd a reload started / finished.
    pub fn reloading(&self) {
        self.send("RELOADING=1");
    }

    /// Tell systemd the reload is over.
    pub fn reloaded(&self) {
        self.send("READY=1");
    }

    /// Tell systemd we are shutting down.
    pub fn stopping(&self) {
        self.send("STOPPING=1");
    }

    /// Keep the watchdog fed.
    pub fn watchdog(&self) {
        self.send("WATCHDOG=1");
    }

    /// Free-form status line shown by `systemctl status`.
    pub fn status(&self, text: &str) {
        self.send(&format!("STATUS={}", text.replace('\n', " ")));
    }

    /// How often to feed the watchdog: half of `$WATCHDOG_USEC`, if set.
    pub fn watchdog_interval() -> Option<Duration> {
        let usec: u64 = std::env::var("WATCHDOG_USEC").ok()?.parse().ok()?;
        (usec > 0).then(|| Duration::from_micros(usec / 2))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_reach_the_socket() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notify.sock");
        let server = UnixDatagram::bind(&path).unwrap();
        server
            .set_read_timeout(Some(Duration::from_secs(2)))
            .unwrap();
        let notifier = Notifier {
            socket: Some((
                UnixDatagram::unbound().unwrap(),
                SocketAddr::from_pathname(&path).unwrap(),
            )),
        };
        notifier.ready();
        let mut buf = [0u8; 128];
        let n = server.recv(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"READY=1\nSTATUS=running");
        notifier.status("two\nlines");
        let n = server.recv(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"STATUS=two lines");
    }
}
