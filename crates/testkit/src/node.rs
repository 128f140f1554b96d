//! Node and the pinned npm packages (clawhub, openclaw) that the differential
//! tests compare against, as `.ci/node-tools.sh` exports them.

use std::path::PathBuf;

use crate::skip_or_fail;

pub struct NodeTools {
    /// `CLAWGUARD_NODE`: the node binary.
    pub node: PathBuf,
    /// `CLAWGUARD_NPM_TOOLS`: the `node_modules` holding clawhub and openclaw.
    pub npm_tools: PathBuf,
}

/// The tools, or `None` after `skip_or_fail` when the variables are unset.
#[track_caller]
pub fn node_tools() -> Option<NodeTools> {
    match (
        std::env::var_os("CLAWGUARD_NODE"),
        std::env::var_os("CLAWGUARD_NPM_TOOLS"),
    ) {
        (Some(node), Some(npm_tools)) => Some(NodeTools {
            node: node.into(),
            npm_tools: npm_tools.into(),
        }),
        _ => {
            skip_or_fail(
                "CLAWGUARD_NODE / CLAWGUARD_NPM_TOOLS are unset (eval \"$(.ci/node-tools.sh)\")",
            );
            None
        }
    }
}
