//! Prefix bans keep the host reachable (issue 8, item 8): with
//! `ipv6_prefix = 64` and `ipv4_prefix = 24`, an attacker inside the host's
//! own networks gets a narrower key, so after the ban is in real nftables the
//! host still reaches its own addresses and its neighbours still get through,
//! while the attacker does not.
//!
//! Runs in two throwaway network namespaces joined by a veth pair. Needs root,
//! `ip` and `nft`; otherwise it prints why and returns, unless
//! `CLAWGUARD_REQUIRE_PRIVILEGED=1`, which turns the skip into a failure.

use std::net::{IpAddr, TcpListener};
use std::time::{Duration, Instant};

use clawguard_ban::{Decision, Engine, JailPolicy, Limits};
use clawguard_nft::{BanOp, Firewall};
use clawguard_testkit::{Netns, is_root, skip_or_fail, tool_works, try_connect};

/// The namespace's own addresses, gathered the way the daemon gathers them.
fn own_addresses() -> Vec<IpAddr> {
    nix::ifaddrs::getifaddrs()
        .expect("getifaddrs")
        .filter_map(|ifaddr| {
            let address = ifaddr.address?;
            if let Some(v4) = address.as_sockaddr_in() {
                Some(IpAddr::V4(v4.ip()))
            } else {
                address.as_sockaddr_in6().map(|v6| IpAddr::V6(v6.ip()))
            }
        })
        .collect()
}

fn ip(s: &str) -> IpAddr {
    s.parse().expect("test address")
}

#[test]
fn a_prefix_ban_inside_the_hosts_own_networks_keeps_the_host_reachable() {
    if !tool_works("nft", "--version") {
        skip_or_fail("`nft` is not installed");
        return;
    }
    if !is_root() {
        skip_or_fail("not running as root");
        return;
    }
    let Some(host) = Netns::create_or_skip("pfx") else {
        return;
    };
    let Some(peer) = Netns::create_or_skip("pfx") else {
        return;
    };
    host.veth("cgh0", &peer, "cgp0");
    host.add_address("cgh0", "192.0.2.1/24");
    host.add_address("cgh0", "2001:db8:5:1::1/64");
    // A neighbour and an attacker in each of the host's networks.
    peer.add_address("cgp0", "192.0.2.2/24");
    peer.add_address("cgp0", "192.0.2.200/24");
    peer.add_address("cgp0", "2001:db8:5:1::2/64");
    peer.add_address("cgp0", "2001:db8:5:1:8000::bad/64");
    host.link_up("cgh0");
    peer.link_up("cgp0");

    let (v4_listener, v6_listener) = host.run(|| {
        let mut fw = Firewall::connect().expect("netlink");
        fw.install().expect("install table");
        (
            TcpListener::bind("192.0.2.1:0").expect("listen v4"),
            TcpListener::bind("[2001:db8:5:1::1]:0").expect("listen v6"),
        )
    });
    let v4_dst = v4_listener.local_addr().expect("addr");
    let v6_dst = v6_listener.local_addr().expect("addr");
    let dst = move |src: &IpAddr| if src.is_ipv4() { v4_dst } else { v6_dst };
    let from_peer: [IpAddr; 4] = [
        ip("192.0.2.2"),
        ip("192.0.2.200"),
        ip("2001:db8:5:1::2"),
        ip("2001:db8:5:1:8000::bad"),
    ];
    let from_host: [IpAddr; 2] = [ip("192.0.2.1"), ip("2001:db8:5:1::1")];
    let probe = |label: &str| -> (Vec<bool>, Vec<bool>) {
        let peer_side = peer.run(move || {
            from_peer
                .iter()
                .map(|src| try_connect(*src, dst(src)))
                .collect::<Vec<bool>>()
        });
        let host_side = host.run(move || {
            from_host
                .iter()
                .map(|src| try_connect(*src, dst(src)))
                .collect::<Vec<bool>>()
        });
        eprintln!("{label}: peer {peer_side:?} host {host_side:?}");
        (peer_side, host_side)
    };
    let all_through = (vec![true; 4], vec![true; 2]);
    // The first IPv6 handshakes after link-up can be lost to neighbour
    // discovery; wait, bounded, until everything connects.
    let ready_by = Instant::now() + Duration::from_secs(10);
    while probe("warm-up") != all_through {
        assert!(Instant::now() < ready_by, "veth pair never became usable");
        std::thread::sleep(Duration::from_millis(100));
    }

    // The ban core decides with the host's own addresses as input, and the
    // orders go into the kernel as the daemon applies them.
    let keys = host.run(|| {
        let mut policy = JailPolicy::new("sshd");
        policy.max_retry = 1;
        policy.ipv4_prefix = 24;
        policy.ipv6_prefix = 64;
        let mut engine = Engine::new(vec![policy], Limits::default(), 1).expect("engine");
        engine.set_own_addresses(own_addresses());
        let now = 1_800_000_000_000;
        let mut ops = Vec::new();
        let mut keys = Vec::new();
        for attacker in ["192.0.2.200", "2001:db8:5:1:8000::bad"] {
            match engine.failure("sshd", ip(attacker), 1, now, now) {
                Ok(Decision::Ban(order)) => {
                    keys.push(order.key.to_string());
                    ops.push(BanOp::Add {
                        net: order.key,
                        timeout_ms: Some(60_000),
                    });
                }
                other => panic!("{attacker}: expected a ban, got {other:?}"),
            }
        }
        let mut fw = Firewall::connect().expect("netlink");
        fw.apply(&ops).expect("apply bans");
        keys
    });
    assert_eq!(
        probe("banned"),
        (vec![true, false, true, false], vec![true, true]),
        "only the attackers are cut off; the host and its neighbours still connect ({keys:?})"
    );
    assert_eq!(keys, ["192.0.2.128/25", "2001:db8:5:1:8000::/65"]);
    drop((v4_listener, v6_listener));
}
