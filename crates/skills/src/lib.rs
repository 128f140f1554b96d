//! Skill auditor: static analysis of OpenClaw skills.
