#include "qml/bridge/camera_feed.h"

#include <chrono>

namespace uketsuke::qml {

CameraFeed::CameraFeed(Callbacks callbacks) : callbacks_(std::move(callbacks)) {}

CameraFeed::~CameraFeed() {
    stop();
}

bool CameraFeed::isStillImage(const std::string& spec) {
    return vision::FrameSourceSpec::parse(spec, vision::Pacing::kRealTime).kind ==
           vision::FrameSourceKind::kStillImage;
}

void CameraFeed::setSpec(const std::string& spec) {
    std::lock_guard lock(mutex_);
    if (spec == spec_)
        return;
    spec_ = spec;
    ++specGeneration_;
    wake_.notify_all();
}

void CameraFeed::setActive(bool active) {
    std::lock_guard lock(mutex_);
    active_ = active;
    wake_.notify_all();
}

void CameraFeed::start() {
    thread_ = std::thread([this] { run(); });
}

void CameraFeed::stop() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
        wake_.notify_all();
    }
    if (thread_.joinable())
        thread_.join();
}

void CameraFeed::run() {
    std::unique_ptr<vision::FrameSource> source;
    std::optional<vision::Frame> still;  // a still image is decoded once and repeated
    std::uint64_t openedGeneration = ~std::uint64_t{0};
    std::int64_t index = 0;
    for (;;) {
        std::string spec;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return stop_ || (active_ && !spec_.empty()); });
            if (stop_)
                return;
            spec = spec_;
            if (openedGeneration != specGeneration_) {
                openedGeneration = specGeneration_;
                source.reset();
                still.reset();
            }
        }
        if (!source && !still) {
            auto opened = vision::openFrameSource(
                vision::FrameSourceSpec::parse(spec, vision::Pacing::kRealTime));
            if (!opened) {
                callbacks_.availability(false);
                std::unique_lock lock(mutex_);
                wake_.wait_for(lock, std::chrono::seconds(2), [&] { return stop_; });
                continue;
            }
            callbacks_.availability(true);
            source = std::move(opened).takeValue();
            if (source->kind() == vision::FrameSourceKind::kStillImage) {
                still = source->next();
                source.reset();
                if (!still) {
                    callbacks_.availability(false);
                    continue;
                }
            }
        }
        if (still) {
            vision::Frame frame{still->bgr, static_cast<std::int64_t>(index * 1000 / kStillFps),
                                index};
            ++index;
            callbacks_.frame(frame);
            std::unique_lock lock(mutex_);
            wake_.wait_for(lock, std::chrono::milliseconds(static_cast<int>(1000 / kStillFps)),
                           [&] { return stop_; });
            continue;
        }
        auto frame = source->next();  // paced by the source (kRealTime)
        if (!frame) {
            source.reset();  // reopened on the next turn: a file camera loops
            callbacks_.endOfStream();
            continue;
        }
        callbacks_.frame(*frame);
    }
}

}  // namespace uketsuke::qml
