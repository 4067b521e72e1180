<?php
// A minimal TAP-style checker for the PHP client tests: every check prints
// "ok N - what" or "not ok N - what" (with the details), a failing case does
// not stop the next one, and the script ends with "N passed, N failed" and
// exit status 1 when anything failed.
$GLOBALS['dq_n'] = 0;
$GLOBALS['dq_failed'] = 0;

function check($cond, $what, $details = '') {
    $n = ++$GLOBALS['dq_n'];
    if ($cond) {
        echo "ok $n - $what\n";
    } else {
        $GLOBALS['dq_failed']++;
        echo "not ok $n - $what\n";
        if ($details !== '') {
            echo "#   " . str_replace("\n", "\n#   ", $details) . "\n";
        }
    }
    return (bool)$cond;
}

function check_same($got, $want, $what) {
    return check($got === $want, $what,
                 'got: ' . var_export($got, true) . "\nwant: " . var_export($want, true));
}

// Runs one case; an exception it did not expect fails it and the next case runs.
function run_case($name, $fn) {
    echo "# $name\n";
    try {
        $fn();
    } catch (Throwable $e) {
        check(false, "$name: no unexpected exception", get_class($e) . ': ' . $e->getMessage());
    }
}

function finish() {
    $n = $GLOBALS['dq_n'];
    $f = $GLOBALS['dq_failed'];
    echo "1..$n\n";
    echo ($n - $f) . " passed, $f failed\n";
    exit($f == 0 && $n > 0 ? 0 : 1);
}
