# mdmlab_target_defaults(<target>): warnings (and -Werror) for our own code only.
function(mdmlab_target_defaults target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-missing-field-initializers
    # GCC 12 false positive on Asio awaitable frames (custom operator new/delete pair).
    $<$<CXX_COMPILER_ID:GNU>:-Wno-mismatched-new-delete>)
  if(MDMLAB_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR})
endfunction()

# mdmlab_test(<name> SOURCES ... LIBS ... [LABELS ...]): a Boost.Test executable registered with CTest.
function(mdmlab_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${T_SOURCES} ${PROJECT_SOURCE_DIR}/tests/test_main.cpp)
  mdmlab_target_defaults(${name})
  target_link_libraries(${name} PRIVATE ${T_LIBS} Boost::unit_test_framework)
  target_compile_definitions(${name} PRIVATE BOOST_TEST_DYN_LINK
    MDMLAB_SOURCE_DIR="${PROJECT_SOURCE_DIR}" MDMLAB_BINARY_DIR="${PROJECT_BINARY_DIR}")
  add_test(NAME ${name} COMMAND ${name} --log_level=test_suite --report_level=short)
  if(T_LABELS)
    set_tests_properties(${name} PROPERTIES LABELS "${T_LABELS}")
  endif()
  if(TARGET mdmlab)
    set_tests_properties(${name} PROPERTIES ENVIRONMENT "MDMLAB_CLI=$<TARGET_FILE:mdmlab>")
  endif()
endfunction()
