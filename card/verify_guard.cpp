#include "card/verify_guard.h"

#include <string>
#include <utility>

namespace uketsuke::card {

CardStatus guardedVerify(Iso7816& iso, const RetryCounter& counter, SecretBytes secret,
                         std::string_view what, int floor, LastTry lastTry) {
    const std::string name(what);
    switch (counter.state) {
        case RetryCounter::State::kBlocked:
            return fail(CardError{CardErrorCode::kBlocked, 0, name + " blocked", 0});
        case RetryCounter::State::kNoCounter:
            // No counter: the credential's use is impossible or undefined on this card (a 顔認証
            // card may look like this, reference §7). Never guess.
            return cardFail(CardErrorCode::kConditionsNotSatisfied, name + " has no counter");
        case RetryCounter::State::kAlreadyVerified:
            // Errata 2: a state left over in this card session; the caller resets the card
            // rather than trusting a verification nobody saw.
            return cardFail(CardErrorCode::kAlreadyVerified, name + " already verified");
        case RetryCounter::State::kTriesLeft:
            break;
    }
    const int effectiveFloor = lastTry == LastTry::kConfirmed ? 0 : floor;
    if (counter.triesLeft <= effectiveFloor) {
        return fail(CardError{CardErrorCode::kTriesTooLow, 0,
                              name + ": too few tries left (last try not confirmed)",
                              counter.triesLeft});
    }
    auto r = iso.verify(std::move(secret));
    if (!r) {
        CardError e = r.error();
        e.context = "VERIFY " + name;
        return Failure<CardError>{std::move(e), r.status()};
    }
    return r;
}

}  // namespace uketsuke::card
