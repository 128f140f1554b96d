//! The rule table: each line-level rule has a stable id, a severity, literal
//! anchors (an Aho-Corasick prefilter: a rule's regex runs only on lines that
//! hold one of its anchors), a byte regex, and a context check.

use std::sync::LazyLock;

use crate::anchors::AnchorDfa;
use regex::bytes::Regex;

use crate::Severity;

/// Extra judgement applied to a match before it becomes a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Check {
    None,
    /// Download-and-execute: the source host sets the severity (well-known
    /// installers low, raw IPs/plain http/paste sites critical).
    DownloadHost,
    /// A raw-IP URL: loopback and private addresses are not reported.
    PublicIp,
    /// SSH key paths: public keys (`.pub`) are not secrets.
    PrivateKey,
    /// Persistence: critical when the same line downloads or decodes.
    EscalateOnNetwork,
    /// Writes to agent files: `MEMORY.md` alone is only medium.
    AgentFile,
    /// Shell rc appends: PATH/alias/init lines are low.
    RcContent,
    /// sudoers: NOPASSWD for named commands is medium, for ALL critical.
    ScopedSudo,
    /// Chat/webhook sinks: a bot token or webhook path taken from a variable
    /// is the user's own channel, unless the file writes a token out.
    OwnChannel,
    /// "Do not tell the user to reconnect" instructs the user; "can never
    /// silently post" promises the opposite of hiding.
    Concealment,
    /// "Only send your API key to <its own API>" restricts, it does not ask.
    RestrictedSend,
    /// Wallet paths: a path only named (assigned to a variable, printed as a
    /// hint) is low; reads, copies and the stealer paths stay.
    WalletPath,
}

/// Whether a match is reported or only feeds the combination rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Output {
    Report,
    Signal(Signal),
}

/// Facts combined per file (credential access + egress, socket + pty, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Signal {
    HttpSend,
    SecretEnv,
    Socket,
    Pty,
    RunExecutable,
    /// A Telegram bot token written out (`123456:AA…`): whoever owns that bot
    /// reads what is sent through it.
    BotTokenLiteral,
}

pub(crate) struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    pub output: Output,
    /// Lowercase literals; the regex runs only on lines holding one.
    pub anchors: &'static [&'static str],
    pub pattern: &'static str,
    pub check: Check,
    pub message: &'static str,
}

const fn report(
    id: &'static str,
    severity: Severity,
    anchors: &'static [&'static str],
    pattern: &'static str,
    check: Check,
    message: &'static str,
) -> Rule {
    Rule {
        id,
        severity,
        output: Output::Report,
        anchors,
        pattern,
        check,
        message,
    }
}

const fn signal(signal: Signal, anchors: &'static [&'static str], pattern: &'static str) -> Rule {
    Rule {
        id: "signal",
        severity: Severity::Info,
        output: Output::Signal(signal),
        anchors,
        pattern,
        check: Check::None,
        message: "",
    }
}

use Severity::{Critical, High, Info, Low, Medium};

const DL: &[&str] = &[
    "curl",
    "wget",
    "iwr",
    "irm",
    "invoke-webrequest",
    "invoke-restmethod",
];

pub(crate) static RULES: &[Rule] = &[
    // --- download and execute ---
    report(
        "download-exec.pipe-shell",
        High,
        DL,
        r"(?i)\b(?:curl|wget|iwr|irm|invoke-webrequest|invoke-restmethod)\b[^\n|;]*\|\s*(?:sudo\s+(?:-\S+\s+)*)?(?:(?:/usr)?/bin/)?(?:ba|z|da|k|fi)?sh\b|\b(?:curl|wget)\b[^\n|;]*\|\s*(?:sudo\s+(?:-\S+\s+)*)?(?:python3?|node|perl|ruby)(?:\s+-)?\s*(?:$|[;&|)`\x22'])|\b(?:curl|wget)\b[^\n|;]*\|\s*iex\b",
        Check::DownloadHost,
        "downloads code and pipes it straight into an interpreter",
    ),
    report(
        "download-exec.shell-substitution",
        High,
        &[
            "$(curl", "$(wget", "<(curl", "<(wget", "$( curl", "`curl", "`wget",
        ],
        r#"(?i)\b(?:(?:ba|z|da)?sh|python3?|node|perl|ruby|eval|source|\.)\s+(?:-[ce]\s+)?["']?(?:\$\(|<\(|`)\s*(?:curl|wget)\b"#,
        Check::DownloadHost,
        "runs the output of a download through a shell",
    ),
    report(
        "download-exec.powershell",
        High,
        &["iex", "invoke-expression", "downloadstring"],
        r"(?i)\b(?:iex|invoke-expression)\b[^\n]*(?:downloadstring|iwr|irm|invoke-webrequest|invoke-restmethod|net\.webclient)|(?:downloadstring|iwr|irm|invoke-webrequest|invoke-restmethod)[^\n]*\|\s*(?:iex|invoke-expression)\b",
        Check::DownloadHost,
        "PowerShell download piped into Invoke-Expression",
    ),
    report(
        "download-exec.fetch-then-run",
        High,
        &["curl", "wget"],
        r"(?i)\b(?:curl|wget)\b[^\n]*\s(?:-o|-O|--output|>)\s*\S+[^\n]*(?:&&|;)\s*(?:sudo\s+)?(?:chmod\s+\+?[0-7]*x|(?:ba)?sh\s+\S|\./|open\s+-a|start\s)",
        Check::DownloadHost,
        "downloads a file and runs it in the same command",
    ),
    report(
        "download-exec.archive-password",
        High,
        &[
            "pass:",
            "pass :",
            "password:",
            "password :",
            "passcode:",
            "pwd:",
            "pass=",
            "password=",
            "pwd=",
            "password is",
            "pass is",
            "unzip -p",
            "7z x",
        ],
        r"(?i)\b(?:extract|unzip|unpack|decompress|open)\w*\b[^\n]{0,60}\b(?:pass(?:word|code)?|pwd)\s*[:=]|\b(?:archive|zip|rar|7z)\s+(?:pass(?:word)?|pwd)\s*(?:is|[:=])|\bunzip\s+-P\s+\S|\b7z\s+x\b[^\n]*\s-p\S",
        Check::None,
        "password-protected archive: the classic way to keep a payload away from scanners",
    ),
    signal(
        Signal::RunExecutable,
        &[".exe", "executable", "installer."],
        r"(?i)\b(?:run|launch|execute|open|double[- ]click)\s+(?:the\s+)?(?:\S+\.exe\b|executable|\.exe\b|installer\.(?:exe|pkg|dmg))|\b\S+\.exe\b",
    ),
    // --- lures and hosts ---
    report(
        "lure.terminal",
        Low,
        &["terminal", "command prompt", "powershell", "cmd.exe"],
        r"(?i)\b(?:copy|paste)\b[^\n]{0,80}\b(?:terminal|command\s+prompt|powershell|cmd\.exe)\b|\b(?:run|execute|paste)\s+(?:it|this|that|the\s+(?:command|script|following))\s+in(?:to)?\s+(?:your\s+|the\s+|a\s+)?(?:terminal|command\s+prompt|powershell)",
        Check::None,
        "asks the reader to paste a command into a terminal",
    ),
    report(
        "network.raw-ip-url",
        Medium,
        &[
            "://1", "://2", "://3", "://4", "://5", "://6", "://7", "://8", "://9",
        ],
        r"(?i)\b(?:https?|ftp|wss?|tcp|udp)://(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?(?:[/\s\x22'`)\]]|$)",
        Check::PublicIp,
        "URL with a raw IP address instead of a host name",
    ),
    report(
        "network.paste-site",
        Medium,
        &[
            "glot.io",
            "pastebin",
            "paste.ee",
            "hastebin",
            "ghostbin",
            "rentry.",
            "transfer.sh",
            "termbin",
            "0x0.st",
            "dpaste",
            "controlc.com",
            "paste.rs",
        ],
        r"(?i)\b(?:glot\.io|pastebin\.com|paste\.ee|hastebin\.com|ghostbin\.\w+|rentry\.(?:co|org)|termbin\.com|0x0\.st|dpaste\.(?:org|com)|controlc\.com)\b|(?:://|^|[\s'\x22(<@])(?:[\w-]+\.)?(?:transfer\.sh|paste\.rs)(?:[/:\s'\x22)>]|$)",
        Check::None,
        "paste/file-drop site: a common payload host and exfiltration target",
    ),
    report(
        "network.tunnel-endpoint",
        High,
        &["bore.pub", "serveo", "localhost.run", "pinggy", "playit.gg"],
        r"(?i)\b(?:[a-z0-9-]+\.)*(?:bore\.pub|serveo\.net|localhost\.run|pinggy\.(?:io|link)|playit\.gg)(?::\d{1,5}|/[A-Za-z0-9_])",
        Check::None,
        "endpoint on a raw tunnelling service (bore, serveo, …): typical of MCP backdoors and C2",
    ),
    report(
        "network.dev-tunnel",
        Low,
        &["ngrok", "trycloudflare", "loca.lt", "localtunnel"],
        r"(?i)\b(?:[a-z0-9-]+\.)*(?:ngrok(?:-free)?\.(?:io|app|dev)|trycloudflare\.com|loca\.lt|localtunnel\.me)(?::\d{1,5}|/[A-Za-z0-9_])",
        Check::None,
        "URL on a developer tunnel (ngrok, Cloudflare quick tunnel): fine for webhook testing, an exfiltration sink otherwise",
    ),
    report(
        "network.exfil-sink",
        Low,
        &[
            "webhooks",
            "hooks.slack.com",
            "api.telegram.org",
            "webhook.site",
            "requestbin",
            "pipedream",
            "requestcatcher",
            "beeceptor",
            "interact.sh",
            "oast.",
            "burpcollaborator",
            "canarytokens",
        ],
        r"(?i)\b(?:discord(?:app)?\.com/api/webhooks/|hooks\.slack\.com/services/|api\.telegram\.org/bot|webhook\.site|requestbin\.\w+|[a-z0-9]+\.m\.pipedream\.net|requestcatcher\.com|beeceptor\.com|interact\.sh|oast\.(?:pro|live|fun|site|online|me)|burpcollaborator\.net|canarytokens\.com)",
        Check::OwnChannel,
        "webhook/bot endpoint that can receive data",
    ),
    report(
        "ioc.clawhavoc",
        Critical,
        &[
            "91.92.242.30",
            "95.92.242.30",
            "96.92.242.30",
            "202.161.50.59",
            "54.91.154.110",
            "hfd3x9ueu5",
            "hfdxv8uyaf",
            "setup-service.com",
            "hedefbari",
            "ddoy233",
            "toolitletolate",
            "openclaw-agent.zip",
            "openclaw-agent.exe",
            "openclawcli.zip",
            "hightower6eu",
            "sakaen736jih",
            "zaycv",
            "clawdauthenticatortool",
        ],
        r"(?i)\b91\.92\.242\.30\b|\b9[56]\.92\.242\.30\b|\b202\.161\.50\.59\b|\b54\.91\.154\.110\b|glot\.io/snippets/hf(?:d3x9ueu5|dxv8uyaf)|download\.setup-service\.com|github\.com/(?:hedefbari|ddoy233|toolitletolate)|\bopenclaw-agent\.(?:zip|exe)\b|\bopenclawcli\.zip\b|\b(?:hightower6eu|sakaen736jih|zaycv)\b|\bclawdauthenticatortool\b",
        Check::None,
        "known indicator of the ClawHavoc campaign",
    ),
    // --- obfuscation sinks (payloads are also decoded and rescanned) ---
    report(
        "obfuscation.base64-pipe-shell",
        Critical,
        &["base64", "frombase64string"],
        r"(?i)\bbase64\s+(?:-d|--decode|-D|-di)\b[^\n]*\|\s*(?:sudo\s+)?(?:(?:/usr)?/bin/)?(?:ba|z|da)?sh\b|frombase64string[^\n]*(?:\biex\b|invoke-expression)|(?:\biex\b|invoke-expression)[^\n]*frombase64string",
        Check::None,
        "decodes base64 and runs the result in a shell",
    ),
    report(
        "obfuscation.exec-decoded",
        High,
        &["exec(", "exec (", "eval(", "eval (", "new function"],
        r"(?i)\b(?:exec|eval|new\s+function)\s*\(\s*(?:base64\.b64decode|b64decode|base64\.decodebytes|codecs\.decode|bytes\.fromhex|binascii\.unhexlify|zlib\.decompress|marshal\.loads|atob|buffer\.from|unescape|decodeuricomponent|string\.fromcharcode|\x22[^\x22]*\x22\s*\[::-1\]|'[^']*'\s*\[::-1\]|\(?\s*(?:\x22|')[^\x22']*(?:\x22|')\s*\.split)",
        Check::None,
        "executes code that is decoded at run time",
    ),
    report(
        "obfuscation.powershell-encoded",
        High,
        &["powershell", "pwsh"],
        r"(?i)\b(?:powershell|pwsh)(?:\.exe)?\b[^\n]*\s-(?:e|ec|enc|encodedcommand)\s+[A-Za-z0-9+/=]{16,}",
        Check::None,
        "PowerShell with a base64-encoded command",
    ),
    // --- reverse shells and backdoors ---
    report(
        "reverse-shell.dev-tcp",
        Critical,
        &["/dev/tcp/", "/dev/udp/"],
        r"/dev/(?:tcp|udp)/[^\s/]+/\d+",
        Check::None,
        "opens a network connection through bash's /dev/tcp (reverse shell)",
    ),
    report(
        "reverse-shell.netcat",
        Critical,
        &[
            "\nnc ", " nc ", "\tnc ", "|nc ", "(nc ", ";nc ", "nc -", "-e /bin", "-c /bin",
            "| /bin/", "ncat", "netcat", "mkfifo", "socat",
        ],
        r"(?i)\b(?:nc|ncat|netcat)\b[^\n]*\s-[a-z]*[ec]\s+(?:/bin/|/usr/bin/)?(?:ba|z)?sh\b|\bmkfifo\b[^\n]*\b(?:nc|ncat|netcat|openssl\s+s_client)\b|\b(?:nc|ncat|netcat)\s+\S+\s+\d+[^\n]*\|\s*(?:/bin/)?(?:ba)?sh\b|\bsocat\b[^\n]*\bexec:[^\n]*(?:sh|bash)",
        Check::None,
        "netcat/socat wired to a shell (reverse or bind shell)",
    ),
    report(
        "reverse-shell.interactive",
        Critical,
        &["-i >", "-i>", "0>&1", "0<&"],
        r"(?i)\b(?:ba|z)?sh\s+-i\s*(?:[0-9]?>&|>\s*&)|0>&1[^\n]*/dev/|\bexec\s+\d+<>/dev/",
        Check::None,
        "interactive shell redirected to a socket",
    ),
    signal(
        Signal::Socket,
        &[
            "socket",
            "net.connect",
            "net.socket",
            "createconnection",
            "tcpclient",
        ],
        r"(?i)\bsocket\.socket\s*\(|\.connect\s*\(\s*\(|\bnet\.(?:connect|createConnection|Socket)\b|\bnew\s+net\.Socket|System\.Net\.Sockets\.TCPClient|\bTCPClient\b",
    ),
    signal(
        Signal::Pty,
        &[
            "pty.",
            "dup2",
            "spawn(",
            "/bin/sh",
            "/bin/bash",
            "cmd.exe",
            ".pipe(",
        ],
        r#"(?i)\bpty\.spawn\b|\bos\.dup2\s*\(|spawn\s*\(\s*["'](?:/bin/)?(?:ba)?sh["']|subprocess\.\w+\(\s*\[\s*["']/bin/(?:ba)?sh["']\s*,\s*["']-i|\.pipe\(\s*(?:sh|shell|proc)\.stdin|cmd\.exe"#,
    ),
    // --- credentials ---
    report(
        "credential.openclaw-state",
        Low,
        &[
            ".openclaw",
            ".clawdbot",
            ".moltbot",
            "clawdbot.json",
            "auth-profiles.json",
            "openclaw_gateway_token",
        ],
        r"(?i)(?:^|[\s/\\'\x22`(=~+,])\.(?:openclaw|clawdbot|moltbot)(?:-[a-z0-9]+)?['\x22`]?\s*[/\\,+]+\s*['\x22`]?(?:openclaw\.json|\.env|credentials|secrets\.json|clawdbot\.json|moltbot\.json|agents[/\\]+[^/\\\s]+[/\\]+(?:agent|sessions))\b|(?:~|\$home|\$\{home\}|homedir\(\))[/\\]+\.(?:openclaw|clawdbot|moltbot)/?(?:[\s'\x22`;)]|$)|auth-profiles\.json|\bOPENCLAW_GATEWAY_TOKEN\b",
        Check::None,
        "touches OpenClaw's own secrets (gateway token, API keys, credentials); critical with an exfiltration sink",
    ),
    report(
        "credential.ssh-key",
        Low,
        &[".ssh", "id_rsa", "id_ed25519", "id_ecdsa"],
        r"(?i)\.ssh[/\\]+(?:id_(?:rsa|dsa|ecdsa|ed25519)(?:_sk)?(?:\.pub)?|identity)\b|\bid_(?:rsa|ed25519|ecdsa)\b(?:\.pub)?",
        Check::PrivateKey,
        "touches an SSH private key",
    ),
    report(
        "credential.cloud",
        Low,
        &[
            ".aws",
            "gcloud",
            "application_default_credentials",
            ".azure",
            ".kube",
            ".docker",
            ".netrc",
            ".git-credentials",
            ".npmrc",
            ".pypirc",
        ],
        r"(?i)\.aws[/\\]+credentials|\.config[/\\]+gcloud|application_default_credentials\.json|\.azure[/\\]|\.kube[/\\]+config|\.docker[/\\]+config\.json|\.netrc\b|\.git-credentials|\.npmrc\b|\.pypirc\b",
        Check::None,
        "touches cloud or registry credentials",
    ),
    report(
        "credential.wallet",
        Medium,
        &[
            "wallet",
            ".bitcoin",
            ".ethereum",
            "electrum",
            "exodus",
            "solana",
            "metamask",
            "nkbihfbeogaeaoehlefnkodbefgpgknn",
            "keystore",
        ],
        r"(?i)wallet\.dat|\.bitcoin[/\\]|\.ethereum[/\\]+keystore|electrum[/\\]+wallets|exodus[/\\]+exodus\.wallet|\.config[/\\]+solana[/\\]+id\.json|nkbihfbeogaeaoehlefnkodbefgpgknn|(?:^|[^@\w.-])metamask[/\\]|Local\s+Extension\s+Settings",
        Check::WalletPath,
        "reads cryptocurrency wallet files",
    ),
    report(
        "credential.browser-store",
        Medium,
        &[
            "login data",
            "cookies",
            "logins.json",
            "key4.db",
            "local state",
            "web data",
        ],
        r"[/\\'\x22](?-i:Login Data)\b|(?i)\blogins\.json\b|\bkey4\.db\b|\bcookies\.sqlite\b|(?:chrome|chromium|brave\w*|microsoft[/\\]+edge|firefox|mozilla|opera|vivaldi)[/\\][^\n]{0,80}(?:cookies|local\s+state|web\s+data)\b",
        Check::None,
        "reads browser password or cookie stores",
    ),
    report(
        "credential.keychain-dump",
        Medium,
        &[
            "dump-keychain",
            "login.keychain",
            "find-generic-password",
            "find-internet-password",
        ],
        r"(?i)\bsecurity\s+dump-keychain\b|\bsecurity\s+find-(?:generic|internet)-password\b[^\n]*-[a-z]*g",
        Check::None,
        "dumps the macOS keychain",
    ),
    report(
        "credential.system-secrets",
        Medium,
        &["/etc/shadow", "/etc/gshadow", "hklm\\sam", "lsass"],
        r"(?i)/etc/g?shadow\b|\breg\s+save\s+hklm\\sam\b|\blsass(?:\.exe)?\b[^\n]*(?:dump|procdump|minidump)",
        Check::None,
        "reads system password hashes",
    ),
    report(
        "credential.dotenv-read",
        Low,
        &[".env"],
        r#"(?i)\b(?:cat|type|less|head|tail|open|readfile(?:sync)?|read_text|get-content|fs\.read\w*)\b[^\n]{0,40}\.env\b(?:["'\s)]|$)"#,
        Check::None,
        "reads a .env file",
    ),
    report(
        "credential.env-dump",
        Low,
        &[
            "printenv",
            "env |",
            "env|",
            "env >",
            "env>",
            "env)",
            "set |",
            "set|",
            "process.env",
            "environ",
            "env:",
        ],
        r"(?i)(?:^|[;&|`]\s*|\$\()\s*(?:printenv|env|set)\s*(?:\||>|$|\))|json\.stringify\(\s*process\.env\s*\)|(?:dict|json\.dumps|str)\(\s*(?:dict\()?\s*os\.environ\s*\)|get-childitem\s+env:|object\.entries\(\s*process\.env\s*\)|\{\s*\.\.\.process\.env\s*\}[^\n]*(?:fetch|post|send)",
        Check::None,
        "collects the whole environment (every secret in it)",
    ),
    signal(
        Signal::SecretEnv,
        &["key", "token", "secret", "password", "passwd"],
        r"(?i)(?:\$\{?|process\.env\.|process\.env\[['\x22]|environ(?:\.get)?\(?\[?['\x22]|getenv\(\s*['\x22]|\$env:)[A-Z0-9_]*(?:KEY|TOKEN|SECRET|PASSWORD|PASSWD)[A-Z0-9_]*",
    ),
    signal(Signal::BotTokenLiteral, &[":aa"], r"\b\d{6,12}:AA[\w-]{6,}"),
    signal(
        Signal::HttpSend,
        &[
            "curl",
            "wget",
            "requests.",
            "httpx.",
            "urlopen",
            "fetch",
            "axios",
            "sendbeacon",
            "invoke-",
            "uploadfile",
            "uploadstring",
            "scp ",
            "rsync",
            "smtplib",
            "
nc ",
            " nc ",
            "http.request",
            "https.request",
        ],
        r"(?i)\bcurl\b[^\n]*\s(?:-d\b|--data|-F\b|--form|-T\b|--upload-file|-X\s*(?:POST|PUT)|--json)|\bwget\b[^\n]*--post-(?:data|file)|\brequests\.(?:post|put|patch)\s*\(|\bhttpx\.(?:post|put)|urlopen\([^\n]*data|\bfetch\s*\(|\baxios\b|sendBeacon|invoke-(?:webrequest|restmethod)\b[^\n]*-(?:method\s+(?:post|put)|body|infile)|uploadfile|uploadstring|\bscp\s|\brsync\b[^\n]*@|smtplib|\bnc\s+\S+\s+\d+\s*<|https?\.request\s*\(",
    ),
    // --- persistence and tampering ---
    report(
        "persistence.crontab",
        Medium,
        &[
            "crontab",
            "/etc/cron",
            "/var/spool/cron",
            "launchagents",
            "launchdaemons",
            "schtasks",
            "currentversion\\run",
        ],
        r"(?i)\|\s*crontab\b|\bcrontab\s+-\s*(?:$|[;&|)])|\bcrontab\s+(?:-u\s+\S+\s+)?[./~$]\S*|(?:>>?|tee\s+(?:-a\s+)?|cp\s[^\n]*|mv\s[^\n]*)\s*(?:/etc/cron|/var/spool/cron)|(?:>>?|tee\s|cp\s[^\n]*|mv\s[^\n]*)\s*\S*Library/Launch(?:Agents|Daemons)/|\bschtasks\s+/create\b|CurrentVersion\\Run\b",
        Check::EscalateOnNetwork,
        "installs a scheduled job (cron, launchd, Task Scheduler, Run key)",
    ),
    report(
        "persistence.systemd",
        Medium,
        &["systemd"],
        r"(?i)(?:>>?|tee\s+(?:-a\s+)?|cp\s+\S+\s+|mv\s+\S+\s+|install\s+[^\n]*)\s*\S*(?:/etc/systemd/system/|\.config/systemd/user/)\S+\.(?:service|timer)",
        Check::EscalateOnNetwork,
        "writes a systemd unit",
    ),
    report(
        "persistence.shell-rc",
        Medium,
        &["bashrc", "zshrc", "profile", "zshenv", "bash_login"],
        r"(?i)(?:>>|tee\s+-a)\s*[\x22']?(?:~|\$HOME|\$\{HOME\})/\.(?:bashrc|zshrc|profile|bash_profile|zprofile|zshenv|bash_login)\b",
        Check::RcContent,
        "appends to a shell start-up file (runs on every login)",
    ),
    report(
        "persistence.authorized-keys",
        Medium,
        &["authorized_keys"],
        r"(?i)(?:>>?|tee\s|appendfile|writefile|write|add-content|set-content|cp\s|mv\s)[^\n]*authorized_keys",
        Check::None,
        "adds an SSH key to authorized_keys (persistent remote login)",
    ),
    report(
        "persistence.sudoers",
        Medium,
        &["nopasswd", "sudoers", "visudo"],
        r"(?i)\bNOPASSWD\b|(?:>>?|tee\s|cp\s|echo)[^\n]*/etc/sudoers|\bvisudo\b",
        Check::ScopedSudo,
        "grants passwordless sudo",
    ),
    report(
        "tamper.agent-files",
        Medium,
        &[
            "soul.md",
            "agents.md",
            "identity.md",
            "memory.md",
            "bootstrap.md",
            "heartbeat.md",
            "user.md",
        ],
        r#"(?i)(?:[^\s>]\s*>>?|tee\s+(?:-a\s+)?|writefile(?:sync)?\(|appendfile(?:sync)?\(|write_text\(|set-content|add-content|out-file|sed\s+-i)[^\n]*\b(?:SOUL|AGENTS|IDENTITY|MEMORY|BOOTSTRAP|HEARTBEAT|USER)\.md\b|\b(?:SOUL|AGENTS|IDENTITY|MEMORY|BOOTSTRAP|HEARTBEAT|USER)\.md["']?\s*,\s*["'][wa]\+?["']"#,
        Check::AgentFile,
        "code writes OpenClaw's prompt-level persistence files",
    ),
    report(
        "tamper.agent-files-instruction",
        Medium,
        &["soul.md", "agents.md", "identity.md"],
        r"(?i)\b(?:add|append|write|insert|inject|put|prepend)\b[^\n]{0,80}\b(?:to|into|in)\s+(?:your\s+|the\s+)?[`\x22']?(?:SOUL|AGENTS|IDENTITY)\.md",
        Check::None,
        "tells the agent to rewrite its own identity/instruction files",
    ),
    report(
        "tamper.firewall-off",
        High,
        &[
            "ufw",
            "firewalld",
            "iptables",
            "nft",
            "setenforce",
            "set-mppreference",
            "advfirewall",
            "spctl",
            "apparmor",
            "fail2ban",
            "clawguard",
            "auditd",
        ],
        r"(?i)\bufw\s+(?:--force\s+)?disable\b|\bsystemctl\s+(?:stop|disable|mask)\s+(?:--now\s+)?(?:firewalld|ufw|apparmor|auditd|clawguard|fail2ban)\b|\biptables\s+(?:-F|--flush)\b|\biptables\s+-P\s+INPUT\s+ACCEPT|\bnft\s+flush\s+ruleset|\bsetenforce\s+0|set-mppreference[^\n]*-disable\w*\s+\$?true|\bnetsh\s+advfirewall\s+set\s+\S+\s+state\s+off|\bspctl\s+--master-disable",
        Check::None,
        "turns off the firewall or another host defence",
    ),
    report(
        "tamper.quarantine-removal",
        Medium,
        &["com.apple.quarantine"],
        r"(?i)\bxattr\s+-[a-z]*[dc][a-z]*\s[^\n]*com\.apple\.quarantine|\bxattr\s+-c\b",
        Check::None,
        "strips macOS Gatekeeper quarantine from a download",
    ),
    report(
        "tls.verify-disabled",
        Medium,
        &[
            "curl",
            "verify",
            "node_tls_reject_unauthorized",
            "rejectunauthorized",
            "insecureskipverify",
            "no-check-certificate",
            "pythonhttpsverify",
            "servercertificatevalidationcallback",
            "_create_unverified_context",
            "cert_none",
            "sslverify",
        ],
        r"(?i)\bcurl\b[^\n]*\s(?:-[A-Za-z]*k[A-Za-z]*|--insecure)(?:\s|$)|\bverify\s*=\s*(?-i:False)\b|NODE_TLS_REJECT_UNAUTHORIZED\s*=\s*[\x22']?0|rejectUnauthorized\s*:\s*false|InsecureSkipVerify\s*:\s*true|--no-check-certificate|PYTHONHTTPSVERIFY\s*=\s*[\x22']?0|ServerCertificateValidationCallback\s*=\s*\{\s*\$true|ssl\._create_unverified_context|\bCERT_NONE\b|http\.sslVerify\s+false",
        Check::None,
        "disables TLS certificate verification",
    ),
    report(
        "destructive.delete",
        Medium,
        &[
            "rm -",
            "rm	",
            "mkfs",
            "dd if",
            "dd of",
            "shred",
            ":()",
            "remove-item",
            "del /",
        ],
        r#"(?i)\brm\s+(?:-[a-z]*\s+|--[a-z-]+\s+)*(?:-[a-z]*r[a-z]*|--recursive)\s+(?:-[a-z]+\s+|--[a-z-]+\s+)*["']?(?:/|/\*|~/?|~/\*|\$HOME/?|\$\{HOME\}/?|/(?:etc|usr|var|boot|home|root|bin|lib|opt|srv)/?|(?:~|\$HOME)/\.(?:openclaw|clawdbot|ssh|config)/?)["']?(?:\s|;|&|\||\)|$)|\bmkfs(?:\.\w+)?\s+/dev/|\bdd\s+[^\n]*of=/dev/(?:sd|nvme|disk|hd|vd|mmcblk)|\bshred\b[^\n]*/dev/|:\(\)\s*\{\s*:\s*\|\s*:\s*&\s*\}\s*;\s*:|remove-item\b[^\n]*-recurse[^\n]*\b[a-z]:\\(?:\s|$|\*)|\bdel\s+/[fsq][^\n]*\b[a-z]:\\(?:\s|$|\*)"#,
        Check::None,
        "destroys the system, the home directory or OpenClaw's state",
    ),
    // --- miners ---
    report(
        "miner.crypto",
        Critical,
        &[
            "stratum+",
            "xmrig",
            "minerd",
            "cpuminer",
            "cryptonight",
            "randomx",
            "donate-level",
            "nicehash",
            "coinhive",
            "moneroocean",
            "supportxmr",
            "nanopool",
            "2miners",
            "ethermine",
            "minexmr",
        ],
        r"(?i)stratum\+(?:tcp|ssl|tls)://|\bxmrig\b|\bminerd\b|\bcpuminer\b|\bcryptonight\b|\brandomx\b|--donate-level|\bnicehash\b|\bcoinhive\b|moneroocean\.stream|supportxmr\.com|nanopool\.org|2miners\.com|ethermine\.org|minexmr\.com",
        Check::None,
        "cryptocurrency miner",
    ),
    // --- prompt injection ---
    report(
        "prompt-injection.override",
        High,
        &[
            "ignore",
            "disregard",
            "forget",
            "override",
            "you are now",
            "system prompt",
            "jailbreak",
        ],
        r"(?i)\b(?:ignore|disregard|forget|override|bypass)\s+(?:all\s+|any\s+|every\s+)?(?:of\s+)?(?:the\s+|your\s+|these\s+)?(?:(?:previous|prior|above|earlier|preceding|system|original|safety|security|developer)\s+){1,2}(?:instructions|prompts?|rules|guidelines|directives|messages|guardrails|policies)|\byou\s+are\s+now\s+(?:in\s+)?(?:developer|dan|jailbreak|god|unrestricted)\s*mode|\bnew\s+system\s+prompt\s*:",
        Check::None,
        "tries to override the agent's instructions",
    ),
    report(
        "prompt-injection.conceal",
        Medium,
        &[
            "silently",
            "secretly",
            "quietly",
            "covertly",
            "without telling",
            "without informing",
            "without notifying",
            "without asking",
            "without alerting",
            "not tell",
            "n't tell",
            "never tell",
            "not inform",
            "n't inform",
            "never inform",
            "not notify",
            "n't notify",
            "never notify",
            "not mention",
            "n't mention",
            "never mention",
            "not reveal",
            "n't reveal",
            "never reveal",
            "not show",
            "n't show",
            "never show",
            "not alert",
            "n't alert",
            "never alert",
            "not let",
            "n't let",
            "never let",
            "dont ",
            "from the user",
            "from user",
            "from the human",
            "from the owner",
            "from human",
            "from owner",
        ],
        r"(?i)\b(?:do\s+not|don'?t|never)\s+(?:tell|inform|notify|mention\s+(?:this|it)\s+to|reveal\s+(?:this|it)\s+to|show\s+(?:this|it)\s+to|alert|let)\s+(?:the\s+)?(?:user|human|owner|operator)s?\b|\bwithout\s+(?:telling|informing|notifying|alerting)\s+(?:the\s+)?(?:user|human|owner|operator)|\b(?:hide|conceal)\s+(?:this|these|the|all|any|your)?\s*(?:actions?|steps?|commands?|output|activity|requests?)\s+from\s+(?:the\s+)?(?:user|human|owner)|\b(?:silently|secretly|quietly|covertly)\s+(?:run|execute|send|upload|post|install|download|copy|forward|exfiltrate|read|collect|transmit)",
        Check::Concealment,
        "tells the agent to hide what it does from the user",
    ),
    report(
        "prompt-injection.send-memory",
        Medium,
        &[
            "memory",
            "memories",
            "conversation",
            "chat history",
            "chat log",
            "transcript",
            "session log",
            "session file",
            "api key",
            "credentials",
            "secrets",
            "passwords",
            "private key",
            ".env",
            "openclaw.json",
            "soul.md",
        ],
        // The destination must look like one (a URL, an address, a host,
        // "the server", a known sink): "wants to share" is not a destination.
        r"(?i)\b(?:(?:send|upload|post|forward|transmit|exfiltrate|share|copy)\s+(?:(?:the|your|all|its|every|full|entire)\s+)*|email\s+(?:(?:the|your|all|its|every|full|entire)\s+)+)(?:contents?\s+of\s+)?(?:the\s+|your\s+)?(?:memory|memories|MEMORY\.md|SOUL\.md|conversation(?:\s+history)?|chat\s+(?:history|logs?)|transcripts?|session\s+(?:logs?|files?)|api\s+keys?|credentials|secrets|passwords|private\s+keys?|\.env(?:\s+file)?|openclaw\.json)(?:[^\w.\n-]|$)[^\n]{0,80}?\b(?:to|at|via)\s+(?:[\x60\x22'<(\[]|https?:|[\w.+-]+@|[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b|(?:the|this|that|my|our|an?|any|some|your)\s+(?:[\w-]+\s+)?(?:server|endpoint|webhook|url|address|email|channel|api|bot|chat|site|host|domain|inbox|service|collector|dashboard)|(?:pastebin|discord|slack|telegram|gist|webhook)\b|\S*(?:webhook|endpoint|hooks?\.))",
        Check::RestrictedSend,
        "tells the agent to send memory, history or secrets somewhere",
    ),
    report(
        "prompt-injection.store-secret",
        Medium,
        &[
            "memory.md",
            "soul.md",
            "to memory",
            "in memory",
            "into memory",
            "your memory",
            "to notes",
            "in notes",
            "into notes",
            "your notes",
            "to your memory",
            "in your memory",
        ],
        r"(?i)\b(?:save|store|write|remember|persist|record)\s+(?:the\s+|this\s+|your\s+|any\s+|all\s+)?(?:api\s+keys?|tokens?|passwords?|credentials?|secrets?|private\s+keys?|seed\s+phrases?)\s+(?:to|in|into)\s+(?:your\s+)?(?:memory|MEMORY\.md|SOUL\.md|notes)\b",
        Check::None,
        "tells the agent to keep secrets in its memory files",
    ),
];

/// A cheap test run before a rule's regex on a line where only `anchors`
/// (all of the rule's anchors when `None`) were found. It must be exact: it
/// may return false only when the regex cannot match the line, which the
/// comment on each entry argues from the pattern.
pub(crate) struct Gate {
    /// The rule's id and output (signals share the id `signal`).
    pub rule: (&'static str, Output),
    pub anchors: Option<&'static [&'static str]>,
    pub test: fn(&[u8]) -> bool,
}

pub(crate) static GATES: &[Gate] = &[
    // Every branch needs `|`, optional `\s*`, then `sudo`, `/bin/`, a shell,
    // an interpreter or `iex`.
    Gate {
        rule: ("download-exec.pipe-shell", Output::Report),
        anchors: None,
        test: pipe_to_interpreter,
    },
    // `(?:&&|;)` is not optional.
    Gate {
        rule: ("download-exec.fetch-then-run", Output::Report),
        anchors: None,
        test: |t| memchr::memchr(b';', t).is_some() || memchr::memmem::find(t, b"&&").is_some(),
    },
    // With `curl` as the only anchor, only the `\bcurl\b…(-k|--insecure)`
    // branch can match: each other branch holds another anchor.
    Gate {
        rule: ("tls.verify-disabled", Output::Report),
        anchors: Some(&["curl"]),
        test: curl_insecure_flag,
    },
    // With `curl`/`wget` as the only anchors, the branches left are the curl
    // upload flags, `wget …--post-`, `\bscp\s` and `\bnc … <`: each other
    // branch holds another anchor.
    Gate {
        rule: ("signal", Output::Signal(Signal::HttpSend)),
        anchors: Some(&["curl", "wget"]),
        test: |t| {
            curl_upload_flag(t)
                || contains_ci(t, b"--post-")
                || contains_ci(t, b"scp")
                || memchr::memchr(b'<', t).is_some()
        },
    },
];

/// `\s` of a byte regex without Unicode.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// ASCII case-insensitive substring test (`needle` lowercase).
pub(crate) fn contains_ci(hay: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    memchr::memchr2_iter(first, first.to_ascii_uppercase(), hay).any(|i| {
        hay.len() - i > rest.len() && hay[i + 1..i + 1 + rest.len()].eq_ignore_ascii_case(rest)
    })
}

/// A `|` followed by optional whitespace and a byte that can start `sudo`,
/// `/bin/`, `/usr/bin/`, `sh`, `bash`, `zsh`, `dash`, `ksh`, `fish`,
/// `python`, `perl`, `node`, `ruby` or `iex`.
fn pipe_to_interpreter(t: &[u8]) -> bool {
    memchr::memchr_iter(b'|', t).any(|i| {
        t[i + 1..]
            .iter()
            .find(|&&b| !is_space(b))
            .is_some_and(|b| b"s/bzdkfpnri".contains(&b.to_ascii_lowercase()))
    })
}

/// Whitespace, then `-` and letters holding `k`, then whitespace or the end;
/// or `--insecure` there.
fn curl_insecure_flag(t: &[u8]) -> bool {
    memchr::memchr_iter(b'-', t).any(|i| {
        if i == 0 || !is_space(t[i - 1]) {
            return false;
        }
        let rest = &t[i + 1..];
        let letters = rest.iter().take_while(|b| b.is_ascii_alphabetic()).count();
        let ends = |n: usize| rest.get(n).is_none_or(|&b| is_space(b));
        rest[..letters]
            .iter()
            .any(|b| b.eq_ignore_ascii_case(&b'k'))
            && ends(letters)
            || rest.len() >= 9 && rest[..9].eq_ignore_ascii_case(b"-insecure") && ends(9)
    })
}

/// Whitespace, then `-d`, `-f`, `-t`, `-x`, `--d…`, `--f…`, `--u…` or `--j…`.
fn curl_upload_flag(t: &[u8]) -> bool {
    memchr::memchr_iter(b'-', t).any(|i| {
        if i == 0 || !is_space(t[i - 1]) {
            return false;
        }
        match t.get(i + 1).map(u8::to_ascii_lowercase) {
            Some(b'd' | b'f' | b't' | b'x') => true,
            Some(b'-') => t
                .get(i + 2)
                .is_some_and(|b| b"dfuj".contains(&b.to_ascii_lowercase())),
            _ => false,
        }
    })
}

/// All anchors of all rules, lowercase, with the rules each belongs to.
pub(crate) struct Prefilter {
    /// Reports a bit mask of rules where anchors end (each distinct anchor
    /// is searched once, however many rules share it). Bit
    /// `RULES.len() + j` stands for `GATES[j]`'s anchors.
    pub dfa: AnchorDfa,
    /// `GATES[j]` → the index of its rule.
    pub gate_rule: Vec<usize>,
}

impl Prefilter {
    /// The rules whose regex must run on `text`, given the anchor bits found
    /// on it: a gated bit becomes its rule's bit when the gate passes.
    pub fn resolve(&self, mask: u128, text: &[u8]) -> u128 {
        let mut gated = mask >> RULES.len();
        let mut mask = mask & ((1u128 << RULES.len()) - 1);
        while gated != 0 {
            let j = gated.trailing_zeros() as usize;
            gated &= gated - 1;
            let bit = 1u128 << self.gate_rule[j];
            if mask & bit == 0 && (GATES[j].test)(text) {
                mask |= bit;
            }
        }
        mask
    }
}

pub(crate) static PREFILTER: LazyLock<Prefilter> = LazyLock::new(|| {
    let mut pats: Vec<&'static str> = Vec::new();
    let mut rules: Vec<u128> = Vec::new();
    let gate_rule: Vec<usize> = GATES
        .iter()
        .map(|g| {
            RULES
                .iter()
                .position(|r| (r.id, r.output) == g.rule)
                .expect("gate rule")
        })
        .collect();
    for (i, r) in RULES.iter().enumerate() {
        for a in r.anchors {
            let gate = GATES.iter().enumerate().position(|(j, g)| {
                gate_rule[j] == i && g.anchors.is_none_or(|set| set.contains(a))
            });
            let bit = 1u128 << gate.map_or(i, |j| RULES.len() + j);
            match pats.iter().position(|p| p == a) {
                Some(at) => rules[at] |= bit,
                None => {
                    pats.push(a);
                    rules.push(bit);
                }
            }
        }
    }
    let pats: Vec<&[u8]> = pats.iter().map(|p| p.as_bytes()).collect();
    Prefilter {
        dfa: AnchorDfa::new(&pats, &rules),
        gate_rule,
    }
});

pub(crate) static COMPILED: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    RULES
        .iter()
        .map(|r| {
            regex::bytes::RegexBuilder::new(r.pattern)
                .unicode(false)
                .size_limit(32 << 20)
                .build()
                .unwrap_or_else(|e| panic!("rule {}: {e}", r.id))
        })
        .collect()
});

/// Every rule id with its default severity and what it means (table rules and
/// the rules computed elsewhere), for `--format sarif` and the docs.
pub fn rule_catalog() -> Vec<(&'static str, Severity, &'static str)> {
    let mut out: Vec<(&'static str, Severity, &'static str)> = RULES
        .iter()
        .filter(|r| r.output == Output::Report)
        .map(|r| (r.id, r.severity, r.message))
        .collect();
    out.extend_from_slice(EXTRA_RULES);
    out
}

/// Rules decided outside the line table.
pub(crate) const EXTRA_RULES: &[(&str, Severity, &str)] = &[
    (
        "behaviour.secret-to-outside",
        Critical,
        "a secret read by the skill reaches a send to an outside host as its data",
    ),
    (
        "behaviour.agent-exfiltration",
        Critical,
        "the instructions send the agent's data to a fixed outside address",
    ),
    (
        "behaviour.untrusted-prerequisite",
        Critical,
        "a prerequisite to download and run from a host no one vouches for",
    ),
    (
        "behaviour.dropper",
        Critical,
        "starts work in the background that installs skills, fetches code or posts secrets",
    ),
    (
        "behaviour.conceal-risky-action",
        Critical,
        "hides a risky action from the user",
    ),
    (
        "behaviour.untrusted-download-run",
        Critical,
        "downloads code from a bad or look-alike host, or in an install hook from an unknown one, and runs it",
    ),
    (
        "behaviour.backdoor-key",
        Critical,
        "appends a fixed public key to authorized_keys",
    ),
    (
        "behaviour.wallet-sweep",
        Critical,
        "sends a wallet's whole balance (less the fee) to an address written into the skill",
    ),
    (
        "behaviour.password-capture",
        Critical,
        "defines its own sudo, su or ssh that reads the password the user types",
    ),
    (
        "behaviour.agent-file-orders",
        Critical,
        "writes standing orders to act without asking into an agent file",
    ),
    (
        "behaviour.wipe",
        Critical,
        "removes the home directory or the root",
    ),
    (
        "behaviour.reverse-shell",
        Critical,
        "connects to a fixed outside address and hands it a shell",
    ),
    (
        "behaviour.clipboard-swap",
        Critical,
        "overwrites the clipboard and holds a fixed wallet address: a copied address becomes the thief's",
    ),
    (
        "behaviour.untrusted-package-index",
        Critical,
        "installs packages from an index on a look-alike or bad host, or on an unknown host whose TLS check is turned off",
    ),
    (
        "behaviour.payment-redirect",
        Critical,
        "tells the agent to redirect the user's payments or links (an IBAN, a payee, affiliate links) and keep it from them",
    ),
    (
        "behaviour.remote-command",
        Critical,
        "runs what a server or a DNS TXT answer sends back, in a polling loop: a remote control",
    ),
    (
        "behaviour.reverse-tunnel",
        Critical,
        "forwards the gateway's or sshd's port to a fixed outside host (`ssh -R … relay@host`)",
    ),
    (
        "behaviour.model-redirect",
        High,
        "points a model provider's base URL at a host that is not the provider: requests and the API key go there",
    ),
    (
        "behaviour.protection-off",
        High,
        "turns off the firewall, brute-force protection or OpenClaw's safeguards without saying it manages them",
    ),
    (
        "lure.terminal-payload",
        Critical,
        "terminal-paste lure together with a download-and-run payload",
    ),
    (
        "download-exec.password-archive-executable",
        Critical,
        "password-protected archive plus instructions to run an executable",
    ),
    (
        "exfil.credential-to-sink",
        Critical,
        "reads credentials and sends to a webhook, paste site, tunnel or raw IP",
    ),
    (
        "exfil.credential-upload",
        High,
        "reads credentials and uploads data in the same file",
    ),
    (
        "exfil.env-dump",
        Medium,
        "dumps the environment and sends it over the network (critical beside a known exfiltration sink)",
    ),
    (
        "exfil.secret-env-to-sink",
        Medium,
        "sends a secret environment variable to a webhook, paste site, tunnel or raw IP",
    ),
    (
        "reverse-shell.socket-pty",
        Critical,
        "socket connected to a shell or pty (reverse shell)",
    ),
    (
        "obfuscation.decoded-payload",
        High,
        "an encoded blob decodes to code that other rules flag",
    ),
    (
        "obfuscation.encoded-blob",
        Info,
        "an encoded blob decodes to text (scanned again)",
    ),
    (
        "hidden.unicode-tags",
        High,
        "invisible Unicode tag characters (ASCII smuggling)",
    ),
    (
        "hidden.zero-width",
        Medium,
        "zero-width characters inside words",
    ),
    (
        "hidden.bidi",
        Medium,
        "bidirectional control characters (Trojan Source)",
    ),
    (
        "hidden.html-comment",
        High,
        "HTML comment holding instructions the user does not see rendered",
    ),
    (
        "manifest.always",
        Medium,
        "`always: true` loads the skill whatever its requirements",
    ),
    (
        "manifest.undeclared-bin",
        Low,
        "binary used but not declared in requires.bins",
    ),
    (
        "manifest.undeclared-env",
        Low,
        "environment variable used but not declared in requires.env",
    ),
    ("manifest.invalid", Low, "frontmatter cannot be parsed"),
    (
        "manifest.missing",
        Info,
        "no SKILL.md/HOOK.md/openclaw.plugin.json",
    ),
    (
        "manifest.fingerprint-mismatch",
        High,
        "files differ from the .clawhub/origin.json fingerprint",
    ),
    (
        "install.untrusted-source",
        High,
        "install spec downloads from a raw IP, plain http or a non-release host",
    ),
    (
        "install.package",
        Low,
        "install spec uses pip or an unknown installer kind",
    ),
    (
        "typosquat.name",
        Medium,
        "name imitates a popular skill or tool",
    ),
    (
        "content.executable",
        Medium,
        "compiled executable shipped inside the skill",
    ),
    (
        "reader.symlink",
        Low,
        "symlink inside the skill (never followed)",
    ),
    (
        "reader.symlink-escape",
        High,
        "symlink pointing out of the skill (never followed)",
    ),
    (
        "reader.truncated",
        Medium,
        "scan incomplete: a file, size or depth cap was hit",
    ),
    (
        "reader.file-truncated",
        Medium,
        "file larger than the per-file cap; only its start was scanned",
    ),
    (
        "manifest.too-deep",
        Medium,
        "manifest nests past the parser bound; not parsed",
    ),
    (
        "manifest.too-large",
        Medium,
        "frontmatter past the size bound, or aliases expanding past the parser's limits; not parsed",
    ),
    (
        "reader.special-file",
        Low,
        "device, fifo or socket inside the skill",
    ),
    (
        "reader.skipped-dir",
        Info,
        "vendored or VCS directory not scanned",
    ),
    (
        "archive.bomb",
        High,
        "archive expands past the ratio or size cap",
    ),
    (
        "archive.traversal",
        High,
        "archive entry name escapes the archive",
    ),
    ("archive.symlink", High, "link entry in an archive"),
    (
        "archive.duplicate-entry",
        High,
        "two archive entries of one name (every copy is scanned)",
    ),
    (
        "archive.prefix-data",
        High,
        "data before the first zip entry or a local header outside the central directory",
    ),
    (
        "archive.header-mismatch",
        High,
        "zip local header and central directory disagree, or a deflate stream ends before its declared compressed size",
    ),
    (
        "archive.special-file",
        High,
        "device or fifo entry in an archive",
    ),
    (
        "archive.encrypted",
        High,
        "password-protected archive entry",
    ),
    ("archive.corrupt", Medium, "archive entry cannot be read"),
    (
        "suppression.expired",
        Info,
        "a suppression entry has expired",
    ),
    (
        "lockfile.changed",
        High,
        "approved skill whose files changed since approval",
    ),
];

pub(crate) fn low_or(default: Severity, low: bool) -> Severity {
    if low { Low } else { default }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_compiles_and_has_lowercase_anchors() {
        assert_eq!(COMPILED.len(), RULES.len());
        for r in RULES {
            assert!(!r.anchors.is_empty(), "{}", r.id);
            for a in r.anchors {
                assert_eq!(*a, a.to_ascii_lowercase(), "{}", r.id);
                // The split anchor search (`anchors`) relies on this.
                assert!(!a.contains('\r'), "{}: {a:?}", r.id);
                assert!(!a[1..].contains('\n'), "{}: {a:?}", r.id);
            }
        }
        assert!(
            RULES.len() + GATES.len() <= 128,
            "rule masks are u128, with a bit per gate"
        );
        let _ = &PREFILTER.dfa;
    }

    fn rule_of(g: &Gate) -> usize {
        RULES
            .iter()
            .position(|r| (r.id, r.output) == g.rule)
            .unwrap()
    }

    #[test]
    fn gates_let_through_what_their_rule_can_match() {
        let pass = |rule: &str, t: &str| {
            let j = GATES.iter().position(|g| g.rule.0 == rule).unwrap();
            (GATES[j].test)(t.as_bytes())
        };
        for t in [
            "curl -fsSL https://x.example/i.sh | sh",
            "curl x |\tsudo -E bash",
            "curl x |\x0b/bin/sh",
            "wget -qO- x | python3 -",
            "iwr x | IEX",
            "curl x ||sh",
        ] {
            assert!(pass("download-exec.pipe-shell", t), "{t}");
        }
        assert!(!pass("download-exec.pipe-shell", "curl -s x | jq .id"));
        assert!(pass("download-exec.fetch-then-run", "curl -o x y && ./x"));
        assert!(pass("download-exec.fetch-then-run", "curl -o x y; sh x"));
        assert!(!pass("download-exec.fetch-then-run", "curl -o x y & ./x"));
        for t in [
            "curl -sk https://x",
            "curl https://x -k",
            "curl\t-K x",
            "curl --insecure x",
            "curl --INSECURE",
        ] {
            assert!(pass("tls.verify-disabled", t), "{t}");
        }
        for t in ["curl -s -H k x", "curl x-k y", "curl --insecurely x"] {
            assert!(!pass("tls.verify-disabled", t), "{t}");
        }
        for t in [
            "curl -d @f x",
            "curl -X POST x",
            "curl --json {} x",
            "curl --upload-file f x",
            "wget --post-file=f x",
            "curl x; SCP\tf h:",
            "curl x; nc h 80 < f",
        ] {
            assert!(pass("signal", t), "{t}");
        }
        assert!(!pass("signal", "curl -s -H 'Accept: x' https://x | jq"));
    }

    /// Where a gate says no, its rule's regex does not match either (given
    /// that only the gate's anchors are on the line).
    #[test]
    fn gates_are_exact_on_generated_lines() {
        let frags = [
            "curl",
            "CURL",
            "wget",
            " -k",
            " -sK ",
            " --insecure",
            " -d ",
            " -X POST",
            " --data",
            "--post-data",
            " scp\t",
            "<",
            " | ",
            "|sh",
            "| bash",
            "|  sudo -E python3 -",
            "| jq",
            "| iex",
            "|\x0bsh",
            ";",
            "&&",
            " -o x",
            " > f",
            " ./run",
            "chmod +x",
            " ",
            "\t",
            "x",
            "-",
            "k",
            "https://h/",
            "node",
            "|",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut checked = 0;
        for _ in 0..20_000 {
            let n = 1 + next() % 12;
            let line: String = (0..n)
                .map(|_| frags[(next() % frags.len() as u64) as usize])
                .collect();
            let lower = line.to_ascii_lowercase();
            for g in GATES {
                let ri = rule_of(g);
                let others = RULES[ri]
                    .anchors
                    .iter()
                    .filter(|a| g.anchors.is_some_and(|set| !set.contains(a)))
                    .any(|a| lower.contains(a));
                if others || (g.test)(line.as_bytes()) {
                    continue;
                }
                checked += 1;
                assert!(
                    !COMPILED[ri].is_match(line.as_bytes()),
                    "{}: {line:?}",
                    RULES[ri].id
                );
            }
        }
        assert!(checked > 10_000);
    }

    #[test]
    fn gated_anchors_resolve_to_their_rule() {
        let pf = &*PREFILTER;
        let tls = RULES
            .iter()
            .position(|r| r.id == "tls.verify-disabled")
            .unwrap();
        let mask_of = |t: &str| {
            let mut found = Vec::new();
            pf.dfa.find(t.as_bytes(), &mut found);
            let mask = found.iter().fold(0, |acc, &(_, m)| acc | m);
            pf.resolve(mask, t.as_bytes())
        };
        assert_ne!(mask_of("curl -sk https://x") & (1 << tls), 0);
        assert_eq!(mask_of("curl -s https://x") & (1 << tls), 0);
        // Another anchor of the rule: the regex runs whatever the gate says.
        assert_ne!(mask_of("curl -s x --no-check-certificate") & (1 << tls), 0);
        assert_eq!(mask_of("curl -s x") >> RULES.len(), 0);
    }

    #[test]
    fn rule_ids_are_unique() {
        let mut ids: Vec<_> = rule_catalog().into_iter().map(|r| r.0).collect();
        ids.sort();
        let n = ids.len();
        ids.dedup();
        assert_eq!(n, ids.len());
    }
}
