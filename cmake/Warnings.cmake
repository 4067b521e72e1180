# Our own code builds warning-free: warnings are errors in development and
# CI (DQODBC_WERROR, on by default). Packagers building with a newer
# compiler, whose new warnings would stop the build, turn it off.
set(DQODBC_WARNINGS
    -Wall -Wextra
    -Wshadow -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes
    -Wpointer-arith -Wcast-qual -Wundef -Wnull-dereference
    -Wno-missing-field-initializers)
# Diagnostic messages are truncated into fixed buffers on purpose (GCC only).
if(CMAKE_C_COMPILER_ID STREQUAL "GNU")
  list(APPEND DQODBC_WARNINGS -Wno-format-truncation)
endif()
if(DQODBC_WERROR)
  list(APPEND DQODBC_WARNINGS -Werror)
endif()
add_compile_options(${DQODBC_WARNINGS})
add_compile_options(-fno-strict-aliasing)
