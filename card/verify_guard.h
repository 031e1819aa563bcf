// The one VERIFY guard of the card layer (auth PIN of JPKI-AP, 照合番号B of 券面AP): a VERIFY is
// sent only after the counter was queried (00 20 00 80, no data, no try consumed) and only when it
// cannot lock the credential without a human deciding to (reference §4 "Policy").
#pragma once

#include <string_view>

#include "card/card_error.h"
#include "card/iso7816.h"

namespace uketsuke::card {

// Whether the caller has confirmed (staff, or the patient after a strong warning) that the next
// VERIFY may be the last try before the credential locks (reference §4 "Policy").
enum class LastTry { kNotConfirmed, kConfirmed };

// A VERIFY is refused at this many tries left or fewer unless the last try is confirmed: never
// spend the last try without a human deciding to.
inline constexpr int kDefaultVerifyFloor = 1;

// `counter` is what 00 20 00 80 just answered for the selected key EF. Refuses a blocked
// credential (blocked), one without a counter (conditions-not-satisfied: never guess), one left
// verified in this card session (already-verified, Errata 2), and one at `floor` tries or fewer
// unless `lastTry` is kConfirmed (tries-too-low); otherwise VERIFYs through `iso`, a wrong secret
// giving wrong-credential with triesLeft. `what` names the credential in errors. The secret is
// wiped whatever happens.
CardStatus guardedVerify(Iso7816& iso, const RetryCounter& counter, SecretBytes secret,
                         std::string_view what, int floor, LastTry lastTry);

}  // namespace uketsuke::card
