rule CoinMiner_XMRig_Config
{
    meta:
        description = "XMRig-style miner configuration"
    strings:
        $a = "stratum+tcp://" ascii
        $b = "stratum+ssl://" ascii
        $c = "\"donate-level\"" ascii
        $d = "xmrig" ascii nocase
    condition:
        2 of them
}

rule Stealer_BrowserStores
{
    meta:
        description = "Infostealer touching browser credential stores"
    strings:
        $l1 = "Login Data" ascii wide
        $l2 = "Local State" ascii wide
        $l3 = "key4.db" ascii
        $l4 = "logins.json" ascii
        $x  = "os_crypt" ascii
    condition:
        3 of them
}

rule ReverseShell_OneLiners
{
    strings:
        $s1 = "bash -i >& /dev/tcp/" ascii
        $s2 = "nc -e /bin/sh" ascii
        $s3 = "pty.spawn(\"/bin/bash\")" ascii
    condition:
        any of them
}
