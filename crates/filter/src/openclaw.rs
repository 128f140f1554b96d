//! The built-in `openclaw-gateway` filter for the gateway's JSON-lines log.
