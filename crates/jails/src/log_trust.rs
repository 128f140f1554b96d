//! Which gateway log files the ban engine refuses to read, for `status`.

use crate::catalog::{Catalog, SourcePlan};
use crate::runtime::source_spec;

/// Gateway log files of the catalog's OpenClaw sources that are not read
/// because of their owner or permissions, as `path: reason`.
pub fn refused_gateway_logs(catalog: &Catalog) -> Vec<String> {
    let mut out = Vec::new();
    for jail in &catalog.jails {
        for plan in &jail.sources {
            if !matches!(plan, SourcePlan::Openclaw { .. }) {
                continue;
            }
            if let clawguard_logwatch::SourceSpec::OpenClaw { dirs, owners } = source_spec(plan) {
                out.extend(
                    clawguard_logwatch::refused_openclaw_logs(&dirs, owners.as_deref())
                        .iter()
                        .map(|r| format!("jail {}: not reading {r}", jail.name)),
                );
            }
        }
    }
    out
}
