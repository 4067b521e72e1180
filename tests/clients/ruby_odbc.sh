#!/bin/sh
# Runs ruby with libodbc preloaded: Debian 12's ruby-odbc cannot allocate an
# ODBC environment otherwise (docs/clients.md). A preload already asked for
# (the ASan runtime in the sanitizer build) stays first.
LD_PRELOAD="${LD_PRELOAD:+$LD_PRELOAD:}libodbc.so.2"
export LD_PRELOAD
exec ruby "$@"
