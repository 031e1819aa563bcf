// uketsuke-voice-render: renders every guidance prompt (guidance_table.cpp) to WAV once, at build
// time: Japanese with Open JTalk and the HTS voice "Mei" (pinned npm package, models/README.md),
// English with flite's "slt" voice, both from Debian; then synthesises the chimes. The kiosk only
// plays these files (sound_player.h): nothing is synthesised on the patient's path.
//
//   uketsuke-voice-render --out DIR --htsvoice FILE --dic DIR [--open-jtalk BIN] [--flite BIN]
//
// Writes DIR/ja/<code>.wav, DIR/en/<code>.wav, DIR/chime/<name>.wav and DIR/manifest.tsv (kind,
// language, code, key, frames, rate). Incremental: a prompt whose key (a hash of its text, the
// voice file and the engine settings) is unchanged and whose file is still valid is kept.
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "qml/sound/chime_synth.h"
#include "qml/sound/guidance_table.h"
#include "qml/sound/wav.h"

namespace fs = std::filesystem;
using namespace uketsuke::qml::sound;

namespace {

// Engine settings, part of every prompt's key: changing one re-renders.
constexpr const char* kJtalkSpeed = "0.92";  // a little slower than Open JTalk's 1.0
constexpr const char* kFliteVoice = "slt";
constexpr const char* kFliteStretch = "duration_stretch=1.08";
constexpr double kPeak = 0.89;  // -1 dBFS
constexpr int kPadMs = 80;
constexpr int kFormatVersion = 2;  // 2: Japanese halved to 24 kHz

std::uint64_t fnv1a(std::string_view bytes, std::uint64_t h = 1469598103934665603ull) {
    for (const unsigned char c : bytes) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return h;
}

std::string hex(std::uint64_t v) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
    return buf;
}

// Runs argv[0] with no shell; true when it exits 0.
bool run(const std::vector<std::string>& args) {
    std::vector<char*> argv;
    argv.reserve(args.size() + 1);
    for (const auto& a : args)
        argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid < 0)
        return false;
    if (pid == 0) {
        ::execv(argv[0], argv.data());
        std::_Exit(127);
    }
    int status = 0;
    if (::waitpid(pid, &status, 0) != pid)
        return false;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

struct Options {
    fs::path out, htsvoice, dic;
    std::string openJtalk = "/usr/bin/open_jtalk";
    std::string flite = "/usr/bin/flite";
};

struct ManifestRow {
    std::string key;
    std::string line;
};

// A manifest row's id: "<kind>/<language>/<code>".
std::string manifestId(std::string_view kind, std::string_view lang, std::string_view code) {
    std::string id;
    id.reserve(kind.size() + lang.size() + code.size() + 2);
    id.append(kind).append("/").append(lang).append("/").append(code);
    return id;
}

// A prompt's key: a hash of its text, the engine settings and the rendering parameters, one per
// line.
std::string promptKey(const std::string& text, const std::string& settings) {
    std::string recipe = text;
    for (const std::string& field :
         {settings, std::to_string(kPadMs), std::to_string(kFormatVersion), std::to_string(kPeak)})
        recipe.append("\n").append(field);
    return hex(fnv1a(recipe));
}

std::map<std::string, ManifestRow> readManifest(const fs::path& file) {
    std::map<std::string, ManifestRow> rows;
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#')
            continue;
        std::istringstream fields(line);
        std::string kind, lang, code, key;
        if (fields >> kind >> lang >> code >> key)
            rows[manifestId(kind, lang, code)] = {key, line};
    }
    return rows;
}

std::string manifestLine(const std::string& kind, const std::string& lang, const std::string& code,
                         const std::string& key, const WavInfo& info) {
    return kind + "\t" + lang + "\t" + code + "\t" + key + "\t" + std::to_string(info.frames) +
           "\t" + std::to_string(info.sampleRate);
}

int usage() {
    std::cerr << "usage: uketsuke-voice-render --out DIR --htsvoice FILE --dic DIR "
                 "[--open-jtalk BIN] [--flite BIN]\n";
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        const std::string value = argv[i + 1];
        if (flag == "--out") {
            o.out = value;
        } else if (flag == "--htsvoice") {
            o.htsvoice = value;
        } else if (flag == "--dic") {
            o.dic = value;
        } else if (flag == "--open-jtalk") {
            o.openJtalk = value;
        } else if (flag == "--flite") {
            o.flite = value;
        } else {
            return usage();
        }
    }
    if (argc % 2 == 0 || o.out.empty() || o.htsvoice.empty() || o.dic.empty())
        return usage();
    std::string voiceBytes;
    {
        std::ifstream in(o.htsvoice, std::ios::binary);
        voiceBytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        if (voiceBytes.empty()) {
            std::cerr << "uketsuke-voice-render: cannot read the HTS voice " << o.htsvoice
                      << " (run scripts/setup.sh)\n";
            return 1;
        }
    }
    const std::uint64_t voiceHash = fnv1a(voiceBytes);
    for (const char* dir : {"ja", "en", "chime"})
        fs::create_directories(o.out / dir);
    const fs::path work = o.out / ".work";
    fs::create_directories(work);
    const auto manifestFile = o.out / "manifest.tsv";
    const auto previous = readManifest(manifestFile);
    std::vector<std::string> lines;
    int rendered = 0;
    int kept = 0;
    const auto started = std::chrono::steady_clock::now();

    // Keeps the file when its key is unchanged and it is still a valid WAV.
    auto keep = [&](const std::string& id, const std::string& key, const fs::path& file) {
        const auto it = previous.find(id);
        if (it == previous.end() || it->second.key != key)
            return false;
        std::string error;
        if (!inspectWav(file, &error))
            return false;
        lines.push_back(it->second.line);
        ++kept;
        return true;
    };

    for (const auto& e : guidanceTable()) {
        for (const std::string lang : {"ja", "en"}) {
            const std::string text = lang == "ja" ? e.ja : e.en;
            const std::string settings =
                lang == "ja" ? std::string("open_jtalk -r ") + kJtalkSpeed + " " + hex(voiceHash)
                             : std::string("flite ") + kFliteVoice + " " + kFliteStretch;
            const std::string key = promptKey(text, settings);
            const fs::path file = o.out / lang / (std::string(e.code) + ".wav");
            if (keep(manifestId("voice", lang, e.code), key, file))
                continue;
            const fs::path textFile = work / (lang + "-" + e.code + ".txt");
            const fs::path raw = work / (lang + "-" + e.code + ".raw.wav");
            std::ofstream(textFile) << text << "\n";
            const bool ok = lang == "ja"
                                ? run({o.openJtalk, "-x", o.dic.string(), "-m", o.htsvoice.string(),
                                       "-r", kJtalkSpeed, "-ow", raw.string(), textFile.string()})
                                : run({o.flite, "-voice", kFliteVoice, "--setf", kFliteStretch,
                                       "-f", textFile.string(), "-o", raw.string()});
            std::string error;
            auto pcm = ok ? readWav(raw, &error) : std::nullopt;
            if (!pcm || pcm->samples.empty()) {
                std::cerr << "uketsuke-voice-render: " << lang << "/" << e.code << ": "
                          << (ok ? error : "the synthesiser failed") << "\n";
                return 1;
            }
            if (pcm->sampleRate >= 44100)
                halveRate(*pcm);  // Open JTalk's 48 kHz: speech needs no more than 24 kHz
            normalise(*pcm, kPeak, kPadMs);
            if (!writeWav(file, *pcm, &error)) {
                std::cerr << "uketsuke-voice-render: " << error << "\n";
                return 1;
            }
            fs::remove(textFile);
            fs::remove(raw);
            const auto info = inspectWav(file, &error);
            if (!info) {
                std::cerr << "uketsuke-voice-render: " << error << "\n";
                return 1;
            }
            lines.push_back(manifestLine("voice", lang, e.code, key, *info));
            ++rendered;
        }
    }
    for (const auto& c : chimeTable()) {
        const fs::path file = o.out / "chime" / (std::string(c.name) + ".wav");
        const Pcm16 pcm = synthesiseChime(c);
        std::string error;
        if (!writeWav(file, pcm, &error)) {
            std::cerr << "uketsuke-voice-render: " << error << "\n";
            return 1;
        }
        const auto info = inspectWav(file, &error);
        if (!info) {
            std::cerr << "uketsuke-voice-render: " << error << "\n";
            return 1;
        }
        lines.push_back(manifestLine("chime", "-", c.name, "synth", *info));
    }
    fs::remove_all(work);
    {
        const fs::path tmp = manifestFile.string() + ".tmp";
        std::ofstream out(tmp, std::ios::trunc);
        out << "# kind\tlanguage\tcode\tkey\tframes\trate (uketsuke-voice-render)\n";
        for (const auto& l : lines)
            out << l << "\n";
        if (!out) {
            std::cerr << "uketsuke-voice-render: cannot write " << tmp << "\n";
            return 1;
        }
        out.close();
        fs::rename(tmp, manifestFile);
    }
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - started)
                        .count();
    std::cout << "uketsuke-voice-render: " << rendered << " prompts rendered, " << kept
              << " unchanged, " << chimeTable().size() << " chimes, " << ms << " ms\n";
    return 0;
}
