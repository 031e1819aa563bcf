# Configures and builds the libFuzzer tree with clang (run by the fuzz.libfuzzer.build test):
#   cmake -DSRC=… -DBIN=… -DCLANGXX=… -DREPO=… -P build_fuzzers.cmake
execute_process(
  COMMAND ${CMAKE_COMMAND} -S ${SRC} -B ${BIN} -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
          -DCMAKE_CXX_COMPILER=${CLANGXX} -DUKETSUKE_REPO=${REPO}
  RESULT_VARIABLE configured)
if(NOT configured EQUAL 0)
  message(FATAL_ERROR "configuring the libFuzzer build failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BIN} -j2 RESULT_VARIABLE built)
if(NOT built EQUAL 0)
  message(FATAL_ERROR "building the libFuzzer targets failed")
endif()
