//! Benchmark: install the clawguard ruleset in the current network namespace, apply N timed
//! host bans in one `apply()`, list them, then delete the table (unless `--keep`).
//!
//! Addresses: the 768 IPv4 documentation addresses (192.0.2.0/24, 198.51.100.0/24,
//! 203.0.113.0/24) first, then distinct IPv6 hosts from 2001:db8::/32. Set elements are never
//! contacted. Run as root, ideally inside a scratch namespace:
//! `ip netns add bench && ip netns exec bench cargo run --example bulk_apply -- 100000`.
//!
//! `--nets M` also bans M IPv6 /64 prefixes from 2001:db8::/32 (interval set) in the same
//! apply. After the bulk apply, the latency of one more host ban and one more /64 ban is
//! measured (each a separate `apply()` of a single op).
//!
//! Output (one line, key=value, times in ms with 0.1 ms resolution):
//! `bans nets install_ms apply_ms single_host_ms single_net_ms list_ms listed remove_ms`.

use std::net::{Ipv4Addr, Ipv6Addr};
use std::process::ExitCode;
use std::time::Instant;

use clawguard_nft::{BanOp, Firewall};
use ipnet::{IpNet, Ipv4Net, Ipv6Net};

const DOC_V4: [[u8; 3]; 3] = [[192, 0, 2], [198, 51, 100], [203, 0, 113]];
const DEFAULT_BANS: usize = 100_000;
/// 2001:db8::/32 has 2^96 hosts; cap the count far below that.
const MAX_BANS: usize = 10_000_000;

fn ops(count: usize) -> Vec<BanOp> {
    let v4 = DOC_V4
        .iter()
        .flat_map(|p| (0..=255u8).map(move |h| Ipv4Addr::new(p[0], p[1], p[2], h)))
        .map(|a| IpNet::V4(Ipv4Net::from(a)));
    let v6 = (1u128..).map(|i| IpNet::V6(Ipv6Net::from(Ipv6Addr::from(0x2001_0db8u128 << 96 | i))));
    v4.chain(v6)
        .take(count)
        .map(|net| BanOp::Add {
            net,
            timeout_ms: Some(3_600_000),
        })
        .collect()
}

/// `count` /64 prefixes 2001:db8:<i>::/64 … (distinct, inside 2001:db8::/32).
fn net_ops(count: usize) -> Vec<BanOp> {
    (1u128..)
        .take(count)
        .map(|i| {
            let addr = Ipv6Addr::from((0x2001_0db8u128 << 96) | (i << 64));
            BanOp::Add {
                net: IpNet::V6(Ipv6Net::new(addr, 64).expect("valid prefix")),
                timeout_ms: Some(3_600_000),
            }
        })
        .collect()
}

fn ms(since: Instant) -> f64 {
    (since.elapsed().as_secs_f64() * 10_000.0).round() / 10.0
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut count = DEFAULT_BANS;
    let mut nets = 0;
    let mut keep = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--keep" => keep = true,
            "--nets" => {
                nets = args
                    .next()
                    .ok_or("--nets needs a count")?
                    .parse::<usize>()?;
                nets = nets.min(MAX_BANS);
            }
            n => count = n.parse::<usize>()?.min(MAX_BANS),
        }
    }
    let mut ops = ops(count);
    ops.extend(net_ops(nets));
    let start = Instant::now();
    let mut firewall = Firewall::connect()?;
    firewall.install()?;
    let install_ms = ms(start);
    let applied = Instant::now();
    firewall.apply(&ops)?;
    let apply_ms = ms(applied);
    // One more of each kind, outside the ranges used above.
    let single = Instant::now();
    firewall.apply(&[BanOp::Add {
        net: "2001:db8:ffff:ffff::1/128".parse()?,
        timeout_ms: Some(60_000),
    }])?;
    let single_host_ms = ms(single);
    let single = Instant::now();
    firewall.apply(&[BanOp::Add {
        net: "2001:db8:ffff:fffe::/64".parse()?,
        timeout_ms: Some(60_000),
    }])?;
    let single_net_ms = ms(single);
    let listed_at = Instant::now();
    let listed = firewall.list()?.len();
    let list_ms = ms(listed_at);
    let mut remove_ms = 0.0;
    if !keep {
        let removed = Instant::now();
        firewall.remove()?;
        remove_ms = ms(removed);
    }
    println!(
        "bans={count} nets={nets} install_ms={install_ms} apply_ms={apply_ms} \
         single_host_ms={single_host_ms} single_net_ms={single_net_ms} list_ms={list_ms} \
         listed={listed} remove_ms={remove_ms}"
    );
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bulk_apply: {e}");
            ExitCode::FAILURE
        }
    }
}
