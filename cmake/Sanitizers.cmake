# -DDQODBC_SANITIZE=ON: AddressSanitizer (with LeakSanitizer) + UndefinedBehaviorSanitizer.
# UB aborts instead of printing and carrying on, so a sanitizer finding fails the test.
if(DQODBC_SANITIZE)
  set(_san -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_compile_options(${_san})
  add_link_options(${_san})
endif()
