# Warnings are errors everywhere in our own code.
set(DQODBC_WARNINGS
    -Wall -Wextra -Werror
    -Wshadow -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes
    -Wpointer-arith -Wcast-qual -Wundef -Wnull-dereference
    -Wno-missing-field-initializers)
add_compile_options(${DQODBC_WARNINGS})
add_compile_options(-fno-strict-aliasing)
