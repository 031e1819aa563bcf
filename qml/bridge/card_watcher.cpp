#include "qml/bridge/card_watcher.h"

#include <chrono>

#include "card/pcsc_reader.h"

namespace uketsuke::qml {

CardWatcher::CardWatcher(std::string reader, Callbacks callbacks)
    : reader_(std::move(reader)), callbacks_(std::move(callbacks)) {}

CardWatcher::~CardWatcher() {
    stop();
}

void CardWatcher::start() {
    stop_ = false;
    thread_ = std::thread([this] { run(); });
}

void CardWatcher::stop() {
    stop_ = true;
    {
        std::lock_guard lock(contextMutex_);
        if (context_)
            context_->cancel();
    }
    if (thread_.joinable())
        thread_.join();
}

void CardWatcher::run() {
    bool present = false;
    std::string holding;  // the reader that holds the card (reader_ may be a pattern)
    while (!stop_) {
        std::shared_ptr<card::PcscContext> context;
        {
            std::lock_guard lock(contextMutex_);
            if (!context_) {
                auto established = card::PcscContext::establish();
                if (established)
                    context_ = std::move(established).takeValue();
            }
            context = context_;
        }
        if (!context) {
            state_ = ReaderState::kNoService;
            std::this_thread::sleep_for(std::chrono::seconds(1));
            continue;
        }
        if (!present) {
            auto in = context->waitForCard(reader_, kPollMs);
            if (in) {
                state_ = ReaderState::kOk;
                present = true;
                holding = *in;  // reader_ may be a pattern: watch the reader that has the card
                if (!stop_)
                    callbacks_.inserted();
                continue;
            }
            const auto code = in.error().code;
            if (code == card::CardErrorCode::kTimeout || code == card::CardErrorCode::kCanceled) {
                state_ = ReaderState::kOk;
                continue;
            }
            state_ = code == card::CardErrorCode::kNoService ? ReaderState::kNoService
                                                             : ReaderState::kNoReader;
            if (code == card::CardErrorCode::kNoService) {
                // pcscd went away: a new context is needed once it is back.
                std::lock_guard lock(contextMutex_);
                context_.reset();
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(kPollMs));
        } else {
            auto out = context->waitForRemoval(holding.empty() ? reader_ : holding, kPollMs);
            if (out) {
                present = false;
                if (!stop_)
                    callbacks_.removed();
                continue;
            }
            const auto code = out.error().code;
            if (code != card::CardErrorCode::kTimeout && code != card::CardErrorCode::kCanceled) {
                // The reader or pcscd vanished: the card is gone as far as the session goes.
                present = false;
                if (!stop_)
                    callbacks_.removed();
                std::this_thread::sleep_for(std::chrono::milliseconds(kPollMs));
            }
        }
    }
}

}  // namespace uketsuke::qml
