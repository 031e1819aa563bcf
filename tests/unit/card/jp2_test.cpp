// JP2 container check of the chip photo (DF27).
#include "card/jp2.h"

#include <gtest/gtest.h>

#include "card_test_support.h"

namespace uketsuke::card {
namespace {

// A well-formed JP2 passes and its header box gives the size and components.
TEST(Jp2, AcceptsMinimalJp2) {
    auto info = checkJp2(test::minimalJp2(90, 110, 500));
    ASSERT_TRUE(info.ok());
    EXPECT_EQ(info->widthPx, 90u);
    EXPECT_EQ(info->heightPx, 110u);
    EXPECT_EQ(info->components, 1);
    EXPECT_EQ(info->codestreamBytes, 500u);
}

// A bare J2K codestream, a PNG and random bytes are malformed photos.
TEST(Jp2, RejectsOtherFormats) {
    const std::vector<Bytes> bad{
        {0xFF, 0x4F, 0xFF, 0x51, 0x00, 0x29},
        {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0},
        Bytes(64, 0xAB),
        {},
    };
    for (const auto& b : bad) {
        auto r = checkJp2(b);
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().code, CardErrorCode::kMalformedPhoto);
    }
}

// Truncating the file anywhere gives malformed-photo, never an over-read.
TEST(Jp2, EveryTruncationIsMalformed) {
    const Bytes full = test::minimalJp2(10, 10, 40);
    for (std::size_t n = 0; n < full.size(); ++n) {
        EXPECT_FALSE(checkJp2(ByteView(full).first(n)).ok()) << n;
    }
}

// A box length larger than the file is refused.
TEST(Jp2, BoxLengthBeyondFileIsMalformed) {
    Bytes b = test::minimalJp2();
    b[12 + 3] = 0xFF;  // ftyp length
    EXPECT_FALSE(checkJp2(b).ok());
}

// A codestream that does not start with SOC SIZ is refused.
TEST(Jp2, CodestreamMustStartWithSocSiz) {
    Bytes b = test::minimalJp2();
    const std::size_t jp2c = b.size() - 600;
    b[jp2c] = 0x00;
    EXPECT_FALSE(checkJp2(b).ok());
}

}  // namespace
}  // namespace uketsuke::card
