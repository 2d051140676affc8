# llmtap_embed(<target> NAMESPACE ns FILES name=path ...)
# Generates a static library whose header `<target>.h` declares
# `std::string_view ns::name()` for each file, returning its exact bytes.
function(llmtap_embed target)
  cmake_parse_arguments(ARG "" "NAMESPACE" "FILES" ${ARGN})
  set(out_dir ${CMAKE_CURRENT_BINARY_DIR}/generated)
  set(header ${out_dir}/${target}.h)
  set(source ${out_dir}/${target}.cc)
  set(decls "")
  set(inputs "")
  foreach(entry ${ARG_FILES})
    string(REPLACE "=" ";" parts ${entry})
    list(GET parts 0 name)
    list(GET parts 1 path)
    string(APPEND decls "std::string_view ${name}();\n")
    list(APPEND inputs ${path})
  endforeach()
  file(WRITE ${header}.in "#pragma once\n#include <string_view>\nnamespace ${ARG_NAMESPACE} {\n${decls}}\n")
  configure_file(${header}.in ${header} COPYONLY)
  # A ';' would split the shell command, so the list travels joined with '|'.
  string(REPLACE ";" "|" files_arg "${ARG_FILES}")
  add_custom_command(
    OUTPUT ${source}
    COMMAND ${CMAKE_COMMAND} -DOUT=${source} -DHEADER=${target}.h -DNS=${ARG_NAMESPACE}
            "-DFILES=${files_arg}" -P ${PROJECT_SOURCE_DIR}/cmake/embed_run.cmake
    VERBATIM
    DEPENDS ${inputs} ${PROJECT_SOURCE_DIR}/cmake/embed_run.cmake
    COMMENT "Embedding data files into ${target}")
  add_library(${target} STATIC ${source})
  target_include_directories(${target} PUBLIC ${out_dir})
endfunction()
