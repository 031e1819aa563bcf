// Voice and sound (issue 17): every guidance code of the table has a rendered prompt in both
// languages in the build's sounds folder (a valid 16-bit PCM WAV of non-trivial length and level),
// the chimes are there, the WAV reader refuses what is not a WAV, and the "sound" configuration
// section is checked key by key.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "qml/bridge/ui_strings.h"
#include "qml/sound/chime_synth.h"
#include "qml/sound/guidance_table.h"
#include "qml/sound/sound_config.h"
#include "qml/sound/wav.h"

namespace fs = std::filesystem;
using namespace uketsuke::qml::sound;

namespace {

const fs::path kDir = UKETSUKE_SOUNDS_DIR;

double rms(const Pcm16& pcm) {
    double sum = 0;
    for (const auto s : pcm.samples)
        sum += static_cast<double>(s) * s;
    return pcm.samples.empty() ? 0 : std::sqrt(sum / static_cast<double>(pcm.samples.size()));
}

}  // namespace

TEST(GuidanceTable, CodesAreUniqueAndBothLanguagesHaveText) {
    std::set<std::string> codes;
    for (const auto& e : guidanceTable()) {
        EXPECT_TRUE(codes.insert(e.code).second) << "duplicate code " << e.code;
        EXPECT_GT(std::string(e.ja).size(), 3u) << e.code;
        EXPECT_GT(std::string(e.en).size(), 3u) << e.code;
        // Spoken text: no placeholders or symbols a synthesiser would read out.
        for (const std::string text : {e.ja, e.en}) {
            EXPECT_EQ(text.find_first_of("%[]{}<>/\\_"), std::string::npos) << e.code;
        }
    }
    EXPECT_GE(codes.size(), 40u);
    EXPECT_NE(findGuidance(kCardLeftAlarmCode), nullptr);
    for (const char* chime : {kAttentionChime, kAlarmChime, kStationCallChime})
        EXPECT_NE(findChime(chime), nullptr) << chime;
}

// Every face-quality hint the face engine can give (the "guidance" rows of the screen table) has
// a spoken prompt "face_<code>".
TEST(GuidanceTable, EveryFaceQualityHintIsSpoken) {
    std::size_t n = 0;
    const auto* table = uketsuke::qml::stringTable(&n);
    int hints = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const std::string kind = table[i].kind;
        const std::string id = table[i].id;
        if (kind != "guidance" || id == "none" || id == "_default")
            continue;
        ++hints;
        EXPECT_NE(findGuidance("face_" + id), nullptr) << "no prompt for face hint " << id;
    }
    EXPECT_GE(hints, 10);
}

TEST(RenderedPrompts, EveryGuidanceCodeHasAudioInBothLanguages) {
    ASSERT_TRUE(fs::exists(kDir / "manifest.tsv"))
        << kDir << " has no manifest: build the uketsuke_sounds target";
    int checked = 0;
    for (const auto& e : guidanceTable()) {
        for (const std::string lang : kLanguages) {
            const fs::path file = kDir / lang / (std::string(e.code) + ".wav");
            std::string error;
            const auto info = inspectWav(file, &error);
            ASSERT_TRUE(info) << lang << "/" << e.code << ": " << error;
            EXPECT_EQ(info->channels, 1) << file;
            EXPECT_EQ(info->bitsPerSample, 16) << file;
            EXPECT_GE(info->sampleRate, 16000) << file;
            // Non-trivial: at least 0.6 s for the shortest phrase, not a runaway synthesis.
            EXPECT_GE(info->seconds(), 0.6) << file;
            EXPECT_LE(info->seconds(), 20.0) << file;
            const auto pcm = readWav(file, &error);
            ASSERT_TRUE(pcm) << error;
            // Speech, not silence: normalised to -1 dBFS peak, speech RMS is well above 1000.
            EXPECT_GT(rms(*pcm), 1000.0) << file;
            ++checked;
        }
    }
    EXPECT_EQ(checked, static_cast<int>(guidanceTable().size() * 2));
    for (const auto& c : chimeTable()) {
        std::string error;
        const auto info = inspectWav(kDir / "chime" / (std::string(c.name) + ".wav"), &error);
        ASSERT_TRUE(info) << c.name << ": " << error;
        EXPECT_GE(info->seconds(), 0.3) << c.name;
    }
}

TEST(RenderedPrompts, ManifestListsEveryPromptWithItsLength) {
    std::ifstream in(kDir / "manifest.tsv");
    ASSERT_TRUE(in) << "build the uketsuke_sounds target";
    std::set<std::string> listed;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#')
            continue;
        std::istringstream f(line);
        std::string kind, lang, code, key;
        std::uint64_t frames = 0;
        int rate = 0;
        ASSERT_TRUE(f >> kind >> lang >> code >> key >> frames >> rate) << line;
        if (kind != "voice")
            continue;
        listed.insert(lang + "/" + code);
        std::string error;
        const auto info = inspectWav(kDir / lang / (code + ".wav"), &error);
        ASSERT_TRUE(info) << error;
        EXPECT_EQ(info->frames, frames) << line;
        EXPECT_EQ(info->sampleRate, rate) << line;
    }
    EXPECT_EQ(listed.size(), guidanceTable().size() * 2);
}

TEST(Wav, RoundTripAndRefusals) {
    const fs::path dir = fs::temp_directory_path() / ("uketsuke-wav-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    Pcm16 pcm;
    pcm.sampleRate = 16000;
    for (int i = 0; i < 1600; ++i)
        pcm.samples.push_back(static_cast<std::int16_t>(1000 * std::sin(i * 0.1)));
    std::string error;
    ASSERT_TRUE(writeWav(dir / "a.wav", pcm, &error)) << error;
    const auto back = readWav(dir / "a.wav", &error);
    ASSERT_TRUE(back) << error;
    EXPECT_EQ(back->samples, pcm.samples);
    EXPECT_DOUBLE_EQ(inspectWav(dir / "a.wav", &error)->seconds(), 0.1);

    std::ifstream in(dir / "a.wav", std::ios::binary);
    const std::string good((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_FALSE(inspectWavBytes("", &error));
    EXPECT_FALSE(inspectWavBytes("RIFF\x04\0\0\0WAVE", &error));
    EXPECT_FALSE(inspectWavBytes(good.substr(0, good.size() - 10), &error));  // truncated data
    EXPECT_NE(error.find("past the end"), std::string::npos) << error;
    std::string eightBit = good;
    eightBit[34] = 8;  // bits per sample
    EXPECT_FALSE(inspectWavBytes(eightBit, &error));
    std::string compressed = good;
    compressed[20] = 3;  // IEEE float
    EXPECT_FALSE(inspectWavBytes(compressed, &error));
    std::string noData = good.substr(0, 36);
    noData.replace(4, 4, std::string("\x1c\0\0\0", 4));
    EXPECT_FALSE(inspectWavBytes(noData, &error));
    EXPECT_EQ(error, "no data chunk");
    fs::remove_all(dir);
}

TEST(Wav, NormaliseTrimsAndPadsAndHalvingKeepsTheTone) {
    Pcm16 pcm;
    pcm.sampleRate = 48000;
    pcm.samples.assign(4800, 0);  // 0.1 s of silence, then 0.1 s of 440 Hz, then silence
    for (int i = 0; i < 4800; ++i)
        pcm.samples.push_back(
            static_cast<std::int16_t>(8000 * std::sin(2 * 3.14159265 * 440 * i / 48000.0)));
    pcm.samples.insert(pcm.samples.end(), 4800, 0);
    halveRate(pcm);
    EXPECT_EQ(pcm.sampleRate, 24000);
    EXPECT_EQ(pcm.samples.size(), 7200u);
    normalise(pcm, 0.5, 50);
    int peak = 0;
    for (const auto s : pcm.samples)
        peak = std::max(peak, std::abs(static_cast<int>(s)));
    EXPECT_NEAR(peak, 16384, 200);
    // 0.1 s of tone survives the low-pass (440 Hz is far below its cut-off) plus 2 × 50 ms pads.
    EXPECT_NEAR(static_cast<double>(pcm.samples.size()) / 24000, 0.2, 0.01);
}

// The low-pass before decimation keeps speech and removes what would alias: a 15 kHz tone
// (above the new 12 kHz Nyquist frequency) is attenuated below 5 % of its level.
TEST(Wav, HalvingRemovesWhatWouldAlias) {
    auto tone = [](double hz) {
        Pcm16 pcm;
        pcm.sampleRate = 48000;
        for (int i = 0; i < 48000; ++i)
            pcm.samples.push_back(
                static_cast<std::int16_t>(10000 * std::sin(2 * 3.14159265 * hz * i / 48000.0)));
        return pcm;
    };
    Pcm16 speech = tone(1000);
    Pcm16 high = tone(15000);
    const double speechIn = rms(speech);
    const double highIn = rms(high);
    halveRate(speech);
    halveRate(high);
    EXPECT_NEAR(rms(speech) / speechIn, 1.0, 0.02);
    EXPECT_LT(rms(high) / highIn, 0.05);
}

TEST(Chimes, LengthFollowsTheSpec) {
    for (const auto& c : chimeTable()) {
        const Pcm16 pcm = synthesiseChime(c);
        const double expected = (c.noteMs * (c.noteCount - 1) + c.noteMs + c.tailMs) / 1000.0;
        EXPECT_NEAR(static_cast<double>(pcm.samples.size()) / pcm.sampleRate, expected, 0.01)
            << c.name;
        int peak = 0;
        for (const auto s : pcm.samples)
            peak = std::max(peak, std::abs(static_cast<int>(s)));
        EXPECT_NEAR(peak, c.level * 32767, 2) << c.name;
    }
}

TEST(SoundConfig, DefaultsValuesAndRefusals) {
    std::string error;
    auto s = soundSettings(nlohmann::json::object(), "/etc/uketsuke", &error);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->volume, SoundSettings::kDefaultVolume);
    EXPECT_FALSE(s->muted);
    EXPECT_TRUE(s->alarmWhenMuted);
    EXPECT_TRUE(s->dir.empty());

    s = soundSettings(
        {{"sound", {{"volume", 30}, {"muted", true}, {"alarm_when_muted", false}, {"dir", "snd"}}}},
        "/etc/uketsuke", &error);
    ASSERT_TRUE(s) << error;
    EXPECT_EQ(s->volume, 30);
    EXPECT_TRUE(s->muted);
    EXPECT_FALSE(s->alarmWhenMuted);
    EXPECT_EQ(s->dir, fs::path("/etc/uketsuke/snd"));

    const std::pair<nlohmann::json, std::string> bad[] = {
        {{{"sound", {{"volume", 101}}}}, "sound.volume"},
        {{{"sound", {{"volume", -1}}}}, "sound.volume"},
        {{{"sound", {{"volume", 50.5}}}}, "sound.volume"},
        {{{"sound", {{"volume", "loud"}}}}, "sound.volume"},
        {{{"sound", {{"muted", "yes"}}}}, "sound.muted"},
        {{{"sound", {{"alarm_when_muted", 1}}}}, "sound.alarm_when_muted"},
        {{{"sound", {{"dir", ""}}}}, "sound.dir"},
        {{{"sound", {{"volumne", 10}}}}, "unknown key sound.volumne"},
        {{{"sound", 70}}, "sound must be a JSON object"},
    };
    for (const auto& [config, message] : bad) {
        error.clear();
        EXPECT_FALSE(soundSettings(config, "/", &error)) << config.dump();
        EXPECT_NE(error.find(message), std::string::npos) << config.dump() << ": " << error;
    }
}
