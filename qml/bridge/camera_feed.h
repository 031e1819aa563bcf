// CameraFeed: pulls frames from a vision::FrameSource on its own thread while the screens need
// them (face capture, 目視), and hands each frame to a callback (issue 5). A file or image
// sequence loops; a still image is repeated at kStillFps so the preview and the face loop see a
// steady stream. The source can be switched at run time (e.g. a demo swapping the card). The
// callback runs on the camera thread and must not block: the bridge keeps only the newest frame
// for the session worker (frames are dropped while the worker is busy) and a downscaled preview.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "vision/frame_source.h"

namespace uketsuke::qml {

class CameraFeed {
  public:
    struct Callbacks {
        std::function<void(const vision::Frame&)> frame;
        std::function<void()> endOfStream;          // a video file ended (it restarts)
        std::function<void(bool ok)> availability;  // the source opened / failed
    };

    explicit CameraFeed(Callbacks callbacks);
    ~CameraFeed();
    CameraFeed(const CameraFeed&) = delete;
    CameraFeed& operator=(const CameraFeed&) = delete;

    // A FrameSourceSpec text ("camera:0", a video, "images:DIR", a still image).
    void setSpec(const std::string& spec);
    void setActive(bool active);
    void start();
    void stop();

    static bool isStillImage(const std::string& spec);

  private:
    void run();

    static constexpr double kStillFps = 8.0;
    Callbacks callbacks_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::string spec_;
    std::uint64_t specGeneration_ = 0;
    bool active_ = false;
    bool stop_ = false;
    std::thread thread_;
};

}  // namespace uketsuke::qml
