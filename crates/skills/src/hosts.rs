//! Whose a host is, from a skill's point of view: loopback, the skill's own,
//! a registry's, no one's, a look-alike of a brand, or a known-bad kind of
//! host (paste sites, tunnels, request bins, raw public addresses). The line
//! rules and the behaviour pass both ask here, so the lists exist once.

use std::sync::LazyLock;

use regex::bytes::Regex;

use crate::publisher::Publisher;

/// Who a host belongs to, from the skill's point of view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Trust {
    /// Loopback, private addresses.
    Local,
    /// The skill's publisher, or a service named like the skill.
    Own,
    /// Package registries and the project's own sites.
    Registry,
    /// Well-known services with public APIs and user content (GitHub,
    /// Google…): fine to talk to, but anyone can host a download there.
    Service,
    /// A host no one vouches for.
    Unknown,
    /// A name made to look like a brand it is not (`openclaw-cli.app`).
    LookAlike,
    /// Paste sites, tunnels, request bins, raw public addresses, plain http.
    Bad,
}

static URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i-u)\b(https?|wss?|ftp|tcp)://([a-z0-9][a-z0-9.-]*|\[[0-9a-f:]+\])(?::\d{1,5})?")
        .expect("url")
});

/// The hosts of the URLs on a line, with their trust.
pub(crate) fn hosts_on(
    text: &[u8],
    publisher: &Publisher,
    brand_words: &[String],
) -> Vec<(String, Trust)> {
    if memchr::memmem::find(text, b"://").is_none() {
        return Vec::new();
    }
    // Find with the DFA, then capture within the match only: capturing over
    // a whole statement would run the slow engine over all of it.
    URL.find_iter(text)
        .take(8)
        .filter_map(|m| URL.captures(m.as_bytes()))
        .map(|c| {
            let scheme = String::from_utf8_lossy(&c[1]).to_ascii_lowercase();
            let host = String::from_utf8_lossy(&c[2])
                .to_ascii_lowercase()
                .trim_end_matches('.')
                .to_string();
            let url = String::from_utf8_lossy(c.get(0).map_or(&b""[..], |m| m.as_bytes()));
            let trust = host_trust(&scheme, &host, &url, publisher, brand_words);
            (host, trust)
        })
        .collect()
}

/// Package registries and OpenClaw's own sites.
const REGISTRIES: &[&str] = &[
    "npmjs.com",
    "npmjs.org",
    "pypi.org",
    "pythonhosted.org",
    "crates.io",
    "rubygems.org",
    "brew.sh",
    "golang.org",
    "go.dev",
    "docker.com",
    "docker.io",
    "clawhub.ai",
    "clawhub.com",
    "clawdhub.com",
    "openclaw.ai",
    "molt.bot",
    "python.org",
    "nodejs.org",
    "rustup.rs",
    // XML and schema namespaces: names, not hosts anyone fetches from.
    "w3.org",
    "schema.org",
    "purl.org",
    "xmlsoap.org",
];

/// Services with public APIs where users also host content.
const SERVICES: &[&str] = &[
    "githubusercontent.com",
    "github.com",
    "gitlab.com",
    "bitbucket.org",
    "microsoft.com",
    "apple.com",
    "google.com",
    "googleapis.com",
    "anthropic.com",
    "openai.com",
    "slack.com",
    "notion.so",
    "notion.com",
    "atlassian.net",
    "amazonaws.com",
    "cloudflare.com",
    "vercel.app",
    "huggingface.co",
    // Model APIs: a conversation sent there is the skill's purpose, and no
    // one but the account holder reads it.
    "moonshot.ai",
    "moonshot.cn",
    "groq.com",
    "deepseek.com",
    "mistral.ai",
    "openrouter.ai",
    "together.ai",
    "together.xyz",
    "cohere.com",
    "perplexity.ai",
    "x.ai",
    "fireworks.ai",
    "replicate.com",
    "elevenlabs.io",
    "deepgram.com",
    "assemblyai.com",
    "bigmodel.cn",
];

/// Paste sites, tunnels and throwaway file hosts (request bins: `COLLECTORS`).
const BAD_HOSTS: &[&str] = &[
    "glot.io",
    // ClawHavoc's download host.
    "setup-service.com",
    "pastebin.com",
    "paste.ee",
    "hastebin.com",
    "rentry.co",
    "transfer.sh",
    "termbin.com",
    "0x0.st",
    "bore.pub",
    "ngrok.io",
    "ngrok-free.app",
    "ngrok.app",
    "trycloudflare.com",
    "serveo.net",
    "loca.lt",
    "file.io",
    "anonfiles.com",
    "gofile.io",
    "catbox.moe",
    "temp.sh",
    "setup-service.com",
];

/// Brands a look-alike host borrows.
pub(crate) const BRANDS: &[&str] = &["openclaw", "clawhub", "clawdhub", "clawdbot", "moltbot"];

pub(crate) fn host_trust(
    scheme: &str,
    host: &str,
    url: &str,
    publisher: &Publisher,
    brand_words: &[String],
) -> Trust {
    let ends = |d: &str| host == d || host.ends_with(&format!(".{d}"));
    if let Ok(ip) = host.parse::<std::net::Ipv4Addr>() {
        let [a, b, ..] = ip.octets();
        let local = ip.is_loopback()
            || ip.is_private()
            || ip.is_link_local()
            || ip.is_unspecified()
            || (a == 100 && (64..128).contains(&b));
        return if local { Trust::Local } else { Trust::Bad };
    }
    // Loopback, LAN and container names, and placeholders (`192.x.x.x`,
    // `http://your-server`): no one outside.
    if let Some(ip) = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .and_then(|h| h.parse::<std::net::Ipv6Addr>().ok())
    {
        let [first, ..] = ip.segments();
        let local = ip.is_loopback()
            || ip.is_unspecified()
            || first & 0xfe00 == 0xfc00
            || first & 0xffc0 == 0xfe80;
        return if local { Trust::Local } else { Trust::Bad };
    }
    let lan = ["localhost", "local", "lan", "internal", "home.arpa"];
    if lan.iter().any(|d| ends(d)) || host.starts_with('[') || !host.contains('.') {
        return Trust::Local;
    }
    // `192.x.x.x`, `xxxx.trycloudflare.com`: written to be filled in.
    let filler = |label: &str| label.len() >= 3 && label.bytes().all(|b| b == b'x');
    let ip_pattern = host.split('.').count() == 4
        && host.split('.').any(|l| l == "x")
        && host.split('.').all(|l| l == "x" || l.parse::<u8>().is_ok());
    if ip_pattern || host.split('.').any(filler) || is_placeholder_host(host) {
        return Trust::Local;
    }
    if is_bad_host(host) {
        return Trust::Bad;
    }
    let registrable = registrable_label(host);
    let known = |list: &[&str]| listed(host, list);
    let user_site = USER_SITES.iter().any(|d| host.ends_with(&format!(".{d}")));
    if BRANDS.iter().any(|b| registrable.contains(b))
        && (user_site || !known(REGISTRIES) && !known(SERVICES))
    {
        return Trust::LookAlike;
    }
    let squashed = squash(&registrable);
    if publisher.owns(url) {
        return Trust::Own;
    }
    // A vendor's name with the words lures add (`ollama-cli.app`,
    // `get-ollama.xyz`) is a look-alike, not the vendor.
    if LURE_WORDS.iter().any(|w| registrable.contains(w))
        && brand_words.iter().any(|w| squashed.contains(w.as_str()))
    {
        return Trust::LookAlike;
    }
    if publisher.names_host_of(url) {
        return Trust::Own;
    }
    let installer_host = KNOWN_INSTALLERS
        .iter()
        .filter(|k| !k.contains('/'))
        .any(|k| ends(k));
    if known(REGISTRIES) || installer_host {
        return Trust::Registry;
    }
    if known(SERVICES) {
        return Trust::Service;
    }
    if scheme == "http" || scheme == "ftp" || scheme == "tcp" {
        return Trust::Bad;
    }
    // A vendor's own domain is its name (`ollama.com` for `ollama`); a name
    // with words added (`ollama-cli.app`, `getollama.xyz`) is a look-alike
    // only when the words are the ones lures use.
    if brand_words.contains(&squashed) {
        return Trust::Own;
    }
    Trust::Unknown
}

/// Words too common in skill names to say whose a domain is.
pub(crate) const GENERIC_WORDS: &[&str] = &[
    "skill",
    "tool",
    "tools",
    "helper",
    "agent",
    "assistant",
    "client",
    "manager",
    "openclaw",
    "clawhub",
    "claw",
    "data",
    "auto",
    "bot",
];

const LURE_WORDS: &[&str] = &[
    "-cli",
    "cli-",
    "-setup",
    "setup-",
    "-install",
    "install-",
    "-download",
    "download-",
    "-agent",
    "-official",
    "official-",
    "-tools",
    "get-",
    "-app",
];

/// The label left of the public suffix (`openclaw-cli` of
/// `dl.openclaw-cli.co.uk`, roughly: two-letter second levels count as part
/// of the suffix).
pub(crate) fn registrable_label(host: &str) -> String {
    let parts: Vec<&str> = host.split('.').collect();
    // On hosts where anyone gets a subdomain, the subdomain is the name.
    if let Some(user_site) = USER_SITES.iter().find(|d| host.ends_with(&format!(".{d}"))) {
        let rest = &host[..host.len() - user_site.len() - 1];
        return rest.rsplit('.').next().unwrap_or(rest).to_string();
    }
    match parts.len() {
        0 | 1 => host.to_string(),
        n => {
            let second = parts[n - 2];
            if n >= 3
                && (second.len() <= 3
                    && matches!(second, "co" | "com" | "net" | "org" | "ac" | "gov"))
            {
                parts[n - 3].to_string()
            } else {
                second.to_string()
            }
        }
    }
}

/// Whether the sentence names the product whose domain `host` is
/// (`Ollama` and `ollama.com`), outside the URL itself.
pub(crate) fn names_the_vendor(text: &[u8], host: &str) -> bool {
    let label = squash(&registrable_label(host));
    if label.len() < 3 {
        return false;
    }
    let without_urls = URL_WITH_PATH.replace_all(text, &b" "[..]);
    without_urls
        .split(|b| !b.is_ascii_alphanumeric())
        .any(|w| w.len() >= 3 && w.eq_ignore_ascii_case(label.as_bytes()))
}

static URL_WITH_PATH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i-u)\b[a-z][a-z0-9+.-]*://\S*").expect("url with path"));

/// Letters and digits, lowercase.
pub(crate) fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Paste sites, tunnels, request bins and throwaway file hosts, and their
/// subdomains.
pub(crate) fn is_bad_host(host: &str) -> bool {
    listed(host, BAD_HOSTS) || is_collector(host)
}

/// `host` is one of `list`, or a subdomain of one.
fn listed(host: &str, list: &[&str]) -> bool {
    list.iter()
        .any(|d| host == *d || host.ends_with(&format!(".{d}")))
}

/// Request bins and callback collectors: they exist to receive what is sent.
const COLLECTORS: &[&str] = &[
    "webhook.site",
    "pipedream.net",
    "requestbin.com",
    "requestcatcher.com",
    "beeceptor.com",
    "hookbin.com",
    "interact.sh",
    "oast.fun",
    "burpcollaborator.net",
];

pub(crate) fn is_collector(host: &str) -> bool {
    listed(host, COLLECTORS)
}

/// Well-known installers piped to a shell are ordinary install instructions.
pub(crate) const KNOWN_INSTALLERS: &[&str] = &[
    "sh.rustup.rs",
    "rustup.rs",
    "astral.sh",
    "bun.sh",
    "deno.land",
    "deno.com",
    "get.docker.com",
    "raw.githubusercontent.com/homebrew/install",
    "ollama.com",
    "install.python-poetry.org",
    "get.pnpm.io",
    "raw.githubusercontent.com/nvm-sh/nvm",
    "get.sdkman.io",
    "fnm.vercel.app",
    "tailscale.com",
    "openclaw.ai",
    "claude.ai",
    "get.helm.sh",
    "sh.flox.dev",
    "install.determinate.systems",
    "starship.rs",
    "mise.run",
    "pyenv.run",
    "nixos.org",
    "get.volta.sh",
    "foundry.paradigm.xyz",
    "cli.doppler.com",
    "deb.nodesource.com",
    "rpm.nodesource.com",
    "rclone.org",
    "aka.ms",
    "molt.bot",
    "proton.me",
    "fly.io/install.sh",
];

/// Names documentation uses for "your server here": `example.com` itself
/// (its subdomains stand in for real hosts in tests and write-ups) and
/// `your-server.com`.
fn is_placeholder_host(host: &str) -> bool {
    let bare = host.strip_prefix("www.").unwrap_or(host);
    let label = registrable_label(host);
    matches!(bare, "example.com" | "example.org" | "example.net")
        || label.starts_with("your")
        || label.starts_with("my-")
}

/// Hosts where anyone can have a subdomain (`openclawcli.vercel.app`).
const USER_SITES: &[&str] = &[
    "vercel.app",
    "netlify.app",
    "github.io",
    "gitlab.io",
    "pages.dev",
    "workers.dev",
    "herokuapp.com",
    "glitch.me",
    "web.app",
    "firebaseapp.com",
    "onrender.com",
    "fly.dev",
    "up.railway.app",
    "surge.sh",
    "replit.app",
    "repl.co",
    "blogspot.com",
    "wordpress.com",
    "notion.site",
];

/// An https URL that names itself an installer: an `install`/`setup`
/// script, or a `get.`/`install.`/`cli.` host serving its root.
pub(crate) fn is_installer_url(url: &str) -> bool {
    static INSTALLER: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"(?i)^https://(?:(?:get|install|cli)\.[^/]+/?$|[^/]+/(?:[^?#]*/)?install(?:er)?(?:\.(?:sh|ps1|bash))?/?(?:[?#].*)?$)")
            .expect("installer url")
    });
    // A gist is one person's paste, whatever its name says.
    !url.contains("gist.github") && INSTALLER.is_match(url.trim_end_matches(['"', '\'', ')', '`']))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::Manifest;

    fn trust(url: &str, skill: &str) -> Trust {
        let manifest = Manifest {
            name: Some(skill.into()),
            ..Manifest::default()
        };
        let publisher = Publisher::of(&manifest, skill);
        hosts_on(url.as_bytes(), &publisher, publisher.vendor_words())
            .first()
            .map(|(_, t)| *t)
            .expect("a host")
    }

    #[test]
    fn hosts_are_judged_by_whose_they_are() {
        assert_eq!(trust("https://openclawcli.forum", "n8n"), Trust::LookAlike);
        assert_eq!(
            trust("https://openclawcli.vercel.app/x", "n8n"),
            Trust::LookAlike
        );
        assert_eq!(trust("https://clawhub.ai/skills", "n8n"), Trust::Registry);
        assert_eq!(trust("https://ollama.com/download", "ollama"), Trust::Own);
        assert_eq!(
            trust("https://ollama-cli.app/download", "ollama"),
            Trust::LookAlike
        );
        assert_eq!(trust("https://webhook.site/abc", "x"), Trust::Bad);
        assert_eq!(trust("http://203.0.113.7/x", "x"), Trust::Bad);
        assert_eq!(trust("http://192.168.1.2/x", "x"), Trust::Local);
        assert_eq!(trust("http://YOUR-VPS:3001/x", "x"), Trust::Local);
        assert_eq!(trust("https://example.com/x", "x"), Trust::Local);
        assert_eq!(trust("http://192.x.x.x/x", "x"), Trust::Local);
        assert_eq!(trust("https://github.com/a/b", "x"), Trust::Service);
        assert_eq!(
            trust("https://collect.payload.example.net/u", "x"),
            Trust::Unknown
        );
    }

    #[test]
    fn an_installer_url_says_so_and_a_gist_never_does() {
        assert!(is_installer_url("https://opencode.ai/install"));
        assert!(is_installer_url("https://get.maestro.mobile.dev"));
        assert!(is_installer_url("https://x.dev/cli/install.sh"));
        assert!(!is_installer_url("https://cdn.x.dev/setup.sh"));
        assert!(!is_installer_url("http://x.dev/install.sh"));
        assert!(!is_installer_url(
            "https://gist.githubusercontent.com/u/1/raw/install.sh"
        ));
    }
}
