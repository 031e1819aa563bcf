# Checks the SHA-256 of Debian's landmark model and links it into the build's models folder
# (cmake -P script, called by models/CMakeLists.txt).
if(NOT EXISTS ${SOURCE})
  message(FATAL_ERROR "models: ${SOURCE} is missing. Install Debian's libdlib-data "
                      "(scripts/setup.sh does).")
endif()
file(SHA256 ${SOURCE} _hash)
if(NOT _hash STREQUAL EXPECTED_SHA256)
  message(FATAL_ERROR "models: ${SOURCE} has SHA-256 ${_hash}, expected ${EXPECTED_SHA256} "
                      "(libdlib-data 19.24+dfsg-1).")
endif()
get_filename_component(_dir ${OUTPUT} DIRECTORY)
file(MAKE_DIRECTORY ${_dir})
file(REMOVE ${OUTPUT})
file(CREATE_LINK ${SOURCE} ${OUTPUT} SYMBOLIC)
