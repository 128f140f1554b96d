//! Architecture boundaries that `cargo test --workspace` enforces, in the
//! spirit of rust-analyzer's tidy test: the dependency graph comes from
//! `cargo metadata`, and sources and manifests are read as text. Each rule is
//! one `#[test]`; a failure names the crate, the rule and, for dependency
//! rules, the chain that crosses the boundary.
//!
//! An exception needs an entry in `EXCEPTIONS` with its reason; an entry that
//! no longer matches anything fails the test, so the list only shrinks.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use regex::Regex;
use serde_json::Value;

/// Pure decision cores: no runtime, no database, no netlink, no sockets.
const PURE_CORES: &[&str] = &[
    "clawguard-ban",
    "clawguard-filter",
    "clawguard-logtime",
    "clawguard-skills",
];

/// The crate that owns the kernel firewall, and so netlink.
const NETLINK_OWNER: &str = "clawguard-nft";

/// The crate that owns config types.
const CONFIG_CRATE_DIR: &str = "config";

/// Licence expressions (SPDX, as crates declare them) compatible with
/// shipping clawguard under MIT OR Apache-2.0. A new expression fails the
/// test until someone reads it and adds it here.
const LICENCES: &[&str] = &[
    "(MIT OR Apache-2.0) AND Unicode-3.0",
    // quoted_printable (lettre): public-domain-equivalent, no conditions.
    "0BSD",
    "0BSD OR MIT OR Apache-2.0",
    "Apache-2.0",
    // ring (rustls' provider): both permissive, ISC is MIT-like.
    "Apache-2.0 AND ISC",
    // rustls, hyper-rustls, rustls-native-certs: taken under MIT.
    "Apache-2.0 OR ISC OR MIT",
    "Apache-2.0 OR BSL-1.0",
    "Apache-2.0 OR MIT",
    "Apache-2.0 WITH LLVM-exception OR Apache-2.0 OR MIT",
    "BSD-2-Clause",
    "BSD-3-Clause",
    // webpki-root-certs (via reqwest's rustls-platform-verifier): Mozilla's
    // root certificates as data under a permissive data licence, no copyleft.
    "CDLA-Permissive-2.0",
    "CC0-1.0 OR Apache-2.0 OR Apache-2.0 WITH LLVM-exception",
    "CC0-1.0 OR MIT-0 OR Apache-2.0",
    "ISC",
    "MIT",
    "MIT OR Apache-2.0",
    "MIT OR Apache-2.0 OR BSD-1-Clause",
    // r-efi (UEFI targets only, via getrandom): taken under MIT OR Apache-2.0.
    "MIT OR Apache-2.0 OR LGPL-2.1-or-later",
    "MIT OR Zlib OR Apache-2.0",
    "MIT/Apache-2.0",
    "Unicode-3.0",
    "Unlicense OR MIT",
    "Unlicense/MIT",
    "Zlib",
];

/// The licence of every crate in this workspace.
const WORKSPACE_LICENCE: &str = "MIT OR Apache-2.0";

/// Module and file names that say nothing about what they hold.
const VAGUE_NAMES: &[&str] = &["util", "utils", "misc", "helper", "helpers"];

struct Exception {
    rule: Rule,
    krate: &'static str,
    subject: &'static str,
    reason: &'static str,
}

const EXCEPTIONS: &[Exception] = &[Exception {
    rule: Rule::PureCoreSource,
    krate: "clawguard-logtime",
    subject: "crates/logtime/src/template.rs: clock",
    reason: "%ExY's upper year is read from the clock once, as fail2ban does at \
                 start-up; making it pure means the caller passes the year in.",
}];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Rule {
    PureCoreDeps,
    PureCoreSource,
    NetlinkOnlyInNft,
    ConfigDeserializeOnlyInConfig,
    Licences,
    NoVagueModules,
    WorkspaceLints,
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Rule::PureCoreDeps => "pure-core-deps",
            Rule::PureCoreSource => "pure-core-source",
            Rule::NetlinkOnlyInNft => "netlink-only-in-nft",
            Rule::ConfigDeserializeOnlyInConfig => "config-deserialize-only-in-config",
            Rule::Licences => "licences",
            Rule::NoVagueModules => "no-utils-misc-helpers",
            Rule::WorkspaceLints => "workspace-lints",
        })
    }
}

#[derive(Debug)]
struct Violation {
    rule: Rule,
    krate: String,
    /// What crossed the boundary; `Exception::subject` matches it exactly.
    subject: String,
    detail: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}: {}", self.rule, self.krate, self.detail)
    }
}

/// Fails with every violation of `rule` not covered by an exception, and
/// with every exception of `rule` that no longer matches anything.
fn enforce(rule: Rule, violations: Vec<Violation>) {
    let exceptions: Vec<&Exception> = EXCEPTIONS.iter().filter(|e| e.rule == rule).collect();
    let mut used = vec![false; exceptions.len()];
    let mut failures = Vec::new();
    for v in violations {
        assert_eq!(v.rule, rule, "checker for {rule} reported {v}");
        match exceptions
            .iter()
            .position(|e| e.krate == v.krate && e.subject == v.subject)
        {
            Some(i) => {
                used[i] = true;
                eprintln!("allowed by exception ({}): {v}", exceptions[i].reason);
            }
            None => failures.push(v.to_string()),
        }
    }
    for (e, used) in exceptions.iter().zip(used) {
        if !used {
            failures.push(format!(
                "[{rule}] {}: the exception for `{}` matches nothing any more; \
                 delete it from EXCEPTIONS in crates/tidy/tests/tidy.rs",
                e.krate, e.subject
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "architecture boundary crossed ({} problem(s)):\n  {}\n(see ARCHITECTURE.md, \"Boundaries\")",
        failures.len(),
        failures.join("\n  ")
    );
}

// ---------------------------------------------------------------------------
// The dependency graph.

struct Package {
    name: String,
    license: Option<String>,
    /// Declared dependencies: (package name, kind, features, default features).
    declared: Vec<Declared>,
    /// Feature table: feature -> what it enables.
    features: BTreeMap<String, Vec<String>>,
}

struct Declared {
    name: String,
    normal: bool,
    features: Vec<String>,
    default_features: bool,
}

struct Edge {
    to: String,
    normal: bool,
}

struct Graph {
    packages: HashMap<String, Package>,
    members: Vec<String>,
    edges: HashMap<String, Vec<Edge>>,
}

fn str_of(v: &Value, key: &str) -> String {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("cargo metadata: `{key}` missing in {v}"))
        .to_owned()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

impl Graph {
    fn from_metadata(meta: &Value) -> Graph {
        let mut packages = HashMap::new();
        for p in meta["packages"].as_array().expect("packages") {
            let declared = p["dependencies"]
                .as_array()
                .expect("dependencies")
                .iter()
                .map(|d| Declared {
                    name: str_of(d, "name"),
                    normal: d["kind"].is_null(),
                    features: strings(&d["features"]),
                    default_features: d["uses_default_features"].as_bool().unwrap_or(true),
                })
                .collect();
            let features = p["features"]
                .as_object()
                .map(|o| o.iter().map(|(k, v)| (k.clone(), strings(v))).collect())
                .unwrap_or_default();
            packages.insert(
                str_of(p, "id"),
                Package {
                    name: str_of(p, "name"),
                    license: p["license"].as_str().map(str::to_owned),
                    declared,
                    features,
                },
            );
        }
        let mut edges = HashMap::new();
        for node in meta["resolve"]["nodes"].as_array().expect("resolve.nodes") {
            let out = node["deps"]
                .as_array()
                .expect("deps")
                .iter()
                .map(|d| Edge {
                    to: str_of(d, "pkg"),
                    normal: d["dep_kinds"]
                        .as_array()
                        .is_some_and(|k| k.iter().any(|k| k["kind"].is_null())),
                })
                .collect();
            edges.insert(str_of(node, "id"), out);
        }
        let members = strings(&meta["workspace_members"]);
        Graph {
            packages,
            members,
            edges,
        }
    }

    fn name(&self, id: &str) -> &str {
        &self.packages[id].name
    }

    fn member(&self, name: &str) -> Option<&str> {
        self.members
            .iter()
            .map(String::as_str)
            .find(|id| self.name(id) == name)
    }

    /// Breadth-first from `roots` (so chains are shortest), following
    /// normal edges only unless `all_kinds`, never entering a package for
    /// which `stop` holds. Returns each reached package with its parent.
    fn reach(
        &self,
        roots: &[&str],
        all_kinds: bool,
        stop: &dyn Fn(&str) -> bool,
    ) -> HashMap<String, Option<String>> {
        let mut parent: HashMap<String, Option<String>> = HashMap::new();
        let mut queue = VecDeque::new();
        for r in roots {
            parent.insert((*r).to_owned(), None);
            queue.push_back((*r).to_owned());
        }
        while let Some(id) = queue.pop_front() {
            for e in self.edges.get(&id).into_iter().flatten() {
                if (all_kinds || e.normal) && !parent.contains_key(&e.to) && !stop(self.name(&e.to))
                {
                    parent.insert(e.to.clone(), Some(id.clone()));
                    queue.push_back(e.to.clone());
                }
            }
        }
        parent
    }

    fn chain(&self, parent: &HashMap<String, Option<String>>, to: &str) -> String {
        let mut names = vec![self.name(to).to_owned()];
        let mut at = to;
        while let Some(Some(p)) = parent.get(at) {
            names.push(self.name(p).to_owned());
            at = p;
        }
        names.reverse();
        names.join(" -> ")
    }

    /// The features `from` turns on in `to` through its normal dependency,
    /// closed over `to`'s feature table.
    fn features_enabled(&self, from: &str, to: &str) -> BTreeSet<String> {
        let target = &self.packages[to];
        let mut todo: Vec<String> = Vec::new();
        for d in &self.packages[from].declared {
            if d.normal && d.name == target.name {
                todo.extend(d.features.iter().cloned());
                if d.default_features {
                    todo.push("default".to_owned());
                }
            }
        }
        let mut on = BTreeSet::new();
        while let Some(f) = todo.pop() {
            if f.starts_with("dep:") || f.contains('/') || !on.insert(f.clone()) {
                continue;
            }
            todo.extend(target.features.get(&f).into_iter().flatten().cloned());
        }
        on
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

fn graph() -> &'static Graph {
    static GRAPH: OnceLock<Graph> = OnceLock::new();
    GRAPH.get_or_init(|| {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let out = Command::new(&cargo)
            .args(["metadata", "--format-version", "1", "--manifest-path"])
            .arg(workspace_root().join("Cargo.toml"))
            .output()
            .unwrap_or_else(|e| panic!("running {cargo:?} metadata: {e}"));
        assert!(
            out.status.success(),
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let meta: Value = serde_json::from_slice(&out.stdout).expect("cargo metadata JSON");
        Graph::from_metadata(&meta)
    })
}

// ---------------------------------------------------------------------------
// Dependency rules.

fn is_netlink(name: &str) -> bool {
    name == "netlink-sys" || name.starts_with("netlink-packet-")
}

/// Packages a pure core must not reach, with why.
fn impure_dependency(name: &str) -> Option<&'static str> {
    match name {
        "tokio" => Some("async runtime"),
        "rusqlite" | "libsqlite3-sys" => Some("database"),
        n if is_netlink(n) => Some("netlink"),
        _ => None,
    }
}

/// nix features that open sockets (netlink included).
const NIX_NET_FEATURES: &[&str] = &["net", "socket"];

fn check_pure_core_deps(g: &Graph, cores: &[&str]) -> Vec<Violation> {
    let mut out = Vec::new();
    for &core in cores {
        let Some(root) = g.member(core) else {
            out.push(Violation {
                rule: Rule::PureCoreDeps,
                krate: core.to_owned(),
                subject: "missing".to_owned(),
                detail: "not a workspace member any more; update PURE_CORES".to_owned(),
            });
            continue;
        };
        let parent = g.reach(&[root], false, &|_| false);
        let mut reached: Vec<&String> = parent.keys().collect();
        reached.sort();
        for id in reached {
            if let Some(why) = impure_dependency(g.name(id)) {
                out.push(Violation {
                    rule: Rule::PureCoreDeps,
                    krate: core.to_owned(),
                    subject: g.name(id).to_owned(),
                    detail: format!(
                        "depends on {} ({why}): {}",
                        g.name(id),
                        g.chain(&parent, id)
                    ),
                });
            }
            for e in g.edges.get(id.as_str()).into_iter().flatten() {
                if !e.normal || g.name(&e.to) != "nix" {
                    continue;
                }
                let net: Vec<String> = g
                    .features_enabled(id, &e.to)
                    .into_iter()
                    .filter(|f| NIX_NET_FEATURES.contains(&f.as_str()))
                    .collect();
                if !net.is_empty() {
                    let subject = format!("nix[{}]", net.join(","));
                    out.push(Violation {
                        rule: Rule::PureCoreDeps,
                        krate: core.to_owned(),
                        detail: format!(
                            "depends on {subject} (sockets): {} -> {subject}",
                            g.chain(&parent, id)
                        ),
                        subject,
                    });
                }
            }
        }
    }
    out
}

fn check_netlink_only_in_owner(g: &Graph, owner: &str) -> Vec<Violation> {
    let mut out = Vec::new();
    for member in &g.members {
        let krate = g.name(member);
        if krate == owner {
            continue;
        }
        // Reaching netlink through the owner is the point of the owner.
        let parent = g.reach(&[member], false, &|name| name == owner);
        let mut reached: Vec<&String> = parent.keys().filter(|id| is_netlink(g.name(id))).collect();
        reached.sort();
        for id in reached {
            out.push(Violation {
                rule: Rule::NetlinkOnlyInNft,
                krate: krate.to_owned(),
                subject: g.name(id).to_owned(),
                detail: format!(
                    "reaches {} without going through {owner}: {}",
                    g.name(id),
                    g.chain(&parent, id)
                ),
            });
        }
    }
    out
}

fn check_licences(g: &Graph) -> Vec<Violation> {
    let roots: Vec<&str> = g.members.iter().map(String::as_str).collect();
    // Every kind: dev and build dependencies are built here too.
    let parent = g.reach(&roots, true, &|_| false);
    let mut ids: Vec<&String> = parent.keys().collect();
    ids.sort();
    let mut out = Vec::new();
    for id in ids {
        let p = &g.packages[id.as_str()];
        let is_member = g.members.contains(id);
        let ok = match p.license.as_deref() {
            Some(l) if is_member => l == WORKSPACE_LICENCE,
            Some(l) => LICENCES.contains(&l),
            None => false,
        };
        if !ok {
            let expected = if is_member {
                format!("a workspace crate must be `{WORKSPACE_LICENCE}`")
            } else {
                "not in LICENCES; check it is compatible with MIT OR Apache-2.0 (no GPL, \
                 LGPL or AGPL) before adding it"
                    .to_owned()
            };
            out.push(Violation {
                rule: Rule::Licences,
                krate: p.name.clone(),
                subject: p.license.clone().unwrap_or_default(),
                detail: format!(
                    "licence {:?} ({expected}): {}",
                    p.license.as_deref().unwrap_or("none declared"),
                    g.chain(&parent, id)
                ),
            });
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Source and manifest rules.

fn crate_dirs(root: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root.join("crates"))
        .expect("crates/")
        .map(|e| e.expect("crates/ entry").path())
        .filter(|p| p.join("Cargo.toml").is_file())
        .collect();
    dirs.sort();
    dirs
}

fn package_name(crate_dir: &Path) -> String {
    let manifest = read(&crate_dir.join("Cargo.toml"));
    let value: toml::Table = manifest
        .parse()
        .unwrap_or_else(|e| panic!("{}: {e}", crate_dir.display()));
    value["package"]["name"]
        .as_str()
        .expect("package.name")
        .to_owned()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.map(|e| e.expect("dir entry").path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Types deriving (or implementing) `Deserialize` that are config types:
/// named `…Config`, or declared in a `config` module. `rel` is the file's
/// path below the crate's `src/`.
fn config_deserialize_types(rel: &Path, text: &str) -> Vec<String> {
    static DERIVE: OnceLock<Regex> = OnceLock::new();
    static IMPL: OnceLock<Regex> = OnceLock::new();
    let derive = DERIVE.get_or_init(|| {
        Regex::new(
            r"(?s)#\[derive\(([^\]]*?)\)\]\s*(?:#\[[^\]]*\]\s*|///[^\n]*\n\s*)*(?:pub(?:\([^)]*\))?\s+)?(?:struct|enum|union)\s+([A-Za-z_][A-Za-z0-9_]*)",
        )
        .expect("derive regex")
    });
    let manual = IMPL.get_or_init(|| {
        Regex::new(
            r"impl\s*<[^>]*>\s*(?:serde::)?Deserialize\s*<[^>]*>\s*for\s+([A-Za-z_][A-Za-z0-9_]*)",
        )
        .expect("impl regex")
    });
    let in_config_module = rel
        .with_extension("")
        .components()
        .any(|c| c.as_os_str() == "config");
    let is_config = |name: &str| in_config_module || name.ends_with("Config");
    let mut found = Vec::new();
    for c in derive.captures_iter(text) {
        let derives_deserialize = c[1]
            .split(',')
            .any(|d| d.trim().rsplit("::").next() == Some("Deserialize"));
        if derives_deserialize && is_config(&c[2]) {
            found.push(c[2].to_owned());
        }
    }
    for c in manual.captures_iter(text) {
        if is_config(&c[1]) {
            found.push(c[1].to_owned());
        }
    }
    found
}

fn check_config_deserialize(root: &Path) -> Vec<Violation> {
    let mut out = Vec::new();
    for dir in crate_dirs(root) {
        if dir.file_name().is_some_and(|n| n == CONFIG_CRATE_DIR) {
            continue;
        }
        let krate = package_name(&dir);
        let mut files = Vec::new();
        rust_files(&dir.join("src"), &mut files);
        for file in files {
            let rel = file.strip_prefix(dir.join("src")).expect("under src");
            for ty in config_deserialize_types(rel, &read(&file)) {
                out.push(Violation {
                    rule: Rule::ConfigDeserializeOnlyInConfig,
                    krate: krate.clone(),
                    subject: ty.clone(),
                    detail: format!(
                        "{}: `{ty}` is a config type deriving Deserialize; config types \
                         live in clawguard-config",
                        relative(root, &file)
                    ),
                });
            }
        }
    }
    out
}

fn check_vague_modules(root: &Path) -> Vec<Violation> {
    let inline = Regex::new(&format!(r"\bmod\s+({})\b", VAGUE_NAMES.join("|"))).expect("mod regex");
    let mut out = Vec::new();
    for dir in crate_dirs(root) {
        let krate = package_name(&dir);
        let mut files = Vec::new();
        rust_files(&dir.join("src"), &mut files);
        for file in files {
            let rel = file.strip_prefix(dir.join("src")).expect("under src");
            let named = rel
                .with_extension("")
                .components()
                .filter_map(|c| c.as_os_str().to_str())
                .find(|c| VAGUE_NAMES.contains(c))
                .map(str::to_owned);
            let declared = inline.captures(&read(&file)).map(|c| c[1].to_owned());
            for name in named.into_iter().chain(declared) {
                out.push(Violation {
                    rule: Rule::NoVagueModules,
                    krate: krate.clone(),
                    subject: relative(root, &file),
                    detail: format!(
                        "{}: module `{name}`; name it after what it holds",
                        relative(root, &file)
                    ),
                });
            }
        }
    }
    out
}

fn check_workspace_lints(root: &Path) -> Vec<Violation> {
    let mut out = Vec::new();
    for dir in crate_dirs(root) {
        let manifest: toml::Table = read(&dir.join("Cargo.toml"))
            .parse()
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        let inherits = manifest
            .get("lints")
            .and_then(|l| l.get("workspace"))
            .and_then(toml::Value::as_bool)
            == Some(true);
        if !inherits {
            out.push(Violation {
                rule: Rule::WorkspaceLints,
                krate: package_name(&dir),
                subject: "[lints] workspace = true".to_owned(),
                detail: format!(
                    "{}: missing `[lints] workspace = true`",
                    relative(root, &dir.join("Cargo.toml"))
                ),
            });
        }
    }
    out
}

// Pure-core sources: the dependency graph cannot see inside the skills crate,
// and cannot see IO or the clock through std, so the cores' non-test code is
// read too.

/// What a pure core's code must not name: (what, pattern).
const IMPURE_CODE: &[(&str, &str)] = &[
    ("tokio", r"\btokio::"),
    ("rusqlite", r"\brusqlite::"),
    ("netlink", r"\bnetlink_(?:sys|packet_\w+)::"),
    ("syscalls", r"\b(?:nix|rustix|libc|clawguard_sys)::"),
    (
        "filesystem",
        r"\bstd::fs\b|\bstd::\{[^}]*\bfs\b|\bFile::(?:open|create)\b|\bOpenOptions\b",
    ),
    (
        "sockets",
        r"\b(?:TcpStream|TcpListener|UdpSocket|UnixStream|UnixListener|UnixDatagram)\b",
    ),
    ("process/env", r"\bstd::(?:process|env)\b"),
    (
        "stdio",
        r"\b(?:e?print(?:ln)?|dbg)!|\bstd::io::std(?:in|out|err)\b",
    ),
    (
        "clock",
        r"\bSystemTime\b|\bInstant::now\b|\b(?:Utc|Local)::now\b",
    ),
];

/// A file's code before `#[cfg(test)] mod … {` (test modules come last by
/// convention), with whole-line comments blanked so line numbers still hold.
fn non_test_code(text: &str) -> String {
    let mut code = String::new();
    let mut previous = "";
    for line in text.lines() {
        let trimmed = line.trim_start();
        if previous == "#[cfg(test)]" && trimmed.starts_with("mod ") && trimmed.ends_with('{') {
            break;
        }
        if !trimmed.starts_with("//") {
            code.push_str(line);
        }
        code.push('\n');
        if !trimmed.is_empty() {
            previous = trimmed;
        }
    }
    code
}

/// Files found from a start file, each with the chain of files that led to
/// it (`lib.rs -> engine.rs`).
type FileChains = BTreeMap<PathBuf, String>;

fn chain_name(src: &Path, file: &Path) -> String {
    file.strip_prefix(src).unwrap_or(file).display().to_string()
}

/// The non-test files of a crate, found from `src/lib.rs` by `mod x;`.
fn module_tree(src: &Path) -> FileChains {
    let decl =
        Regex::new(r"^\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+([a-z_][a-z0-9_]*)\s*;").expect("mod decl");
    let mut found = FileChains::new();
    let mut todo = vec![(src.join("lib.rs"), "lib.rs".to_owned())];
    while let Some((file, chain)) = todo.pop() {
        let dir = match file.file_stem().and_then(|s| s.to_str()) {
            Some("lib" | "main" | "mod") => file.parent().expect("parent").to_path_buf(),
            _ => file.with_extension(""),
        };
        let mut previous = String::new();
        for line in non_test_code(&read(&file)).lines() {
            if let Some(c) = decl.captures(line)
                && previous != "#[cfg(test)]"
            {
                let flat = dir.join(format!("{}.rs", &c[1]));
                let child = if flat.is_file() {
                    flat
                } else {
                    dir.join(&c[1]).join("mod.rs")
                };
                let child_chain = format!("{chain} -> {}", chain_name(src, &child));
                todo.push((child, child_chain));
            }
            if !line.trim().is_empty() {
                line.trim().clone_into(&mut previous);
            }
        }
        found.insert(file, chain);
    }
    found
}

/// The skills analysis core: `analyze.rs` and every module it names through
/// `crate::m` (or `super::m` from a top-level module), transitively. Items of
/// the crate root (`crate::Severity`) are re-exports and not followed.
fn skills_core(src: &Path) -> FileChains {
    let path_ref =
        Regex::new(r"\b(?:crate|super)::(?:\{([^}]*)\}|([a-z_][a-z0-9_]*))").expect("crate ref");
    let mut found = FileChains::new();
    let mut todo = VecDeque::from([(src.join("analyze.rs"), "analyze.rs".to_owned())]);
    while let Some((file, chain)) = todo.pop_front() {
        if found.contains_key(&file) {
            continue;
        }
        let code = non_test_code(&read(&file));
        for c in path_ref.captures_iter(&code) {
            let names: Vec<&str> = match (c.get(1), c.get(2)) {
                (Some(group), _) => group
                    .as_str()
                    .split(',')
                    .filter_map(|item| item.trim().split("::").next())
                    .collect(),
                (None, Some(one)) => vec![one.as_str()],
                (None, None) => Vec::new(),
            };
            for name in names {
                for candidate in [
                    src.join(format!("{name}.rs")),
                    src.join(name).join("mod.rs"),
                ] {
                    if candidate.is_file() {
                        let child_chain = format!("{chain} -> {}", chain_name(src, &candidate));
                        todo.push_back((candidate, child_chain));
                    }
                }
            }
        }
        found.insert(file, chain);
    }
    found
}

/// `(what, line number, matched text)` for each impure name in `text`'s
/// non-test code.
fn impure_code(text: &str) -> Vec<(&'static str, usize, String)> {
    static PATTERNS: OnceLock<Vec<(&'static str, Regex)>> = OnceLock::new();
    let patterns = PATTERNS.get_or_init(|| {
        IMPURE_CODE
            .iter()
            .map(|(what, p)| (*what, Regex::new(p).expect("impure pattern")))
            .collect()
    });
    let mut found = Vec::new();
    for (n, line) in non_test_code(text).lines().enumerate() {
        for (what, re) in patterns {
            if let Some(m) = re.find(line) {
                found.push((*what, n + 1, m.as_str().to_owned()));
            }
        }
    }
    found
}

fn check_pure_core_source(root: &Path) -> Vec<Violation> {
    let mut out = Vec::new();
    for &core in PURE_CORES {
        let dir = root
            .join("crates")
            .join(core.trim_start_matches("clawguard-"));
        let src = dir.join("src");
        let files = if core == "clawguard-skills" {
            skills_core(&src)
        } else {
            module_tree(&src)
        };
        for (file, chain) in files {
            let rel = relative(root, &file);
            let mut seen = BTreeSet::new();
            for (what, line, text) in impure_code(&read(&file)) {
                // One report per file and kind, at its first line.
                if seen.insert(what) {
                    out.push(Violation {
                        rule: Rule::PureCoreSource,
                        krate: core.to_owned(),
                        subject: format!("{rel}: {what}"),
                        detail: format!(
                            "{rel}:{line}: names `{text}` ({what}); pure cores do no IO \
                             and read no clock (module chain: {chain})"
                        ),
                    });
                }
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------
// The rules, on this workspace.

#[test]
fn pure_cores_have_no_runtime_database_or_netlink_dependency() {
    enforce(
        Rule::PureCoreDeps,
        check_pure_core_deps(graph(), PURE_CORES),
    );
}

#[test]
fn pure_core_code_does_no_io_and_reads_no_clock() {
    enforce(
        Rule::PureCoreSource,
        check_pure_core_source(&workspace_root()),
    );
}

#[test]
fn only_nft_reaches_netlink() {
    enforce(
        Rule::NetlinkOnlyInNft,
        check_netlink_only_in_owner(graph(), NETLINK_OWNER),
    );
}

#[test]
fn only_config_derives_deserialize_for_config_types() {
    enforce(
        Rule::ConfigDeserializeOnlyInConfig,
        check_config_deserialize(&workspace_root()),
    );
}

#[test]
fn every_licence_is_compatible_with_mit_or_apache() {
    enforce(Rule::Licences, check_licences(graph()));
}

#[test]
fn no_utils_misc_or_helpers_modules() {
    enforce(Rule::NoVagueModules, check_vague_modules(&workspace_root()));
}

#[test]
fn every_crate_inherits_workspace_lints() {
    enforce(
        Rule::WorkspaceLints,
        check_workspace_lints(&workspace_root()),
    );
}

#[test]
fn the_checked_crates_exist() {
    // A renamed crate must not turn a rule off silently.
    let g = graph();
    for name in PURE_CORES
        .iter()
        .chain([&NETLINK_OWNER, &"clawguard-config"])
    {
        assert!(g.member(name).is_some(), "{name} is not a workspace member");
    }
    let skills = workspace_root().join("crates/skills/src");
    let core = skills_core(&skills);
    for module in [
        "analyze.rs",
        "rules.rs",
        "anchors.rs",
        "decode.rs",
        "lines.rs",
    ] {
        assert!(
            core.contains_key(&skills.join(module)),
            "skills analysis core no longer includes {module}: {core:?}"
        );
    }
    assert!(
        !core.contains_key(&skills.join("walk.rs")),
        "skills analysis core reaches the reader walk.rs"
    );
}

// ---------------------------------------------------------------------------
// The checkers, on made-up input: each must catch what it is for.

fn made_up_graph() -> Graph {
    let package = |name: &str, license: &str, deps: Value, features: Value| {
        serde_json::json!({
            "id": name, "name": name, "license": license,
            "dependencies": deps, "features": features,
        })
    };
    let dep = |name: &str, features: &[&str]| serde_json::json!({"name": name, "kind": null, "features": features, "uses_default_features": true});
    let node = |id: &str, deps: &[(&str, Option<&str>)]| {
        let deps: Vec<Value> = deps
            .iter()
            .map(|(pkg, kind)| serde_json::json!({"pkg": pkg, "dep_kinds": [{"kind": kind}]}))
            .collect();
        serde_json::json!({"id": id, "deps": deps})
    };
    let none = serde_json::json!({});
    let meta = serde_json::json!({
        "workspace_members": ["core", "app", "nft"],
        "packages": [
            package("core", "MIT OR Apache-2.0", serde_json::json!([dep("mid", &[]), dep("nix", &["fs"])]), none.clone()),
            package("mid", "MIT", serde_json::json!([dep("tokio", &[])]), none.clone()),
            package("tokio", "MIT", serde_json::json!([]), none.clone()),
            package("rusqlite", "MIT", serde_json::json!([]), none.clone()),
            package("app", "MIT OR Apache-2.0", serde_json::json!([dep("nft", &[]), dep("wrapper", &[])]), none.clone()),
            package("wrapper", "GPL-3.0-only", serde_json::json!([dep("nix", &["net"])]), none.clone()),
            package("nft", "MIT OR Apache-2.0", serde_json::json!([dep("netlink-sys", &[])]), none.clone()),
            package("netlink-sys", "MIT", serde_json::json!([]), none.clone()),
            package("nix", "MIT", serde_json::json!([]),
                serde_json::json!({"default": [], "fs": [], "net": ["socket"], "socket": []})),
        ],
        "resolve": {"nodes": [
            node("core", &[("mid", None), ("nix", None), ("rusqlite", Some("dev"))]),
            node("mid", &[("tokio", None)]),
            node("tokio", &[]),
            node("rusqlite", &[]),
            node("app", &[("nft", None), ("wrapper", None)]),
            node("wrapper", &[("nix", None), ("netlink-sys", None)]),
            node("nft", &[("netlink-sys", None)]),
            node("netlink-sys", &[]),
            node("nix", &[]),
        ]},
    });
    Graph::from_metadata(&meta)
}

fn details(violations: &[Violation]) -> Vec<String> {
    violations.iter().map(ToString::to_string).collect()
}

#[test]
fn pure_core_rule_names_the_chain_and_ignores_dev_dependencies() {
    let g = made_up_graph();
    assert_eq!(
        details(&check_pure_core_deps(&g, &["core"])),
        ["[pure-core-deps] core: depends on tokio (async runtime): core -> mid -> tokio"]
    );
    assert_eq!(
        details(&check_pure_core_deps(&g, &["wrapper-is-not-a-member"])),
        [
            "[pure-core-deps] wrapper-is-not-a-member: not a workspace member any more; update PURE_CORES"
        ]
    );
    // A core that turns on nix's socket features (net implies socket).
    let mut g = made_up_graph();
    g.members.push("wrapper".to_owned());
    assert_eq!(
        details(&check_pure_core_deps(&g, &["wrapper"])),
        [
            "[pure-core-deps] wrapper: depends on netlink-sys (netlink): wrapper -> netlink-sys",
            "[pure-core-deps] wrapper: depends on nix[net,socket] (sockets): wrapper -> nix[net,socket]",
        ]
    );
}

#[test]
fn netlink_rule_allows_the_owner_and_paths_through_it_only() {
    let g = made_up_graph();
    assert_eq!(
        details(&check_netlink_only_in_owner(&g, "nft")),
        [
            "[netlink-only-in-nft] app: reaches netlink-sys without going through nft: app -> wrapper -> netlink-sys"
        ]
    );
}

#[test]
fn licence_rule_names_the_crate_and_who_pulls_it() {
    let g = made_up_graph();
    let found = details(&check_licences(&g));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("[licences] wrapper: licence \"GPL-3.0-only\"")
            && found[0].ends_with(": app -> wrapper"),
        "{found:?}"
    );
}

#[test]
fn config_rule_catches_config_types_only() {
    let text = "\
#[derive(Debug,
         serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JailConfig { a: u8 }

#[derive(Debug, Serialize, Deserialize)]
pub enum Event { A }

#[derive(Debug, Serialize)]
struct PortConfig;

impl<'de> Deserialize<'de> for AlertConfig {}
";
    assert_eq!(
        config_deserialize_types(Path::new("engine.rs"), text),
        ["JailConfig", "AlertConfig"]
    );
    assert_eq!(
        config_deserialize_types(Path::new("config/sinks.rs"), text),
        ["JailConfig", "Event", "AlertConfig"]
    );
}

#[test]
fn pure_source_rule_skips_tests_and_comments() {
    let text = "\
// std::fs::read in a comment is fine
use std::{collections::HashMap, fs};
fn now() -> i64 { chrono::Utc::now().timestamp() }

#[cfg(test)]
mod tests {
    fn t() { std::fs::read(\"x\").unwrap(); }
}
";
    assert_eq!(
        impure_code(text),
        [
            ("filesystem", 2, "std::{collections::HashMap, fs".to_owned()),
            ("clock", 3, "Utc::now".to_owned())
        ]
    );
}
