//! Reader for fail2ban's configuration dialect, unchanged: `jail.conf` /
//! `jail.d` / `jail.local` layering, `filter.d` with `.local` overrides,
//! `[INCLUDES]`, `%(…)s` and `<…>` interpolation and `[Init]` parameters.
//!
//! Produces [`clawguard_filter::FilterDef`]s and jail definitions. No network, no
//! side effects: it only reads files under the directory it is given.
