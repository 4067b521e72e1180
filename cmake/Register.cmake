# Runs at `cmake --install` (install(SCRIPT), after install(CODE) set the
# DQODBC_* variables). Writes share/dqlite-odbc/odbcinst.ini naming the
# driver where it was installed now (the prefix given to --install wins over
# the one configured), then registers it with unixODBC's odbcinst:
#  - DESTDIR set (a package being staged): no registration; the package's
#    postinst registers (cmake/deb/postinst);
#  - DQODBC_NO_REGISTER set in the environment: no registration;
#  - registration failing (not root, no odbcinst): a warning with the
#    command to run, never a failed install: the files are in place.
set(_libdir "${DQODBC_LIBDIR}")
if(NOT IS_ABSOLUTE "${_libdir}")
  set(_libdir "${CMAKE_INSTALL_PREFIX}/${_libdir}")
endif()
set(_datadir "${DQODBC_DATADIR}")
if(NOT IS_ABSOLUTE "${_datadir}")
  set(_datadir "${CMAKE_INSTALL_PREFIX}/${_datadir}")
endif()
set(DQODBC_DRIVER "${_libdir}/odbc/libdqliteodbc.so")
set(_ini_dir "${_datadir}/dqlite-odbc")
set(_ini "${_ini_dir}/odbcinst.ini")

configure_file("${DQODBC_INI_TEMPLATE}" "${DQODBC_BUILD_DIR}/odbcinst.ini" @ONLY)
file(INSTALL DESTINATION "${_ini_dir}" TYPE FILE FILES "${DQODBC_BUILD_DIR}/odbcinst.ini")

if(DEFINED ENV{DESTDIR} AND NOT "$ENV{DESTDIR}" STREQUAL "")
  message(STATUS "DESTDIR set: the driver is not registered here (the package's postinst does it)")
  return()
endif()
if(DEFINED ENV{DQODBC_NO_REGISTER} AND NOT "$ENV{DQODBC_NO_REGISTER}" STREQUAL "")
  message(STATUS "DQODBC_NO_REGISTER set: not registering; to register: odbcinst -i -d -f ${_ini}")
  return()
endif()
find_program(ODBCINST odbcinst)
if(NOT ODBCINST)
  message(WARNING "odbcinst not found (Debian package odbcinst): the driver is installed "
                  "but not registered; register it with: odbcinst -i -d -f ${_ini}")
  return()
endif()

# One registration per install location, however often it is installed:
# already registered, the entry is rewritten (-i counts one more user) and
# that count taken back (-u, only from 2 up: at 0 odbcinst deletes), so the
# usage count others rely on is kept.
execute_process(COMMAND ${ODBCINST} -q -d -n dqlite
                RESULT_VARIABLE _known OUTPUT_QUIET ERROR_QUIET)
execute_process(COMMAND ${ODBCINST} -i -d -f ${_ini}
                RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
if(NOT _rc EQUAL 0)
  string(STRIP "${_out}" _out)
  message(WARNING "registering the driver with unixODBC failed (${_out}); the files are "
                  "installed; register it as root with: odbcinst -i -d -f ${_ini}")
  return()
endif()
string(REGEX MATCH "increased to ([0-9]+)" _m "${_out}")
if(_known EQUAL 0 AND CMAKE_MATCH_1 GREATER 1)
  execute_process(COMMAND ${ODBCINST} -u -d -n dqlite OUTPUT_QUIET ERROR_QUIET)
endif()
message(STATUS "Registered driver 'dqlite' -> ${DQODBC_DRIVER} (odbcinst -q -d -n dqlite)")
