# -DDQODBC_SANITIZE=ON: AddressSanitizer (with LeakSanitizer) + UndefinedBehaviorSanitizer.
# UB aborts instead of printing and carrying on, so a sanitizer finding fails the test.
if(DQODBC_SANITIZE AND DQODBC_TSAN)
  message(FATAL_ERROR "DQODBC_SANITIZE and DQODBC_TSAN cannot be combined "
                      "(AddressSanitizer and ThreadSanitizer exclude each other): "
                      "configure two build directories")
endif()
if(DQODBC_SANITIZE)
  set(_san -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_compile_options(${_san})
  add_link_options(${_san})
endif()
# -DDQODBC_TSAN=ON: ThreadSanitizer over everything built here (engine,
# driver, harness, test programs) except the dqlite node launcher, which is
# the server side (tests/node/CMakeLists.txt takes the flags off it). Only
# the plain C thread test runs in such a build (tests/CMakeLists.txt):
# Criterion's runner cannot start under ThreadSanitizer.
if(DQODBC_TSAN)
  set(DQODBC_TSAN_FLAGS -fsanitize=thread -fno-omit-frame-pointer)
  add_compile_options(${DQODBC_TSAN_FLAGS})
  add_link_options(${DQODBC_TSAN_FLAGS})
endif()
