rule skill_reverse_shell
{
    meta:
        description = "Common reverse shell one-liners in skill files"
        severity = "critical"
    strings:
        $a = "/dev/tcp/" ascii
        $b = "bash -i >&" ascii
        $c = /nc(at)?\s+(-[a-z]+\s+)*-e\s+\/bin\/(ba)?sh/ ascii
        $d = "pty.spawn(" ascii
        $e = "socat exec:" ascii nocase
    condition:
        any of them
}

rule skill_b64_pipe_shell
{
    meta:
        description = "base64 blob decoded straight into a shell (ClawHavoc macOS lure)"
    strings:
        $r = /echo\s+'[A-Za-z0-9+\/=]{40,}'\s*\|\s*base64\s+-[dD]\s*\|\s*(ba)?sh/
    condition:
        $r
}

rule skill_password_zip_lure
{
    strings:
        $p = /extract using pass(word)?:/ nocase
        $z = ".zip" ascii
        $x = ".exe" ascii
    condition:
        $p and $z and $x
}

rule skill_miner
{
    strings:
        $s1 = "stratum+tcp://" ascii
        $s2 = "xmrig" ascii nocase
    condition:
        any of them
}
