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
#ifndef SQL_ASYNC_DBC_CAPABLE
#define SQL_ASYNC_DBC_CAPABLE 0x00000001L
#endif
#ifndef SQL_ATTR_ASYNC_DBC_FUNCTIONS_ENABLE
#define SQL_ATTR_ASYNC_DBC_FUNCTIONS_ENABLE 117
#endif
#ifndef SQL_ASYNC_DBC_ENABLE_ON
#define SQL_ASYNC_DBC_ENABLE_ON 1UL
#endif
#ifndef SQL_ASYNC_DBC_ENABLE_OFF
#define SQL_ASYNC_DBC_ENABLE_OFF 0UL
#endif
#ifndef SQL_API_SQLCANCELHANDLE
#define SQL_API_SQLCANCELHANDLE 1550
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

#ifdef DQ_IODBC
/* ODBC 3.8's SQLCancelHandle, which iODBC's headers do not declare. */
SQLRETURN SQL_API SQLCancelHandle(SQLSMALLINT HandleType, SQLHANDLE InputHandle);
#endif

#endif /* DQ_ODBC_COMPAT_H */
