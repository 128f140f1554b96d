//! File integrity monitoring: signed baseline, check, realtime watching.
