/*
 * dqlite_odbc.h -- what dqlite-odbc adds to ODBC (installed with the
 * driver; the connection attribute table of docs/statements.md
 * describes each item).
 */
#ifndef DQLITE_ODBC_H
#define DQLITE_ODBC_H

#include <sqlext.h>

/* ODBC 3.8's base of driver-specific connection attributes (iODBC's 3.52
 * headers lack it). */
#ifndef SQL_DRIVER_CONN_ATTR_BASE
#define SQL_DRIVER_CONN_ATTR_BASE 0x00004000
#endif

/* Connection attribute, read-only, SQLULEN: the requests this connection
 * has written to dqlite servers since it was allocated (connecting, the
 * cluster walk and reconnects included), i.e. its round trips. */
#define SQL_ATTR_DQLITE_REQUESTS (SQL_DRIVER_CONN_ATTR_BASE + 0x0D01)

#endif /* DQLITE_ODBC_H */
