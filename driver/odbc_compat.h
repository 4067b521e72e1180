/*
 * odbc_compat.h -- the ODBC 3.8 constants the driver uses that iODBC's
 * 3.52 headers do not define (the iODBC build, DQ_IODBC). Values are the
 * ODBC specification's; unixODBC's headers define them all, so this adds
 * nothing there.
 */
#ifndef DQ_ODBC_COMPAT_H
#define DQ_ODBC_COMPAT_H

#include <sqlext.h>

#ifndef SQL_ATTR_RESET_CONNECTION
#define SQL_ATTR_RESET_CONNECTION 116
#endif
#ifndef SQL_RESET_CONNECTION_YES
#define SQL_RESET_CONNECTION_YES 1UL
#endif
#ifndef SQL_OV_ODBC3_80
#define SQL_OV_ODBC3_80 380UL
#endif
#ifndef SQL_ASYNC_DBC_FUNCTIONS
#define SQL_ASYNC_DBC_FUNCTIONS 10023
#endif
#ifndef SQL_ASYNC_DBC_NOT_CAPABLE
#define SQL_ASYNC_DBC_NOT_CAPABLE 0x00000000L
#endif
#ifndef SQL_DRIVER_AWARE_POOLING_SUPPORTED
#define SQL_DRIVER_AWARE_POOLING_SUPPORTED 10024
#endif
#ifndef SQL_DRIVER_AWARE_POOLING_NOT_CAPABLE
#define SQL_DRIVER_AWARE_POOLING_NOT_CAPABLE 0x00000000L
#endif
#ifndef SQL_CONVERT_GUID
#define SQL_CONVERT_GUID 173
#endif

#endif /* DQ_ODBC_COMPAT_H */
