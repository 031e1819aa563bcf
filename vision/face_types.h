// Vocabulary of the face engine: embeddings with a typed, directed distance, and 68-point
// landmarks in the iBUG 300-W order used by dlib's shape_predictor_68_face_landmarks.dat.
#pragma once

#include <array>
#include <cmath>

#include <opencv2/core/types.hpp>

namespace uketsuke::vision {

inline constexpr int kEmbeddingSize = 128;
inline constexpr int kLandmarkCount = 68;
inline constexpr int kChipSizePx = 150;  // input of dlib's face-recognition ResNet (anet_type)

// The 128-D descriptor of dlib's face-recognition ResNet (not L2-normalised; length ≈ 1.4).
using Embedding = std::array<float, kEmbeddingSize>;

// Euclidean distance between two embeddings. Direction: LOWER means MORE LIKELY THE SAME FACE.
// A distance is never compared with a bare number: use `within(threshold)`, so that the
// direction is written once, here.
struct EmbeddingDistance {
    double value = 0.0;
    // true when the two faces are judged the same person under `maxDistance`.
    bool within(double maxDistance) const { return value <= maxDistance; }
    friend bool operator<(EmbeddingDistance a, EmbeddingDistance b) { return a.value < b.value; }
};

inline EmbeddingDistance distance(const Embedding& a, const Embedding& b) {
    double sum = 0.0;
    for (int i = 0; i < kEmbeddingSize; ++i) {
        const double d = static_cast<double>(a[i]) - static_cast<double>(b[i]);
        sum += d * d;
    }
    return EmbeddingDistance{std::sqrt(sum)};
}

// 68 points in image pixel coordinates, iBUG order: 0-16 jaw, 17-26 brows, 27-35 nose,
// 36-41 right eye (subject's), 42-47 left eye, 48-67 mouth.
using Landmarks68 = std::array<cv::Point2f, kLandmarkCount>;

}  // namespace uketsuke::vision
