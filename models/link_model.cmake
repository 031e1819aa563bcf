# Checks the SHA-256 of a model file (Debian's landmark model; fr_feature.onnx with COPY) and links
# (or copies) it into the build's models folder
# (cmake -P script, called by models/CMakeLists.txt).
if(NOT EXISTS ${SOURCE})
  message(FATAL_ERROR "models: ${SOURCE} is missing. Install Debian's libdlib-data "
                      "(scripts/setup.sh does).")
endif()
file(SHA256 ${SOURCE} _hash)
if(NOT _hash STREQUAL EXPECTED_SHA256)
  message(FATAL_ERROR "models: ${SOURCE} has SHA-256 ${_hash}, expected ${EXPECTED_SHA256} "
                      "(see models/README.md for the pinned package).")
endif()
get_filename_component(_dir ${OUTPUT} DIRECTORY)
file(MAKE_DIRECTORY ${_dir})
file(REMOVE ${OUTPUT})
if(COPY)
  file(COPY_FILE ${SOURCE} ${OUTPUT})
else()
  file(CREATE_LINK ${SOURCE} ${OUTPUT} SYMBOLIC)
endif()
