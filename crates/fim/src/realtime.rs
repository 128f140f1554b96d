//! Realtime watching (fanotify with inotify fallback) for the daemon.
