# Warnings are errors everywhere in our own code.
set(DQODBC_WARNINGS
    -Wall -Wextra -Werror
    -Wshadow -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes
    -Wpointer-arith -Wcast-qual -Wundef -Wnull-dereference
    -Wno-missing-field-initializers)
# Diagnostic messages are truncated into fixed buffers on purpose (GCC only).
if(CMAKE_C_COMPILER_ID STREQUAL "GNU")
  list(APPEND DQODBC_WARNINGS -Wno-format-truncation)
endif()
add_compile_options(${DQODBC_WARNINGS})
add_compile_options(-fno-strict-aliasing)
