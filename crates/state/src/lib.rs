//! clawguard-state
