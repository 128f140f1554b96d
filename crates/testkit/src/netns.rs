//! Throwaway network namespaces for tests that touch nftables or send
//! traffic: each is named uniquely for this process, and deleted on drop,
//! so also when an assertion fails.

use std::fs::File;
use std::net::{IpAddr, SocketAddr};
use std::os::fd::AsRawFd;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use nix::sched::{CloneFlags, setns};

use crate::{output_ok, skip_or_fail};

static NEXT_NETNS: AtomicUsize = AtomicUsize::new(0);

/// A network namespace that is deleted on drop.
pub struct Netns {
    name: String,
}

impl Netns {
    /// Creates `cg-<tag>-<pid>-<n>` (unique within this process and among
    /// concurrent test processes) with `lo` up, or says why it could not.
    pub fn create(tag: &str) -> Result<Netns, String> {
        let name = format!(
            "cg-{tag}-{}-{}",
            std::process::id(),
            NEXT_NETNS.fetch_add(1, Ordering::Relaxed)
        );
        // A leftover of an earlier process that had this pid.
        let _ = Command::new("ip").args(["netns", "del", &name]).output();
        match Command::new("ip").args(["netns", "add", &name]).output() {
            Ok(o) if o.status.success() => {}
            Ok(o) => {
                return Err(format!(
                    "`ip netns add` failed: {}",
                    String::from_utf8_lossy(&o.stderr)
                ));
            }
            Err(e) => return Err(format!("cannot run ip: {e}")),
        }
        let ns = Netns { name };
        ns.ip(&["link", "set", "lo", "up"]);
        Ok(ns)
    }

    /// `create`, or `None` after `skip_or_fail` with the reason.
    #[track_caller]
    pub fn create_or_skip(tag: &str) -> Option<Netns> {
        Self::create(tag).map_err(skip_or_fail).ok()
    }

    /// `create`, panicking when the namespace cannot be made.
    #[track_caller]
    pub fn create_or_panic(tag: &str) -> Netns {
        Self::create(tag).unwrap_or_else(|e| panic!("{e}"))
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// `ip -n NAME args…`; panics with its stderr on failure.
    #[track_caller]
    pub fn ip(&self, args: &[&str]) {
        output_ok(Command::new("ip").args(["-n", &self.name]).args(args));
    }

    /// A command that runs `program` inside the namespace
    /// (`ip netns exec NAME program`), which execs it in place.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut command = Command::new("ip");
        command.args(["netns", "exec", &self.name]).arg(program);
        command
    }

    /// Runs `cmd` inside the namespace; panics with its stderr on failure.
    #[track_caller]
    pub fn exec(&self, cmd: &[&str]) -> Output {
        output_ok(self.command(cmd[0]).args(&cmd[1..]))
    }

    /// Runs `f` in a new thread that has joined this namespace.
    pub fn run<T: Send + 'static>(&self, f: impl FnOnce() -> T + Send + 'static) -> T {
        let path = format!("/run/netns/{}", self.name);
        std::thread::spawn(move || {
            let file = File::open(&path).expect("open netns file");
            setns(&file, CloneFlags::CLONE_NEWNET).expect("setns");
            f()
        })
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    }

    /// A veth pair: `local` in this namespace, `remote` in `peer`, both down
    /// and without addresses.
    #[track_caller]
    pub fn veth(&self, local: &str, peer: &Netns, remote: &str) {
        self.ip(&[
            "link", "add", local, "type", "veth", "peer", "name", remote, "netns", &peer.name,
        ]);
    }

    /// `ip addr add CIDR dev DEV` (IPv6 without duplicate address detection,
    /// so the address is usable at once).
    #[track_caller]
    pub fn add_address(&self, dev: &str, cidr: &str) {
        if cidr.contains(':') {
            self.ip(&["addr", "add", cidr, "dev", dev, "nodad"]);
        } else {
            self.ip(&["addr", "add", cidr, "dev", dev]);
        }
    }

    #[track_caller]
    pub fn link_up(&self, dev: &str) {
        self.ip(&["link", "set", dev, "up"]);
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        let _ = Command::new("ip")
            .args(["netns", "del", &self.name])
            .output();
    }
}

/// TCP connect from `src` to `dst`, bounded by 500 ms; true if the handshake
/// completed. Call it inside `Netns::run` of the source's namespace.
pub fn try_connect(src: IpAddr, dst: SocketAddr) -> bool {
    use nix::sys::socket::{
        AddressFamily, SockFlag, SockType, SockaddrStorage, bind, connect, setsockopt, socket,
        sockopt,
    };
    let family = if src.is_ipv4() {
        AddressFamily::Inet
    } else {
        AddressFamily::Inet6
    };
    let fd = socket(family, SockType::Stream, SockFlag::SOCK_CLOEXEC, None).expect("socket");
    bind(
        fd.as_raw_fd(),
        &SockaddrStorage::from(SocketAddr::new(src, 0)),
    )
    .expect("bind source");
    // A blocking connect() gives up after SO_SNDTIMEO.
    let timeout = nix::sys::time::TimeVal::new(0, 500_000);
    setsockopt(&fd, sockopt::SendTimeout, &timeout).expect("SO_SNDTIMEO");
    connect(fd.as_raw_fd(), &SockaddrStorage::from(dst)).is_ok()
}
