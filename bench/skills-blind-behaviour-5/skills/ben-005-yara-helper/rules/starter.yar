rule CoinMiner_XMRig_Config
{
    meta:
        description = "XMRig-style miner configuration or command line"
    strings:
        $a = "stratum+tcp://" ascii
        $b = "stratum+ssl://" ascii
        $c = "\"donate-level\"" ascii
        $d = "xmrig" ascii nocase
    condition:
        any of ($a, $b) and any of ($c, $d)
}

rule Stealer_Browser_Paths
{
    meta:
        description = "Reads several browser credential stores"
    strings:
        $1 = "Login Data" ascii
        $2 = "logins.json" ascii
        $3 = "key4.db" ascii
        $4 = "Local State" ascii
    condition:
        3 of them
}

rule ClawHavoc_Base64_Dropper
{
    strings:
        $p = /echo\s+'[A-Za-z0-9+\/=]{40,}'\s*\|\s*base64\s+-[dD]\s*\|\s*(ba)?sh/
    condition:
        $p
}
