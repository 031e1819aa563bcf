# Log review (issue 5 "Log review"), included by qml/CMakeLists.txt before the QML module is made:
# the LogReviewModel (C++, QML_ELEMENT) joins uketsuke_qml, LogReview.qml joins the module.
target_sources(uketsuke_qml PRIVATE ${CMAKE_CURRENT_LIST_DIR}/log_review_model.cpp
                                    ${CMAKE_CURRENT_LIST_DIR}/log_review_model.h)
target_include_directories(uketsuke_qml PRIVATE ${CMAKE_CURRENT_LIST_DIR})
list(APPEND UKETSUKE_QML_VIEWS log/LogReview.qml)
