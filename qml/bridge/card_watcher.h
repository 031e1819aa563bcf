// CardWatcher: watches one PC/SC reader on its own thread and reports card insertion and removal
// (issue 5). Waits are short (kPollMs) so that stop() returns promptly; stop() also cancels a
// wait in progress (SCardCancel). The callbacks run on the watcher thread: the bridge posts them
// to the session worker. `readerState` says whether pcscd and the reader are there (terminal
// status screen).
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace uketsuke::card {
class PcscContext;
}

namespace uketsuke::qml {

class CardWatcher {
  public:
    enum class ReaderState { kUnknown, kOk, kNoService, kNoReader };
    struct Callbacks {
        std::function<void()> inserted;
        std::function<void()> removed;
    };

    CardWatcher(std::string reader, Callbacks callbacks);
    ~CardWatcher();
    CardWatcher(const CardWatcher&) = delete;
    CardWatcher& operator=(const CardWatcher&) = delete;

    void start();
    void stop();
    ReaderState readerState() const { return state_.load(); }

  private:
    void run();

    static constexpr unsigned kPollMs = 400;
    std::string reader_;
    Callbacks callbacks_;
    std::atomic<bool> stop_{false};
    std::atomic<ReaderState> state_{ReaderState::kUnknown};
    std::mutex contextMutex_;
    std::shared_ptr<card::PcscContext> context_;
    std::thread thread_;
};

}  // namespace uketsuke::qml
