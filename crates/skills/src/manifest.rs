//! The skill manifest: `SKILL.md`/`HOOK.md` YAML frontmatter (with
//! `metadata` re-read as JSON5, as OpenClaw does) and `openclaw.plugin.json`.

use serde_json::Value;

use crate::nesting::{TooDeep, check_json_depth, check_yaml_flow};

/// Frontmatter larger than this is not parsed (it is still scanned as text).
const MAX_FRONTMATTER_BYTES: usize = 64 * 1024;

/// One `metadata.openclaw.install[]` entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InstallSpec {
    pub kind: String,
    /// `formula`, `package` or `module`.
    pub package: Option<String>,
    pub url: Option<String>,
    pub bins: Vec<String>,
}

/// What a skill declares about itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Manifest {
    pub name: Option<String>,
    pub description: Option<String>,
    pub homepage: Option<String>,
    pub always: bool,
    /// `requires.bins` and `requires.anyBins`, plus install bins.
    pub bins: Vec<String>,
    /// `requires.env`, `primaryEnv` and `envVars[].name`.
    pub env: Vec<String>,
    pub install: Vec<InstallSpec>,
    /// 1-based line of the first body line (after the closing `---`).
    pub body_start_line: u32,
    /// Why the frontmatter could not be read, if it could not.
    pub parse_error: Option<String>,
    /// Whether any frontmatter was present.
    pub has_frontmatter: bool,
    /// Why part of the manifest was not parsed: it nests past a bound (the
    /// parsers never see such input). A partial read, so never clean.
    pub too_deep: Option<String>,
    /// 1-based line of the manifest file where the bound was passed.
    pub too_deep_line: u32,
    /// Why the frontmatter was not parsed although it is well formed as far
    /// as was read: larger than the bound, or aliases that expand past the
    /// YAML parser's limits. A partial read, so never clean.
    pub too_large: Option<String>,
}

impl Manifest {
    /// Reads the frontmatter of a `SKILL.md`/`HOOK.md`.
    pub fn from_skill_md(bytes: &[u8]) -> Manifest {
        let mut m = Manifest {
            body_start_line: 1,
            ..Manifest::default()
        };
        let text = String::from_utf8_lossy(bytes);
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let mut lines = text.split_inclusive('\n');
        match lines.next() {
            Some(first) if first.trim_end() == "---" => {}
            _ => return m,
        }
        let mut yaml = String::new();
        let mut line_no = 1u32;
        let mut closed = false;
        for line in lines {
            line_no += 1;
            if line.trim_end() == "---" || line.trim_end() == "..." {
                closed = true;
                break;
            }
            if yaml.len() + line.len() > MAX_FRONTMATTER_BYTES {
                m.too_large = Some(format!(
                    "frontmatter larger than {MAX_FRONTMATTER_BYTES} bytes; not parsed"
                ));
                m.fill(&single_line_fallback(&yaml));
                return m;
            }
            yaml.push_str(line);
        }
        if !closed {
            m.parse_error = Some("frontmatter has no closing `---`".into());
            return m;
        }
        m.has_frontmatter = true;
        m.body_start_line = line_no + 1;
        if let Err(deep) = check_yaml_flow(&yaml) {
            // The frontmatter starts on line 2 of the file. Its plain
            // `key: value` lines still name the skill.
            m.set_too_deep("frontmatter", &deep, 1);
            m.fill(&single_line_fallback(&yaml));
            return m;
        }
        let value: Value = match serde_yaml_ng::from_str::<Value>(&yaml) {
            Ok(v) => v,
            Err(e) => {
                let why = e.to_string();
                // serde_yaml_ng has no error kinds: its resource limits (alias
                // expansion, nesting) are told apart by their text, pinned by
                // the hostile tests.
                if why.contains("repetition limit exceeded")
                    || why.contains("recursion limit exceeded")
                {
                    m.too_large = Some(format!("frontmatter {why}; not parsed"));
                } else {
                    m.parse_error = Some(why);
                }
                single_line_fallback(&yaml)
            }
        };
        m.fill(&value);
        m
    }

    /// Reads an `openclaw.plugin.json` manifest.
    pub fn from_plugin_json(bytes: &[u8]) -> Manifest {
        let mut m = Manifest::default();
        let text = String::from_utf8_lossy(bytes);
        if let Err(deep) = check_json_depth(&text) {
            m.set_too_deep("manifest", &deep, 0);
            return m;
        }
        match json5::from_str::<Value>(&text) {
            Ok(v) => {
                m.name = str_at(&v, "id").or_else(|| str_at(&v, "name"));
                m.description = str_at(&v, "description");
                m.fill_openclaw(&v);
            }
            Err(e) => m.parse_error = Some(e.to_string()),
        }
        m
    }

    fn fill(&mut self, v: &Value) {
        self.name = str_at(v, "name");
        self.description = str_at(v, "description");
        self.homepage = str_at(v, "homepage");
        let metadata = match v.get("metadata") {
            Some(Value::String(s)) => match check_json_depth(s) {
                Ok(()) => json5::from_str::<Value>(s).ok(),
                Err(deep) => {
                    // The string's lines are not the file's: point at the start.
                    let at = TooDeep { line: 1, ..deep };
                    self.set_too_deep("metadata", &at, 1);
                    None
                }
            },
            Some(other) => Some(other.clone()),
            None => None,
        };
        if let Some(meta) = metadata {
            for key in ["openclaw", "clawdbot", "clawdis"] {
                if let Some(oc) = meta.get(key) {
                    self.fill_openclaw(oc);
                }
            }
        }
        if truthy(v.get("always")) {
            self.always = true;
        }
    }

    fn fill_openclaw(&mut self, oc: &Value) {
        if truthy(oc.get("always")) {
            self.always = true;
        }
        if self.homepage.is_none() {
            self.homepage = str_at(oc, "homepage");
        }
        if let Some(req) = oc.get("requires") {
            self.bins.extend(strings(req.get("bins")));
            self.bins.extend(strings(req.get("anyBins")));
            self.env.extend(strings(req.get("env")));
        }
        if let Some(p) = str_at(oc, "primaryEnv") {
            self.env.push(p);
        }
        if let Some(Value::Array(vars)) = oc.get("envVars") {
            self.env
                .extend(vars.iter().filter_map(|v| str_at(v, "name")));
        }
        if let Some(Value::Array(specs)) = oc.get("install") {
            for s in specs.iter().take(64) {
                let spec = InstallSpec {
                    kind: str_at(s, "kind").unwrap_or_default(),
                    package: str_at(s, "formula")
                        .or_else(|| str_at(s, "package"))
                        .or_else(|| str_at(s, "module")),
                    url: str_at(s, "url"),
                    bins: strings(s.get("bins")),
                };
                self.bins.extend(spec.bins.iter().cloned());
                self.install.push(spec);
            }
        }
    }

    /// Notes the first part not parsed for its depth.
    fn set_too_deep(&mut self, what: &str, deep: &TooDeep, line_offset: u32) {
        if self.too_deep.is_some() {
            return;
        }
        self.too_deep = Some(format!("{what} {}; not parsed", deep.reason));
        self.too_deep_line = deep.line + line_offset;
    }

    pub fn declares_env(&self, name: &str) -> bool {
        self.env.iter().any(|e| e == name)
    }

    pub fn declares_bin(&self, name: &str) -> bool {
        self.bins.iter().any(|b| b == name)
            || self.install.iter().any(|i| {
                i.package
                    .as_deref()
                    .is_some_and(|p| p.rsplit('/').next() == Some(name))
            })
    }
}

fn truthy(v: Option<&Value>) -> bool {
    match v {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

fn str_at(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .take(256)
            .collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// OpenClaw's fallback when YAML fails: `key: value` per line.
fn single_line_fallback(yaml: &str) -> Value {
    let mut map = serde_json::Map::new();
    for line in yaml.lines() {
        if let Some((k, v)) = line.split_once(':')
            && !k.starts_with(' ')
        {
            let v = v.trim().trim_matches('"').trim_matches('\'');
            map.insert(k.trim().to_string(), Value::String(v.to_string()));
        }
    }
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_yaml_and_json5_metadata() {
        let md = b"---\nname: weather\ndescription: Forecasts\nmetadata: {\"openclaw\": {\"requires\": {\"bins\": [\"curl\"], \"env\": [\"WX_KEY\"]}, \"always\": true, install: [{kind: 'brew', formula: 'jq', bins: ['jq']}]}}\n---\n# Body\n";
        let m = Manifest::from_skill_md(md);
        assert_eq!(m.name.as_deref(), Some("weather"));
        assert!(m.always);
        assert!(m.declares_bin("curl") && m.declares_bin("jq"));
        assert!(m.declares_env("WX_KEY"));
        assert_eq!(m.body_start_line, 6);
    }

    #[test]
    fn nested_yaml_metadata() {
        let md = b"---\nname: x\nmetadata:\n  openclaw:\n    primaryEnv: X_TOKEN\n    install:\n      - kind: download\n        url: http://203.0.113.5/x.zip\n---\nbody";
        let m = Manifest::from_skill_md(md);
        assert!(m.declares_env("X_TOKEN"));
        assert_eq!(
            m.install[0].url.as_deref(),
            Some("http://203.0.113.5/x.zip")
        );
    }

    #[test]
    fn no_frontmatter_is_not_an_error() {
        let m = Manifest::from_skill_md(b"# just text");
        assert!(!m.has_frontmatter && m.parse_error.is_none());
    }
}
