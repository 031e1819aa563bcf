// Card location (vision/card_front/card_locator.h), orientation under glare (card_checks.h) and
// motion-blur measurement / removal (vision/card_front/motion_blur.h) against the truth the
// capture generator knows: where it put the card's corners, and which smear it applied.
#include "vision/card_front/card_locator.h"

#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "sim/card_front/card_front_test_set.h"
#include "vision/card_front/card_checks.h"
#include "vision/card_front/motion_blur.h"

namespace cf = uketsuke::vision::card_front;
namespace sim = uketsuke::sim;

namespace {

class CardLocatorTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        // Seed 11: neither the acceptance seed (2026) nor the calibration seed (7).
        set_ = new sim::CardFrontTestSet(UKETSUKE_SOURCE_DIR "/sim/personas",
                                         UKETSUKE_BUILD_DIR "/pki", 11);
    }
    static void TearDownTestSuite() { delete set_; }
    static sim::CardFrontTestSet* set_;
};
sim::CardFrontTestSet* CardLocatorTest::set_ = nullptr;

// Largest distance between the found corners and the true ones, over the card's two landscape
// orientations (the locator does not know which way up the card is).
double cornerError(const cf::CardQuad& found, const std::array<cv::Point2f, 4>& truth) {
    double best = 1e9;
    for (int turn : {0, 2}) {
        double worst = 0;
        for (int i = 0; i < 4; ++i)
            worst = std::max(worst, double(cv::norm(found.corners[i] - truth[(i + turn) % 4])));
        best = std::min(best, worst);
    }
    return best;
}

// Sample indices of one variation (sample i has variation i mod 11).
int sampleOf(sim::CaptureVariation v, int k) {
    return 11 * k + int(v);
}

// The k-th clean capture's card, located and rectified to the canonical 856 x 540, in grey.
cv::Mat sharpCard(const sim::CardFrontTestSet& set, int k) {
    const auto sample = set.readable(sampleOf(sim::CaptureVariation::kClean, k));
    auto quad = cf::locateCard(sample.capture.bgr);
    EXPECT_TRUE(quad.ok());
    if (!quad.ok())
        return {};
    cv::Mat grey;
    cv::cvtColor(cf::rectifyCard(sample.capture.bgr, quad.value(), cv::Size(856, 540)), grey,
                 cv::COLOR_BGR2GRAY);
    return grey;
}

// `image` smeared along the line from..to of a 9 x 9 kernel.
cv::Mat smear(const cv::Mat& image, cv::Point from, cv::Point to) {
    cv::Mat k = cv::Mat::zeros(9, 9, CV_32F);
    cv::line(k, from, to, cv::Scalar(1));
    k /= cv::sum(k)[0];
    cv::Mat out;
    cv::filter2D(image, out, -1, k, cv::Point(-1, -1), 0, cv::BORDER_REFLECT);
    return out;
}

// Purpose: on a busy counter (bright sheets, pens, shapes touching the card) and with fingers
// over the card's edges, the locator finds the card itself, not the card merged with what touches
// it: every corner within 3 px of the truth (the card is ~800 px wide), on 12 captures each.
TEST_F(CardLocatorTest, FindsTheCardAmongClutterAndFingers) {
    for (auto v : {sim::CaptureVariation::kClutter, sim::CaptureVariation::kFingers}) {
        for (int k = 0; k < 12; ++k) {
            const auto sample = set_->readable(sampleOf(v, k));
            auto quad = cf::locateCard(sample.capture.bgr);
            ASSERT_TRUE(quad.ok())
                << sim::variationName(v) << " " << k << ": " << cf::name(quad.error());
            EXPECT_LT(cornerError(quad.value(), sample.capture.cardCorners), 3.0)
                << sim::variationName(v) << " " << k;
        }
    }
}

// Purpose: a photo washed out by glare (little "ink" left, its texture kept) still tells the way
// up, through the title line; the card turned is turned back.
TEST_F(CardLocatorTest, OrientationSurvivesAWashedOutPhoto) {
    const auto sample = set_->readable(sampleOf(sim::CaptureVariation::kClean, 3));
    auto quad = cf::locateCard(sample.capture.bgr);
    ASSERT_TRUE(quad.ok());
    const auto& layout = cf::kDefaultCardFrontLayout;
    cv::Mat card = cf::rectifyCard(sample.capture.bgr, quad.value(), cv::Size(856, 540));
    const cv::Rect photo(int(layout.photo.x * 10), int(layout.photo.y * 10),
                         int(layout.photo.w * 10), int(layout.photo.h * 10));
    // Glare: the photo compressed into the bright end (as the capture generator's highlight does).
    cv::Mat washed;
    card(photo).convertTo(washed, -1, 0.45, 140);
    washed.copyTo(card(photo));
    ASSERT_LT(cf::inkCoverage(card, layout.photo, 10), cf::OrientationOptions{}.photoMinCoverage);
    EXPECT_EQ(cf::detectOrientation(card, layout, 10), cf::Orientation::kUpright);
    cv::rotate(card, card, cv::ROTATE_180);
    EXPECT_EQ(cf::detectOrientation(card, layout, 10), cf::Orientation::kUpsideDown);
    // A card with neither a photo nor the title is still no My Number Card.
    card.setTo(cv::Scalar(235, 235, 235));
    EXPECT_EQ(cf::detectOrientation(card, layout, 10), cf::Orientation::kNoPhoto);
}

// Purpose: a clean capture shows no smear; a known horizontal smear of 8 px and a diagonal one
// are measured along the right axes within 1.5 px.
TEST_F(CardLocatorTest, MeasuresAKnownSmear) {
    const auto sample = set_->readable(sampleOf(sim::CaptureVariation::kClean, 0));
    const cv::Mat& clean = sample.capture.bgr;
    auto quad = cf::locateCard(clean);
    ASSERT_TRUE(quad.ok());
    const cv::Size canonical(856, 540);
    EXPECT_FALSE(cf::measureMotionBlur(clean, quad.value(), canonical).has_value());

    auto smear = [&](double dx, double dy) {
        const int n = 15;
        cv::Mat k = cv::Mat::zeros(n, n, CV_32F);
        cv::line(k, cv::Point2d(n / 2 - dx / 2, n / 2 - dy / 2),
                 cv::Point2d(n / 2 + dx / 2, n / 2 + dy / 2), cv::Scalar(1), 1, cv::LINE_AA);
        k /= cv::sum(k)[0];
        cv::Mat out;
        cv::filter2D(clean, out, -1, k);
        return out;
    };
    // The card is nearly axis-aligned in this capture, so frame and canonical axes agree to a
    // few degrees; the card is ~0.9 canonical px per frame px or more.
    const double scale = 856.0 / quad.value().widthPx;
    for (auto [dx, dy] : {std::pair{8.0, 0.0}, std::pair{6.0, 6.0}}) {
        const cv::Mat blurred = smear(dx, dy);
        auto q = cf::locateCard(blurred);
        ASSERT_TRUE(q.ok());
        const auto e = cf::measureMotionBlur(blurred, q.value(), canonical);
        ASSERT_TRUE(e.has_value()) << dx << "," << dy;
        EXPECT_NEAR(e->x, dx * scale, 1.5) << dx << "," << dy;
        EXPECT_NEAR(e->y, dy * scale, 1.5) << dx << "," << dy;
    }
}

// Purpose: the gradients tell a smear's diagonal (which the edges cannot) and tell a smear from a
// focus blur, which must not be deconvolved as a line.
TEST_F(CardLocatorTest, TellsSmearDirectionAndFocusBlur) {
    const cv::Mat sharp = sharpCard(*set_, 2);
    ASSERT_FALSE(sharp.empty());
    const cf::MotionBlurOptions options;
    // Down-right diagonal (+x, +y) and up-right (+x, -y), 6 px each way.
    const auto down = cf::smearDirection(smear(sharp, {1, 1}, {7, 7}), {6, 6});
    EXPECT_EQ(down.sign, 1);
    EXPECT_LT(down.anisotropy, options.maxAnisotropy);
    const auto up = cf::smearDirection(smear(sharp, {1, 7}, {7, 1}), {6, 6});
    EXPECT_EQ(up.sign, -1);
    EXPECT_LT(up.anisotropy, options.maxAnisotropy);
    cv::Mat focus;
    cv::GaussianBlur(sharp, focus, cv::Size(0, 0), 1.6);
    EXPECT_GT(cf::smearDirection(focus, {5, 5}).anisotropy, options.maxAnisotropy);
}

// Purpose: deconvolving with the right line brings a smeared image closer to the sharp one; the
// wrong direction does not help as much.
TEST_F(CardLocatorTest, DeblurRestoresASmearedCard) {
    const cv::Mat sharp = sharpCard(*set_, 1);
    ASSERT_FALSE(sharp.empty());
    const cv::Mat smeared = smear(sharp, {1, 4}, {7, 4});  // 7 px horizontal
    const cv::Rect inner(40, 40, 776, 460);
    // Similarity to the sharp card: normalised cross-correlation over the card's inner area.
    auto similarity = [&](const cv::Mat& m) {
        cv::Mat r;
        cv::matchTemplate(m(inner), sharp(inner), r, cv::TM_CCOEFF_NORMED);
        return double(r.at<float>(0, 0));
    };
    const double before = similarity(smeared);
    const double right = similarity(cf::deblurLinear(smeared, 6, 0, 0.04));
    const double wrong = similarity(cf::deblurLinear(smeared, 0, 6, 0.04));
    EXPECT_GT(right, before) << before << " " << right << " " << wrong;
    EXPECT_GT(right, wrong) << before << " " << right << " " << wrong;
}

}  // namespace
