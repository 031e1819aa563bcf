// APDU log redaction: credentials, signature inputs and 券面AP contents never appear; Release
// strips every data field.
#include "card/apdu_log.h"

#include <gtest/gtest.h>

namespace uketsuke::card {
namespace {

const Bytes kSelectKenmen = *fromHex("00 A4 04 0C 0A D3 92 10 00 31 00 01 01 04 02");
const Bytes kSelectJpki = *fromHex("00 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01");
const Bytes kSw9000 = *fromHex("90 00");

// A VERIFY with a PIN shows only the header and the length.
TEST(ApduLog, VerifyDataIsRedactedInEveryMode) {
    for (auto detail : {ApduLogDetail::kRedacted, ApduLogDetail::kStripped}) {
        ApduLogger log(detail);
        const std::string line = log.formatCommand(*fromHex("00 20 00 80 04 31 32 33 34"));
        EXPECT_EQ(line.find("31 32 33 34"), std::string::npos) << line;
        EXPECT_NE(line.find("00 20 00 80"), std::string::npos) << line;
    }
}

// The 照合番号B (14 digits) never appears either.
TEST(ApduLog, VerificationNumberBIsRedacted) {
    ApduLogger log(ApduLogDetail::kRedacted);
    log.formatCommand(kSelectKenmen);
    const std::string line =
        log.formatCommand(*fromHex("00 20 00 80 0E 35 35 30 32 31 37 32 30 33 35 32 32 38 35"));
    EXPECT_EQ(line.find("35 35 30 32"), std::string::npos) << line;
    EXPECT_NE(line.find("credential redacted"), std::string::npos) << line;
}

// The signature input (DigestInfo) is redacted.
TEST(ApduLog, SignatureInputIsRedacted) {
    ApduLogger log(ApduLogDetail::kRedacted);
    const std::string line = log.formatCommand(*fromHex("80 2A 00 80 03 AA BB CC 00"));
    EXPECT_EQ(line.find("AA BB CC"), std::string::npos) << line;
}

// READ BINARY answers under 券面AP are redacted; under JPKI-AP (public certificates) shown.
TEST(ApduLog, KenmenContentsRedactedJpkiShown) {
    ApduLogger log(ApduLogDetail::kRedacted);
    log.formatCommand(kSelectKenmen);
    log.formatResponse(kSw9000);
    log.formatCommand(*fromHex("00 B0 00 00 00"));
    const std::string kenmen = log.formatResponse(*fromHex("FF 20 82 01 00 90 00"));
    EXPECT_EQ(kenmen.find("FF 20"), std::string::npos) << kenmen;
    EXPECT_NE(kenmen.find("SW 9000"), std::string::npos) << kenmen;

    log.formatCommand(kSelectJpki);
    log.formatResponse(kSw9000);
    log.formatCommand(*fromHex("00 B0 00 00 00"));
    const std::string jpki = log.formatResponse(*fromHex("30 82 05 00 90 00"));
    EXPECT_NE(jpki.find("30 82 05 00"), std::string::npos) << jpki;
}

// A SELECT the card refused leaves the selection unknown: reads are redacted, because the card
// may still be in 券面AP. The privacy guard reads the same tracker (Iso7816::selectedAp()).
TEST(ApduLog, RefusedSelectLeavesSelectionUnknownAndRedacted) {
    ApduLogger log(ApduLogDetail::kRedacted);
    log.formatCommand(kSelectKenmen);
    log.formatResponse(kSw9000);
    EXPECT_EQ(log.selected().current(), CardApplication::kKenmen);
    log.formatCommand(kSelectJpki);
    log.formatResponse(*fromHex("6A 82"));
    EXPECT_EQ(log.selected().current(), CardApplication::kOther);
    log.formatCommand(*fromHex("00 B0 00 00 00"));
    const std::string line = log.formatResponse(*fromHex("FF 20 82 01 00 90 00"));
    EXPECT_EQ(line.find("FF 20"), std::string::npos) << line;
    log.forgetSelection();
    EXPECT_EQ(log.selected().current(), CardApplication::kNone);
}

// One AID table: each known AID maps to its application, anything else is kOther.
TEST(CardApplications, AidTable) {
    EXPECT_EQ(applicationOfAid(kJpkiAid), CardApplication::kJpki);
    EXPECT_EQ(applicationOfAid(kKenmenAid), CardApplication::kKenmen);
    EXPECT_EQ(applicationOfAid(kTextAssistAid), CardApplication::kTextAssist);
    EXPECT_EQ(applicationOfAid(*fromHex("D3 92 10 00 31 00 01 01 04")), CardApplication::kOther);
    EXPECT_EQ(applicationOfAid(*fromHex("A0 00 00 00 03")), CardApplication::kOther);
}

// Stripped mode (Release) shows no data bytes at all, only lengths and SWs.
TEST(ApduLog, StrippedModeShowsNoData) {
    ApduLogger log(ApduLogDetail::kStripped);
    log.formatCommand(kSelectJpki);
    const std::string c = log.formatCommand(*fromHex("00 A4 02 0C 02 00 0A"));
    EXPECT_EQ(c.find("00 0A"), std::string::npos) << c;
    const std::string r = log.formatResponse(*fromHex("30 82 05 00 90 00"));
    EXPECT_EQ(r.find("30 82"), std::string::npos) << r;
    EXPECT_NE(r.find("4 bytes stripped"), std::string::npos) << r;
}

// The build's default matches NDEBUG: Release builds strip.
TEST(ApduLog, BuildDefaultFollowsNdebug) {
#ifdef NDEBUG
    EXPECT_EQ(kBuildApduLogDetail, ApduLogDetail::kStripped);
#else
    EXPECT_EQ(kBuildApduLogDetail, ApduLogDetail::kRedacted);
#endif
}

}  // namespace
}  // namespace uketsuke::card
