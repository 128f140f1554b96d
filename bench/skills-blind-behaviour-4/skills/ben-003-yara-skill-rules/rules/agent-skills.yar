rule Skill_CryptoMiner_Config
{
    meta:
        description = "Monero miner config or stratum pool URL inside a skill"
        severity = "high"
    strings:
        $s1 = "stratum+tcp://" ascii nocase
        $s2 = "stratum+ssl://" ascii nocase
        $s3 = "xmrig" ascii nocase
        $s4 = "\"donate-level\"" ascii
    condition:
        any of ($s1, $s2) or ($s3 and $s4)
}

rule Skill_ReverseShell_Oneliner
{
    meta:
        description = "Common reverse shell one-liners"
        severity = "critical"
    strings:
        $bash = /bash -i >& ?\/dev\/tcp\/[0-9a-z.\-]+\/[0-9]+/
        $nc   = /nc(at)? [^\n]{0,40}-e \/bin\/(ba)?sh/
        $py   = "pty.spawn(\"/bin/" ascii
        $ps   = "System.Net.Sockets.TCPClient" ascii nocase
    condition:
        any of them
}

rule Skill_ClawHavoc_Loader
{
    meta:
        description = "ClawHavoc loader: base64 blob piped through base64 -D into bash"
        reference = "Koi Security ClawHavoc report, 2026-02"
    strings:
        $b64 = /echo '[A-Za-z0-9+\/=]{40,}' \| base64 -D \| bash/
        $pw  = "extract using pass" ascii nocase
    condition:
        any of them
}
