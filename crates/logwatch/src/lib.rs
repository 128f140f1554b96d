//! clawguard-logwatch
