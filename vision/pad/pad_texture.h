// PAD cue: texture, frequency, colour and border of the face region, scored by a linear model.
//
// Per frame, a feature vector (textureFeatures) of the face crop and its surroundings:
//  * LBP (8 neighbours, radius 1 and 2, uniform patterns, 59 bins) of the grey face crop at
//    96x96 (whole crop and 2x2 cells), square-rooted (Hellinger): print dots, screen pixels,
//    the loss of skin micro-texture in a re-capture;
//  * frequency: radial energy bands of the native-resolution face centre (FFT, 64x64, Hann
//    window) - high-band energy, and the peak-to-median ratio of the high band (moiré peaks);
//    the strongest periodicity of the row means over the face (refresh banding);
//  * colour and specular: Cr/Cb means and spreads, saturation, clipped-highlight fraction
//    (gamut of a print or an emissive screen, glare on paper or glass);
//  * border: long straight lines (probabilistic Hough) around the face, the edge of a held
//    photo, card or phone, relative to the face height.
// The model (models/pad_svm.yml, written by `evaluate_pad --train-model`) standardises the
// features and applies a linear SVM trained on nuaa-dev live vs print and generated attacks:
// value = median over frames of w . z + b. HIGHER = more live. A linear model keeps only its
// weights (no training sample's features are stored). The file's SHA-256 is checked at load.
#pragma once

#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vision/pad/pad_cue.h"

namespace uketsuke::vision::pad {

inline constexpr const char* kPadModelFile = "pad_svm.yml";
// SHA-256 of the committed models/pad_svm.yml (printed by `evaluate_pad --train-model`).
inline constexpr const char* kPadModelSha256 =
    "2cb3adabb2174a6eee904430e0c8714a02e159f4a6897f6b34af30a1bd376e55";

// The feature vector of one frame (empty when the face box is unusable).
std::vector<float> textureFeatures(const cv::Mat& bgr, const cv::Rect& faceBox);
int textureFeatureCount();

class TextureModel {
  public:
    // ensures: the model, or a message (missing file, SHA-256 mismatch, bad content).
    //          expectedSha256 empty = no check (training tools only).
    static std::optional<TextureModel> load(const std::filesystem::path& file,
                                            const std::string& expectedSha256,
                                            std::string* error = nullptr);
    // Score of one feature vector (w . standardised + b); HIGHER = more live.
    double score(const std::vector<float>& features) const;
    // Writes the model (training tool).
    bool save(const std::filesystem::path& file, const std::string& comment) const;

    std::vector<double> mean, scale, weights;
    double bias = 0.0;
};

class TextureCue final : public PadCue {
  public:
    // `model` must outlive the cue. everyNth: score every n-th frame (cost).
    explicit TextureCue(const TextureModel& model, int minFrames = 3, int everyNth = 1)
        : model_(model), minFrames_(minFrames), everyNth_(std::max(1, everyNth)) {}
    std::string_view name() const override { return "texture"; }
    void addFrame(const PadFrame& frame) override;
    CueScore score() const override;
    void reset() override {
        scores_.clear();
        seen_ = 0;
    }

  private:
    const TextureModel& model_;
    int minFrames_;
    int everyNth_;
    int seen_ = 0;
    std::vector<double> scores_;
};

}  // namespace uketsuke::vision::pad
