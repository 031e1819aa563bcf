#include "qml/sound/wav.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <numbers>
#include <system_error>

namespace uketsuke::qml::sound {
namespace {

constexpr std::uint64_t kMaxWavBytes = 64ull << 20;  // far above any prompt

std::uint32_t le32(const std::string& b, std::size_t at) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(b[at])) |
           static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 1])) << 8 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 2])) << 16 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 3])) << 24;
}

std::uint16_t le16(const std::string& b, std::size_t at) {
    return static_cast<std::uint16_t>(static_cast<unsigned char>(b[at]) |
                                      static_cast<unsigned char>(b[at + 1]) << 8);
}

void put32(std::string& out, std::uint32_t v) {
    for (int i = 0; i < 4; ++i)
        out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

void put16(std::string& out, std::uint16_t v) {
    out.push_back(static_cast<char>(v & 0xff));
    out.push_back(static_cast<char>(v >> 8));
}

bool setError(std::string* error, std::string message) {
    if (error)
        *error = std::move(message);
    return false;
}

std::optional<std::string> slurp(const std::filesystem::path& file, std::string* error) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(file, ec);
    if (ec) {
        setError(error, "cannot read " + file.string() + ": " + ec.message());
        return std::nullopt;
    }
    if (size > kMaxWavBytes) {
        setError(error, file.string() + " is larger than 64 MiB");
        return std::nullopt;
    }
    std::ifstream in(file, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in && !in.eof()) {
        setError(error, "cannot read " + file.string());
        return std::nullopt;
    }
    return bytes;
}

struct Parsed {
    WavInfo info;
    std::size_t dataOffset = 0;
    std::size_t dataBytes = 0;
};

std::optional<Parsed> parse(const std::string& b, std::string* error) {
    if (b.size() < 12 || b.compare(0, 4, "RIFF") != 0 || b.compare(8, 4, "WAVE") != 0) {
        setError(error, "not a RIFF/WAVE file");
        return std::nullopt;
    }
    if (static_cast<std::uint64_t>(le32(b, 4)) + 8 > b.size()) {
        setError(error, "RIFF size runs past the end of the file");
        return std::nullopt;
    }
    Parsed p;
    bool haveFormat = false;
    std::size_t at = 12;
    while (at + 8 <= b.size()) {
        const std::string id = b.substr(at, 4);
        const std::uint64_t size = le32(b, at + 4);
        const std::size_t body = at + 8;
        if (body + size > b.size()) {
            setError(error, "chunk '" + id + "' runs past the end of the file");
            return std::nullopt;
        }
        if (id == "fmt ") {
            if (size < 16) {
                setError(error, "fmt chunk too short");
                return std::nullopt;
            }
            const auto format = le16(b, body);
            p.info.channels = le16(b, body + 2);
            p.info.sampleRate = static_cast<int>(le32(b, body + 4));
            const auto blockAlign = le16(b, body + 12);
            p.info.bitsPerSample = le16(b, body + 14);
            if (format != 1 || p.info.bitsPerSample != 16) {
                setError(error, "not 16-bit PCM (format " + std::to_string(format) + ", " +
                                    std::to_string(p.info.bitsPerSample) + " bits)");
                return std::nullopt;
            }
            if (p.info.channels < 1 || p.info.channels > 2 || p.info.sampleRate < 8000 ||
                p.info.sampleRate > 192000 || blockAlign != p.info.channels * 2) {
                setError(error, "implausible format (" + std::to_string(p.info.channels) +
                                    " channels, " + std::to_string(p.info.sampleRate) + " Hz)");
                return std::nullopt;
            }
            haveFormat = true;
        } else if (id == "data") {
            if (!haveFormat) {
                setError(error, "data chunk before the fmt chunk");
                return std::nullopt;
            }
            const std::size_t frameBytes = static_cast<std::size_t>(p.info.channels) * 2;
            if (size % frameBytes != 0) {
                setError(error, "data chunk is not a whole number of frames");
                return std::nullopt;
            }
            p.dataOffset = body;
            p.dataBytes = static_cast<std::size_t>(size);
            p.info.frames = size / frameBytes;
            return p;
        }
        at = body + static_cast<std::size_t>(size) + (size & 1);  // chunks are word-aligned
    }
    setError(error, haveFormat ? "no data chunk" : "no fmt chunk");
    return std::nullopt;
}

}  // namespace

std::optional<WavInfo> inspectWavBytes(const std::string& bytes, std::string* error) {
    auto p = parse(bytes, error);
    if (!p)
        return std::nullopt;
    return p->info;
}

std::optional<WavInfo> inspectWav(const std::filesystem::path& file, std::string* error) {
    const auto bytes = slurp(file, error);
    if (!bytes)
        return std::nullopt;
    auto info = inspectWavBytes(*bytes, error);
    if (!info && error)
        *error = file.string() + ": " + *error;
    return info;
}

std::optional<Pcm16> readWav(const std::filesystem::path& file, std::string* error) {
    const auto bytes = slurp(file, error);
    if (!bytes)
        return std::nullopt;
    const auto p = parse(*bytes, error);
    if (!p)
        return std::nullopt;
    Pcm16 pcm;
    pcm.sampleRate = p->info.sampleRate;
    pcm.samples.reserve(p->info.frames);
    const int ch = p->info.channels;
    for (std::uint64_t f = 0; f < p->info.frames; ++f) {
        int sum = 0;
        for (int c = 0; c < ch; ++c) {
            const auto at = p->dataOffset + (f * ch + c) * 2;
            sum += static_cast<std::int16_t>(le16(*bytes, at));
        }
        pcm.samples.push_back(static_cast<std::int16_t>(sum / ch));
    }
    return pcm;
}

bool writeWav(const std::filesystem::path& file, const Pcm16& pcm, std::string* error) {
    if (pcm.sampleRate <= 0)
        return setError(error, "no sample rate");
    const auto dataBytes = static_cast<std::uint32_t>(pcm.samples.size() * 2);
    std::string out;
    out.reserve(44 + dataBytes);
    out += "RIFF";
    put32(out, 36 + dataBytes);
    out += "WAVEfmt ";
    put32(out, 16);
    put16(out, 1);  // PCM
    put16(out, 1);  // mono
    put32(out, static_cast<std::uint32_t>(pcm.sampleRate));
    put32(out, static_cast<std::uint32_t>(pcm.sampleRate * 2));
    put16(out, 2);
    put16(out, 16);
    out += "data";
    put32(out, dataBytes);
    for (const auto s : pcm.samples)
        put16(out, static_cast<std::uint16_t>(s));
    auto tmp = file;
    tmp += ".tmp";
    {
        std::ofstream o(tmp, std::ios::binary | std::ios::trunc);
        o.write(out.data(), static_cast<std::streamsize>(out.size()));
        if (!o)
            return setError(error, "cannot write " + tmp.string());
    }
    std::error_code ec;
    std::filesystem::rename(tmp, file, ec);
    if (ec)
        return setError(error, "cannot rename to " + file.string() + ": " + ec.message());
    return true;
}

void halveRate(Pcm16& pcm) {
    // Windowed-sinc low-pass at 0.46 of the new Nyquist frequency (Hamming, 63 taps), then every
    // second sample.
    constexpr int kTaps = 63;
    constexpr int kMid = kTaps / 2;
    constexpr double kCutoff = 0.23;  // of the input rate
    double h[kTaps];
    double sum = 0;
    for (int i = 0; i < kTaps; ++i) {
        const double n = i - kMid;
        const double sinc =
            n == 0 ? 2 * kCutoff
                   : std::sin(2 * std::numbers::pi * kCutoff * n) / (std::numbers::pi * n);
        h[i] = sinc * (0.54 - 0.46 * std::cos(2 * std::numbers::pi * i / (kTaps - 1)));
        sum += h[i];
    }
    for (double& v : h)
        v /= sum;
    const auto& x = pcm.samples;
    const auto n = static_cast<long>(x.size());
    std::vector<std::int16_t> y;
    y.reserve(x.size() / 2 + 1);
    for (long k = 0; 2 * k < n; ++k) {
        double acc = 0;
        for (int j = 0; j < kTaps; ++j) {
            const long at = 2 * k + j - kMid;
            if (at >= 0 && at < n)
                acc += h[j] * x[static_cast<std::size_t>(at)];
        }
        y.push_back(static_cast<std::int16_t>(std::clamp(std::lround(acc), -32768L, 32767L)));
    }
    pcm.samples = std::move(y);
    pcm.sampleRate /= 2;
}

void normalise(Pcm16& pcm, double peak, int padMs) {
    int maxAbs = 0;
    for (const auto s : pcm.samples)
        maxAbs = std::max(maxAbs, std::abs(static_cast<int>(s)));
    if (maxAbs > 0) {
        // Trim the synthesiser's leading and trailing near-silence (under 1 % of the peak).
        const int floor = std::max(1, maxAbs / 100);
        auto loud = [floor](std::int16_t s) { return std::abs(static_cast<int>(s)) > floor; };
        const auto first = std::find_if(pcm.samples.begin(), pcm.samples.end(), loud);
        const auto last = std::find_if(pcm.samples.rbegin(), pcm.samples.rend(), loud).base();
        pcm.samples = std::vector<std::int16_t>(first, last);
        const double gain = peak * 32767.0 / maxAbs;
        for (auto& s : pcm.samples)
            s = static_cast<std::int16_t>(std::clamp(std::lround(s * gain), -32768L, 32767L));
    }
    const auto pad = static_cast<std::size_t>(pcm.sampleRate) * padMs / 1000;
    pcm.samples.insert(pcm.samples.begin(), pad, 0);
    pcm.samples.insert(pcm.samples.end(), pad, 0);
}

}  // namespace uketsuke::qml::sound
