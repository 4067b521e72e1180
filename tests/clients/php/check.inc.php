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

// One step of the client matrix (tests/clients/scenario.py): runs $fn like
// run_case and prints "step CLIENT NAME ok", or FAIL when a check in it
// failed or it threw.
function step($client, $name, $fn) {
    $before = $GLOBALS['dq_failed'];
    run_case("matrix: $name", $fn);
    $failed = $GLOBALS['dq_failed'] - $before;
    echo $failed == 0 ? "step $client $name ok\n" : "step $client $name FAIL $failed check(s) failed\n";
}

// A step the client cannot do: "step CLIENT NAME n/a WHY".
function step_na($client, $name, $why) {
    echo "step $client $name n/a $why\n";
}

// The scenario's values (tests/clients/scenario.py).
function scenario_text() { return "h\u{e9} \u{20ac} \u{1F600}"; }
function scenario_blob() {
    $b = '';
    for ($i = 0; $i < 256; $i++) {
        $b .= chr(($i * 7 + 1) % 256);
    }
    return str_repeat($b, 4096); // 1 MiB: (i * 7 + 1) % 256 repeats every 256 bytes
}

function bulk_line($client, $seconds) {
    printf("bulk: %s 10000 rows in %.2f s (%d rows/s)\n", $client, $seconds, 10000 / $seconds);
}

function finish() {
    $n = $GLOBALS['dq_n'];
    $f = $GLOBALS['dq_failed'];
    echo "1..$n\n";
    echo ($n - $f) . " passed, $f failed\n";
    exit($f == 0 && $n > 0 ? 0 : 1);
}
