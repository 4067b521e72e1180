# `cpack -G DEB` in a build directory: two Debian packages.
#  - dqlite-odbc: the driver, its odbcinst.ini entry and docs; postinst
#    registers the driver with odbcinst, prerm unregisters it (usage counts
#    respected, as Debian's own ODBC driver packages do);
#  - dqlite-odbc-dev: dqlite_odbc.h (the driver's own attributes) and the
#    protocol engine (libdqclient.a, dqlite_client.h, dqlite-client.pc).
# Configure with -DCMAKE_INSTALL_PREFIX=/usr for a package (tests/package).
set(CPACK_PACKAGE_NAME dqlite-odbc)
set(CPACK_PACKAGE_VENDOR "The dqlite-odbc authors")
# who a package names as its maintainer: set it when you publish packages
set(DQODBC_MAINTAINER "dqlite-odbc authors <dqlite-odbc@example.org>" CACHE STRING
    "Maintainer field of the Debian packages")
set(CPACK_PACKAGE_CONTACT "${DQODBC_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "ODBC driver for dqlite (Raft-replicated SQLite)")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_DEBIAN_PACKAGE_RELEASE 1) # 0.1.0-1: a Debian revision of the upstream version
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL driver dev)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION database)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Depends: from the libraries the driver links (dpkg-shlibdeps), plus
# odbcinst for the maintainer scripts; a driver manager to load it.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_DRIVER_PACKAGE_NAME dqlite-odbc)
set(CPACK_DEBIAN_DRIVER_PACKAGE_DEPENDS "odbcinst")
set(CPACK_DEBIAN_DRIVER_PACKAGE_RECOMMENDS "unixodbc")
set(CPACK_DEBIAN_DRIVER_DESCRIPTION
    "An ODBC driver for dqlite clusters, loaded by the unixODBC driver manager.\n Registered with odbcinst as the driver named dqlite.")
set(CPACK_DEBIAN_DRIVER_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/cmake/deb/postinst ${PROJECT_SOURCE_DIR}/cmake/deb/prerm)
set(CPACK_DEBIAN_DRIVER_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_DEV_PACKAGE_NAME dqlite-odbc-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "dqlite-odbc (= ${PROJECT_VERSION}-1), unixodbc-dev, libuv1-dev, libssl-dev")
set(CPACK_DEBIAN_DEV_DESCRIPTION
    "Development files: dqlite_odbc.h (the driver's own connection attributes)\n and the dqlite protocol engine the driver is built on (a static library,\n its header and a pkg-config file, dqlite-client).")
set(CPACK_STRIP_FILES ON)

# Debian's per-package copyright and changelog (lintian asks for both), in
# a package build (prefix /usr) only.
set(_deb_doc ${CMAKE_CURRENT_BINARY_DIR}/deb-doc)
file(MAKE_DIRECTORY ${_deb_doc})
string(TIMESTAMP _deb_date "%a, %d %b %Y %H:%M:%S +0000" UTC)
configure_file(${PROJECT_SOURCE_DIR}/cmake/deb/changelog.in ${_deb_doc}/changelog @ONLY)
find_program(GZIP gzip)
if(GZIP AND CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  execute_process(COMMAND ${GZIP} -9nf ${_deb_doc}/changelog)
  foreach(_c driver dev)
    set(_pkg dqlite-odbc)
    if(_c STREQUAL dev)
      set(_pkg dqlite-odbc-dev)
    endif()
    install(FILES ${_deb_doc}/changelog.gz DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${_pkg}
            RENAME changelog.Debian.gz COMPONENT ${_c})
    install(FILES ${PROJECT_SOURCE_DIR}/LICENSE DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${_pkg}
            RENAME copyright COMPONENT ${_c})
  endforeach()
endif()
include(CPack)
