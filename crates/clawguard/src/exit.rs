//! Exit codes, defined once: the constants and the `Exit codes:` part of
//! `clawguard --help` both come from the tables below. Leaf module: it
//! imports nothing from the rest of the crate.

/// One documented exit code.
#[derive(Debug, Clone, Copy)]
pub struct ExitCodeDoc {
    pub code: u8,
    /// The constant's name; tests report a missing code by it.
    #[cfg_attr(not(test), allow(dead_code))]
    pub name: &'static str,
    pub meaning: &'static str,
}

/// Defines a constant per row and the table that documents them.
macro_rules! exit_codes {
    ($table:ident: $($name:ident = $code:expr => $meaning:literal;)*) => {
        $(pub const $name: u8 = $code;)*
        pub const $table: &[ExitCodeDoc] = &[
            $(ExitCodeDoc { code: $name, name: stringify!($name), meaning: $meaning },)*
        ];
    };
}

exit_codes! { CODES:
    OK = 0 => "success";
    ERROR = 1 => "runtime error (IO, firewall, state database)";
    USAGE = 2 => "bad usage or invalid configuration";
    NO_PRIVILEGE = 3 =>
        "`run` cannot change the firewall (run as root / CAP_NET_ADMIN, or use --detect-only)";
}

/// `skills scan`/`approve`'s own codes (besides 0 and 2).
pub mod skills {
    use super::ExitCodeDoc;

    exit_codes! { CODES:
        PASSED = super::OK => "every skill is below --fail-on (default: block)";
        PATH_UNREADABLE = super::ERROR => "a path could not be read (the other paths are still reported)";
        FAIL_ON = 4 => "a skill's verdict reached --fail-on (or it is blocked from approval)";
    }

    /// The `Exit codes:` part of `skills scan --help`: this table and the
    /// usage code every verb shares.
    pub fn help_text() -> String {
        let mut rows: Vec<&ExitCodeDoc> = CODES.iter().collect();
        rows.extend(super::CODES.iter().filter(|r| r.code == super::USAGE));
        rows.sort_by_key(|r| r.code);
        let mut text = String::from("Exit codes:\n");
        for row in rows {
            text.push_str(&format!("  {:<3}{}\n", row.code, row.meaning));
        }
        text
    }
}

/// `fim` verbs: AIDE's codes, defined by `clawguard_fim::exit`.
pub const FIM_CODES: &[ExitCodeDoc] = {
    use clawguard_fim::exit as fim;
    &[
        ExitCodeDoc {
            code: fim::ADDED,
            name: "ADDED",
            meaning: "entries added (added, removed and changed add up: 1 to 7)",
        },
        ExitCodeDoc {
            code: fim::REMOVED,
            name: "REMOVED",
            meaning: "entries removed",
        },
        ExitCodeDoc {
            code: fim::CHANGED,
            name: "CHANGED",
            meaning: "entries changed",
        },
        ExitCodeDoc {
            code: fim::TAMPERED,
            name: "TAMPERED",
            meaning: "baseline rejected (signature, pinned key, malformed)",
        },
        ExitCodeDoc {
            code: fim::REPLACED,
            name: "REPLACED",
            meaning: "baseline replaced or rolled back",
        },
        ExitCodeDoc {
            code: fim::NO_BASELINE,
            name: "NO_BASELINE",
            meaning: "baseline missing",
        },
        ExitCodeDoc {
            code: fim::USAGE,
            name: "USAGE",
            meaning: "bad usage, config, policy or rule (2 is the removed bit)",
        },
        ExitCodeDoc {
            code: fim::IO,
            name: "IO",
            meaning: "IO error: the scan or the baseline write did not complete",
        },
        ExitCodeDoc {
            code: fim::KEY,
            name: "KEY",
            meaning: "signing key missing, unsafe or not the pinned key",
        },
        ExitCodeDoc {
            code: fim::NO_FRESHNESS,
            name: "NO_FRESHNESS",
            meaning: "no freshness record (baseline.digest missing)",
        },
    ]
};

/// Every table, with the heading `--help` shows it under.
pub const SECTIONS: &[(&str, &[ExitCodeDoc])] = &[
    ("", CODES),
    (
        "fim verbs (AIDE's codes; `clawguard fim check --help`):",
        FIM_CODES,
    ),
    ("skills scan/approve:", skills::CODES),
];

/// The `Exit codes:` part of `clawguard --help`, generated from the tables.
pub fn help_text() -> String {
    let mut text = String::from("Exit codes:\n");
    for (heading, codes) in SECTIONS {
        if !heading.is_empty() {
            text.push_str("\n  ");
            text.push_str(heading);
            text.push('\n');
        }
        for row in *codes {
            text.push_str(&format!("  {:<3}{}\n", row.code, row.meaning));
        }
    }
    text.push_str("  skills policy: 0 for every answer (the decision is in the JSON).\n");
    text
}

/// An error with its own exit code; any other error exits [`ERROR`].
#[derive(Debug)]
pub enum Failure {
    /// Bad usage or invalid configuration ([`USAGE`]).
    Usage(String),
    /// `run` cannot change the firewall ([`NO_PRIVILEGE`]).
    NoPrivilege(String),
}

impl Failure {
    /// A usage error carrying `err`'s message.
    pub fn usage(err: impl std::fmt::Display) -> Self {
        Failure::Usage(err.to_string())
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Usage(_) => USAGE,
            Failure::NoPrivilege(_) => NO_PRIVILEGE,
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Usage(message) | Failure::NoPrivilege(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Failure {}

/// The exit code for an error that ended a verb.
pub fn code_of(err: &anyhow::Error) -> u8 {
    match err.downcast_ref::<Failure>() {
        Some(failure) => failure.exit_code(),
        None => ERROR,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_within_a_table_are_distinct() {
        for (heading, codes) in SECTIONS {
            let mut seen: Vec<u8> = codes.iter().map(|r| r.code).collect();
            seen.sort_unstable();
            seen.dedup();
            assert_eq!(seen.len(), codes.len(), "duplicate code under {heading:?}");
        }
    }

    #[test]
    fn skills_scan_help_lists_its_codes() {
        let help = skills::help_text();
        for row in skills::CODES {
            assert!(
                help.contains(&format!("  {:<3}{}", row.code, row.meaning)),
                "{help}"
            );
        }
        assert!(help.contains("  2  bad usage"), "{help}");
    }

    #[test]
    fn help_lists_every_code_of_every_table() {
        let help = help_text();
        for (_, codes) in SECTIONS {
            for row in *codes {
                let line = format!("  {:<3}{}", row.code, row.meaning);
                assert!(help.contains(&line), "{} missing:\n{help}", row.name);
            }
        }
    }
}
