//! clawguard-config
