//! clawguard-event
