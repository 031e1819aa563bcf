// The session adapter (terminal/session/ocr_card_front.h): OCR first, staff entry as fallback,
// and no reading handed out twice in one card session.
#include "terminal/session/ocr_card_front.h"

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "sim/card_front/card_front_test_set.h"

namespace cf = uketsuke::vision::card_front;
namespace sim = uketsuke::sim;
using uketsuke::SecretBytes;
using uketsuke::terminal::CardFrontFields;
using uketsuke::terminal::CardFrontReader;
using uketsuke::terminal::OcrCardFrontReader;
using namespace std::chrono;

namespace {

// Staff entry double: hands out the queued fields, counts the requests.
class FakeStaffEntry final : public CardFrontReader {
  public:
    std::optional<CardFrontFields> readFields() override {
        ++asked;
        if (!next)
            return std::nullopt;
        CardFrontFields f;
        f.birthDate = next->birthDate;
        f.expiryYear = next->expiryYear;
        f.securityCode = SecretBytes(code);
        return f;
    }
    struct Plain {
        year_month_day birthDate;
        int expiryYear;
    };
    std::optional<Plain> next;
    std::string code;
    int asked = 0;
};

std::string codeOf(const CardFrontFields& f) {
    const auto v = f.securityCode.view();
    return std::string(v.begin(), v.end());
}

class OcrCardFrontTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        cf::CardFrontOcrConfig config;
        config.today = year_month_day{year{2026}, month{11}, day{26}};
        ocr_ = cf::CardFrontOcr::create(config).takeValue().release();
        const sim::CardFrontTestSet set(UKETSUKE_SOURCE_DIR "/sim/personas",
                                        UKETSUKE_BUILD_DIR "/pki", 11);
        // A clean capture the reader reads with confidence (checked in the test below).
        sample_ = new sim::CardFrontSample(set.readable(0));
    }
    static void TearDownTestSuite() {
        delete ocr_;
        delete sample_;
    }
    OcrCardFrontReader::FrameProvider sameFrame() {
        return [] { return std::optional<cv::Mat>(sample_->capture.bgr.clone()); };
    }
    static cf::CardFrontOcr* ocr_;
    static sim::CardFrontSample* sample_;
};
cf::CardFrontOcr* OcrCardFrontTest::ocr_ = nullptr;
sim::CardFrontSample* OcrCardFrontTest::sample_ = nullptr;

// Purpose: a confident OCR reading is returned without asking staff.
TEST_F(OcrCardFrontTest, ConfidentOcrNeedsNoStaff) {
    // Arrange
    FakeStaffEntry staff;
    OcrCardFrontReader reader(*ocr_, sameFrame(), &staff);
    // Act
    auto fields = reader.readFields();
    // Assert
    ASSERT_TRUE(fields.has_value()) << reader.lastOutcome().ocrReason;
    EXPECT_EQ(reader.lastOutcome().source, OcrCardFrontReader::Source::kOcr);
    EXPECT_EQ(fields->birthDate, sample_->spec.birthDate);
    EXPECT_EQ(fields->expiryYear, int(sample_->spec.expiry.year()));
    EXPECT_EQ(codeOf(*fields), sample_->spec.securityCode);
    EXPECT_EQ(staff.asked, 0);
}

// Purpose: the same reading is never handed out twice: the second time staff is asked, and a
// staff entry equal to the first reading is refused too.
TEST_F(OcrCardFrontTest, SameReadingNeverSentTwice) {
    FakeStaffEntry staff;
    OcrCardFrontReader reader(*ocr_, sameFrame(), &staff);
    ASSERT_TRUE(reader.readFields().has_value());

    staff.next = FakeStaffEntry::Plain{sample_->spec.birthDate, int(sample_->spec.expiry.year())};
    staff.code = sample_->spec.securityCode;
    EXPECT_FALSE(reader.readFields().has_value());
    EXPECT_EQ(reader.lastOutcome().ocrReason, "doubtful_reading");
    EXPECT_EQ(staff.asked, 1);

    staff.code = "0000";  // staff typed something else: that one may be tried
    auto fields = reader.readFields();
    ASSERT_TRUE(fields.has_value());
    EXPECT_EQ(reader.lastOutcome().source, OcrCardFrontReader::Source::kStaff);
    EXPECT_EQ(codeOf(*fields), "0000");
}

// Purpose: a reading marked doubtful before it is read (the counter check) goes to staff;
// a new card session forgets it.
TEST_F(OcrCardFrontTest, MarkedDoubtfulGoesToStaffUntilNextCard) {
    FakeStaffEntry staff;
    OcrCardFrontReader reader(*ocr_, sameFrame(), &staff);
    CardFrontFields doubtful;
    doubtful.birthDate = sample_->spec.birthDate;
    doubtful.expiryYear = int(sample_->spec.expiry.year());
    doubtful.securityCode = SecretBytes(sample_->spec.securityCode);
    reader.markDoubtful(doubtful);
    EXPECT_FALSE(reader.readFields().has_value());
    EXPECT_EQ(staff.asked, 1);

    reader.beginCardSession();
    ASSERT_TRUE(reader.readFields().has_value());
    EXPECT_EQ(reader.lastOutcome().source, OcrCardFrontReader::Source::kOcr);
}

// Purpose: with no image at all (or no card in it), staff entry is used; with no staff either,
// nothing is returned.
TEST_F(OcrCardFrontTest, NoImageFallsBackToStaff) {
    FakeStaffEntry staff;
    staff.next = FakeStaffEntry::Plain{year_month_day{year{1980}, month{2}, day{17}}, 2035};
    staff.code = "2285";
    OcrCardFrontReader reader(
        *ocr_, [] { return std::optional<cv::Mat>(); }, &staff);
    auto fields = reader.readFields();
    ASSERT_TRUE(fields.has_value());
    EXPECT_EQ(reader.lastOutcome().source, OcrCardFrontReader::Source::kStaff);
    EXPECT_EQ(reader.lastOutcome().framesRead, 0);

    OcrCardFrontReader alone(
        *ocr_,
        [] { return std::optional<cv::Mat>(cv::Mat(720, 1280, CV_8UC3, cv::Scalar(60, 60, 60))); },
        nullptr, {.maxFrames = 2});
    EXPECT_FALSE(alone.readFields().has_value());
    EXPECT_EQ(alone.lastOutcome().framesRead, 2);
    EXPECT_EQ(alone.lastOutcome().ocrReason, "no_card");
}

}  // namespace
