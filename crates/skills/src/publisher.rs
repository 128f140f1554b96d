//! Whose a URL is: the skill's own publisher (its declared homepage, or the
//! GitHub repository named like the skill) or anyone else. A vendor's own
//! installer piped to a shell is still download-and-execute, but it is a
//! different risk from a payload on a stranger's host.

use crate::hosts::{GENERIC_WORDS, squash};
use crate::manifest::Manifest;

/// What identifies a skill's publisher.
#[derive(Debug, Default, Clone)]
pub(crate) struct Publisher {
    /// The homepage's host, unless it is a code-hosting site (anyone can
    /// publish there: only the repository counts).
    homepage_host: Option<String>,
    /// `owner/repo` of a GitHub homepage, lowercase.
    homepage_repo: Option<(String, String)>,
    /// The skill's name and directory name, letters and digits only.
    names: Vec<String>,
    /// The skill's name and binaries, whole and word by word: the names a
    /// vendor's own domain carries (`ollama` for `ollama.com`).
    vendor_words: Vec<String>,
    /// The skill's name and description, lowercase and bounded: what it
    /// says it is for.
    purpose: String,
}

const CODE_HOSTS: &[&str] = &["github.com", "gitlab.com", "bitbucket.org", "codeberg.org"];

impl Publisher {
    pub(crate) fn of(manifest: &Manifest, dir_name: &str) -> Publisher {
        let mut names: Vec<String> = [manifest.name.as_deref(), Some(dir_name)]
            .into_iter()
            .flatten()
            .map(squash)
            .filter(|n| n.len() >= 3)
            .collect();
        names.dedup();
        let (mut homepage_host, mut homepage_repo) = (None, None);
        if let Some((host, path)) = manifest.homepage.as_deref().and_then(split_url) {
            if CODE_HOSTS.contains(&host.as_str()) {
                let mut parts = path.split('/').filter(|p| !p.is_empty());
                if let (Some(owner), Some(repo)) = (parts.next(), parts.next()) {
                    homepage_repo = Some((owner.to_string(), repo.trim_end_matches(".git").into()));
                }
            } else if !host.is_empty() {
                homepage_host = Some(host);
            }
        }
        let mut vendor_words: Vec<String> = manifest
            .bins
            .iter()
            .map(String::as_str)
            .chain(manifest.name.as_deref())
            .chain(Some(dir_name))
            .flat_map(|w| {
                std::iter::once(squash(w))
                    .chain(w.split(|c: char| !c.is_ascii_alphanumeric()).map(squash))
                    .collect::<Vec<_>>()
            })
            .filter(|w| w.len() >= 4 && !GENERIC_WORDS.contains(&w.as_str()))
            .collect();
        vendor_words.sort();
        vendor_words.dedup();
        // A space between them: a topic must not be read across the seam
        // ("…scan" + "ner…").
        let purpose = [manifest.name.as_deref(), manifest.description.as_deref()]
            .into_iter()
            .flatten()
            .map(|t| t.chars().take(1024).collect::<String>())
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        Publisher {
            homepage_host,
            homepage_repo,
            names,
            vendor_words,
            purpose,
        }
    }

    /// Whether `url` is served by the publisher: the homepage's host (or a
    /// subdomain of it), or a GitHub repository that is the homepage's or is
    /// named like the skill (raw files, releases, archives).
    pub(crate) fn owns(&self, url: &str) -> bool {
        let Some((host, path)) = split_url(url) else {
            return false;
        };
        if let Some(home) = &self.homepage_host {
            let home = home.strip_prefix("www.").unwrap_or(home);
            if host == home || host.ends_with(&format!(".{home}")) {
                return true;
            }
        }
        let mut parts = path.split('/').filter(|p| !p.is_empty());
        let repo = match host.as_str() {
            "raw.githubusercontent.com" => parts.next().zip(parts.next()),
            "github.com" => {
                let owner_repo = parts.next().zip(parts.next());
                // Only what a repository itself serves, not an arbitrary page.
                match parts.next() {
                    Some("releases" | "archive" | "raw") => owner_repo,
                    _ => None,
                }
            }
            _ => None,
        };
        let Some((owner, repo)) = repo else {
            return false;
        };
        if self
            .homepage_repo
            .as_ref()
            .is_some_and(|(o, r)| o == owner && r == repo)
        {
            return true;
        }
        let repo = squash(repo);
        self.names.contains(&repo)
    }
}

impl Publisher {
    /// Whether `name` (a skill name in an install command) is this skill's.
    pub(crate) fn is_own_name(&self, name: &str) -> bool {
        let last = name.rsplit('/').next().unwrap_or(name);
        let last = last.split('@').next().unwrap_or(last);
        self.names.contains(&squash(last))
    }

    /// Whether the skill's name or description names one of `topics`.
    pub(crate) fn is_about(&self, topics: &[&str]) -> bool {
        topics.iter().any(|t| self.purpose.contains(t))
    }

    pub(crate) fn vendor_words(&self) -> &[String] {
        &self.vendor_words
    }

    /// Whether `url`'s host is the skill's own service: the publisher's, or
    /// a host whose name holds the skill's name (`api.pinchedin.com` for the
    /// skill `pinchedin`).
    pub(crate) fn names_host_of(&self, url: &str) -> bool {
        if self.owns(url) {
            return true;
        }
        let Some((host, _)) = split_url(url) else {
            return false;
        };
        let host = squash(&host);
        self.names
            .iter()
            .any(|n| n.len() >= 4 && host.contains(n.as_str()))
    }
}

/// `(host, path)` of an `http(s)://` URL, lowercase.
fn split_url(url: &str) -> Option<(String, String)> {
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))?;
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = authority.rsplit('@').next()?.split(':').next()?.to_string();
    Some((host, path.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(name: &str, homepage: Option<&str>) -> Manifest {
        Manifest {
            name: Some(name.into()),
            homepage: homepage.map(Into::into),
            ..Manifest::default()
        }
    }

    #[test]
    fn the_homepage_host_and_its_subdomains_are_the_publishers() {
        let p = Publisher::of(
            &manifest("budget", Some("https://budget-tool.example.com")),
            "x",
        );
        assert!(p.owns("https://budget-tool.example.com/install.sh"));
        assert!(p.owns("https://cli.budget-tool.example.com/i"));
        assert!(!p.owns("https://budget-tool-example.top/install.sh"));
        assert!(!p.owns("https://example.com/install.sh"));
    }

    #[test]
    fn a_repository_counts_when_it_is_the_homepage_or_named_like_the_skill() {
        let p = Publisher::of(&manifest("cron-maker", None), "cron-maker");
        assert!(p.owns("https://raw.githubusercontent.com/someone/cron-maker/main/install.sh"));
        assert!(p.owns("https://github.com/someone/CronMaker/releases/latest/download/x.sh"));
        assert!(!p.owns("https://github.com/someone/cron-maker")); // a page, not a file
        assert!(!p.owns("https://raw.githubusercontent.com/someone/other/main/install.sh"));
        assert!(!p.owns("https://gist.githubusercontent.com/someone/abc/raw/install.sh"));
        let p = Publisher::of(
            &manifest("adk", Some("https://github.com/botpress/adk")),
            "x",
        );
        assert!(p.owns("https://github.com/botpress/adk/releases/latest/download/install.sh"));
        // A GitHub homepage does not make all of github.com the publisher's.
        assert!(!p.owns("https://github.com/mallory/payload/releases/download/v1/x.sh"));
    }

    #[test]
    fn a_purpose_is_read_in_the_name_or_the_description_not_across_them() {
        let p = Publisher::of(
            &Manifest {
                name: Some("port-scan".into()),
                description: Some("Network Tool for your lab.".into()),
                ..Manifest::default()
            },
            "x",
        );
        assert!(p.is_about(&["scan"]) && p.is_about(&["network tool"]));
        assert!(!p.is_about(&["scannetwork"]), "no topic across the seam");
    }
}
