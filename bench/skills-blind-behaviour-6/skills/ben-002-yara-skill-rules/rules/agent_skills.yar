/*
   Detection rules for malicious agent skills (SKILL.md and helper scripts).
   Licence: MIT. Test corpus: public ClawHavoc samples (hashes in README).
*/

rule SKILL_Base64_Pipe_Shell
{
    meta:
        description = "echo <base64> | base64 -d | sh (ClawHavoc macOS stager)"
        severity = "critical"
    strings:
        $a = /echo\s+['"][A-Za-z0-9+\/=]{40,}['"]\s*\|\s*base64\s+-[dD]\s*\|\s*(ba|z)?sh/
    condition:
        $a
}

rule SKILL_Password_Zip_Lure
{
    meta:
        description = "password-protected archive + run the executable"
    strings:
        $p1 = "extract using pass" nocase
        $p2 = "archive password" nocase
        $z = ".zip" nocase
        $e = ".exe" nocase
    condition:
        ($p1 or $p2) and $z and $e
}

rule SKILL_Reverse_Shell
{
    strings:
        $r1 = "/dev/tcp/"
        $r2 = "bash -i >&"
        $r3 = /nc\s+(-\w+\s+)*-e\s+\/bin\/(ba)?sh/
        $r4 = "pty.spawn(\"/bin/"
        $r5 = "New-Object System.Net.Sockets.TCPClient"
    condition:
        any of them
}

rule SKILL_Miner
{
    strings:
        $m1 = "stratum+tcp://"
        $m2 = "xmrig" nocase
        $m3 = "--donate-level"
    condition:
        any of them
}

rule SKILL_Terminal_Lure
{
    strings:
        $l1 = "paste it into Terminal" nocase
        $l2 = "copy the installation script" nocase
        $l3 = "OpenClawProvider" nocase
    condition:
        any of them
}
