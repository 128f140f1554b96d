//! clawguard-ban
