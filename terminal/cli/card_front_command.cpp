// `uketsuke card-front read IMAGE [--json] [--show-code] [--tessdata DIR]`: reads the birth date,
// expiry and security code from a photo of a My Number Card front (vision/card_front) and prints
// each with its status and confidence. The fields are printed because the operator asked for
// them on their own terminal; the security code stays masked unless --show-code. Nothing is
// written to disk or logged.
#include "terminal/cli/card_front_command.h"

#include <cstdio>
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "vision/card_front/card_front_ocr.h"
#include "vision/image_io.h"

namespace uketsuke::cli {
namespace {

namespace cf = vision::card_front;
using nlohmann::json;

std::string iso(std::chrono::year_month_day d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(d.year()), unsigned(d.month()),
                  unsigned(d.day()));
    return buf;
}

template <typename T, typename Show>
json fieldJson(const cf::FieldReading<T>& f, Show show) {
    json j{{"status", std::string(cf::name(f.status))}, {"confidence", f.confidence}};
    if (f.value)
        j["value"] = show(*f.value);
    if (!f.reason.empty())
        j["reason"] = std::string(f.reason);
    return j;
}

int run(const std::string& image, const std::string& tessdata, bool asJson, bool showCode) {
    cf::CardFrontOcrConfig config;
    if (!tessdata.empty())
        config.tessdataDir = tessdata;
    auto ocr = cf::CardFrontOcr::create(config);
    if (!ocr) {
        std::cerr << "uketsuke card-front: " << cf::describe(ocr.error()) << "\n";
        return 2;
    }
    // The same decoder and size limit as the face paths: the header's size is checked before
    // anything is decoded (a 16000x16000 PNG is refused, not decoded into 768 MB).
    auto decoded = vision::decodeImageFile(image);
    if (!decoded) {
        std::cerr << "uketsuke card-front: " << image << ": "
                  << vision::visionErrorInfo(decoded.error()).description << "\n";
        return 1;
    }
    const cv::Mat frame = std::move(decoded).takeValue();
    auto result = ocr.value()->read(frame);
    if (!result) {
        if (asJson)
            std::cout << json{{"ok", false},
                              {"error", std::string(cf::name(result.error()))},
                              {"description", std::string(cf::describe(result.error()))}}
                             .dump(2)
                      << "\n";
        else
            std::cerr << "uketsuke card-front: " << image << ": " << cf::describe(result.error())
                      << " [" << cf::name(result.error()) << "]\n";
        return 1;
    }
    const auto& r = result.value();
    const json out{
        {"ok", r.allConfident()},
        {"birth_date", fieldJson(r.birthDate, [](const cf::BirthDate& b) { return iso(b.date); })},
        {"expiry",
         fieldJson(r.expiry, [](const std::chrono::year_month_day& d) { return iso(d); })},
        {"security_code", fieldJson(r.securityCode,
                                    [&](const SecretBytes& code) {
                                        const auto v = code.view();
                                        return showCode ? std::string(v.begin(), v.end())
                                                        : std::string(v.size(), '*');
                                    })},
        {"face_auth_printed", r.faceAuthPrinted},
        {"turned_180", r.turned180}};
    if (asJson) {
        std::cout << out.dump(2) << "\n";
    } else {
        for (const char* key : {"birth_date", "expiry", "security_code"}) {
            const auto& f = out[key];
            std::cout << key << ": " << f.value("value", std::string("-")) << "  ("
                      << f["status"].get<std::string>() << ", " << f["confidence"].get<double>()
                      << ")" << (f.contains("reason") ? "  " + f["reason"].get<std::string>() : "")
                      << "\n";
        }
        std::cout << "顔認証 printed: " << (r.faceAuthPrinted ? "yes" : "no") << "\n";
    }
    return r.allConfident() ? 0 : 1;
}

}  // namespace

void registerCardFrontCommands(CLI::App& app, int& exitCode) {
    auto* group = app.add_subcommand("card-front", "Card-front OCR (照合番号B fields)");
    group->require_subcommand(1);
    auto* read = group->add_subcommand("read", "Read the 照合番号B fields from a card-front image");
    auto image = std::make_shared<std::string>();
    auto tessdata = std::make_shared<std::string>();
    auto asJson = std::make_shared<bool>(false);
    auto showCode = std::make_shared<bool>(false);
    read->add_option("IMAGE", *image, "photo of the card front")
        ->required()
        ->check(CLI::ExistingFile);
    read->add_option("--tessdata", *tessdata, "Tesseract data folder (default: Debian's)");
    read->add_flag("--json", *asJson, "JSON output");
    read->add_flag("--show-code", *showCode, "print the security code instead of ****");
    read->callback([=, &exitCode] { exitCode = run(*image, *tessdata, *asJson, *showCode); });
}

}  // namespace uketsuke::cli
