# Runs uketsuke-model-convert and checks the SHA-256 of its output (cmake -P script, called by
# models/CMakeLists.txt). The .dat only replaces OUTPUT when the hash matches.
foreach(f ${MANIFEST} ${WEIGHTS})
  if(NOT EXISTS ${f})
    message(FATAL_ERROR "models: ${f} is missing. Run scripts/setup.sh (it downloads and "
                        "checks the pinned @vladmandic/face-api package), then build again.")
  endif()
endforeach()
get_filename_component(_dir ${OUTPUT} DIRECTORY)
file(MAKE_DIRECTORY ${_dir})
set(_tmp ${OUTPUT}.tmp)
execute_process(COMMAND ${CONVERTER} ${MANIFEST} ${_tmp} RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  file(REMOVE ${_tmp})
  message(FATAL_ERROR "models: uketsuke-model-convert failed (${_rc})")
endif()
file(SHA256 ${_tmp} _hash)
if(NOT _hash STREQUAL EXPECTED_SHA256)
  file(REMOVE ${_tmp})
  message(FATAL_ERROR "models: converted model SHA-256 ${_hash} differs from the pinned "
                      "${EXPECTED_SHA256} (models/CMakeLists.txt). The weights or the converter "
                      "changed; see models/README.md.")
endif()
file(RENAME ${_tmp} ${OUTPUT})
