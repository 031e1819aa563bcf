// RIFF/WAVE files of 16-bit PCM: what the renderer writes and the tests and the player check.
// Strict: a file that is not canonical 16-bit PCM with a data chunk inside the file is refused
// with the reason, never half-read. No Qt.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace uketsuke::qml::sound {

struct WavInfo {
    int sampleRate = 0;
    int channels = 0;
    int bitsPerSample = 0;
    std::uint64_t frames = 0;  // samples per channel
    double seconds() const { return sampleRate > 0 ? static_cast<double>(frames) / sampleRate : 0; }
};

// Mono 16-bit samples at one rate.
struct Pcm16 {
    int sampleRate = 0;
    std::vector<std::int16_t> samples;
};

// Header of a WAV file; nullopt and `*error` set when it is not valid 16-bit PCM.
std::optional<WavInfo> inspectWav(const std::filesystem::path& file, std::string* error);
std::optional<WavInfo> inspectWavBytes(const std::string& bytes, std::string* error);
// The samples (several channels are mixed down to mono).
std::optional<Pcm16> readWav(const std::filesystem::path& file, std::string* error);
// Writes mono 16-bit PCM atomically (temporary file, then rename); false and `*error` on failure.
bool writeWav(const std::filesystem::path& file, const Pcm16& pcm, std::string* error);

// Halves the sample rate (low-pass, then every second sample): 48 kHz speech to 24 kHz.
void halveRate(Pcm16& pcm);
// Trims near-silence at both ends, peak-normalises to `peak` (0..1) of full scale, and adds `padMs`
// of silence at both ends.
void normalise(Pcm16& pcm, double peak, int padMs);

}  // namespace uketsuke::qml::sound
