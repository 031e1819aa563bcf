// `uketsuke card info` and `uketsuke card photo`: the card layer from the command line
// (reference card-protocol.md §2, §4, §5, §8). Neither command consumes a PIN try; `photo`
// spends one 照合番号B try only when the code is wrong, and refuses when the counter is low.
#include <fstream>
#include <iostream>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "card/card_service.h"
#include "card/verification_number_b.h"
#include "terminal/cli/commands.h"

namespace uketsuke::cli {
namespace {

using card::CardError;
using card::CardErrorCode;
using nlohmann::json;

card::CardServiceConfig serviceConfig(const terminal::CardConfig& c, const std::string& reader) {
    card::CardServiceConfig s;
    s.reader = reader.empty() ? c.reader : reader;
    s.trustStore = c.trustStore;
    s.kenmenCvcaPublicKey = c.kenmenCvcaPublicKey;
    s.rejectTestIssuer = c.rejectTestIssuer;
    return s;
}

json errorJson(const CardError& e, bool canceled) {
    json j{{"error", std::string(e.name())},
           {"description", std::string(card::cardErrorInfo(e.code).description)},
           {"context", e.context},
           {"canceled", canceled}};
    if (e.sw != 0) {
        char sw[8];
        std::snprintf(sw, sizeof sw, "%04X", e.sw);
        j["sw"] = sw;
    }
    if (e.triesLeft)
        j["tries_left"] = *e.triesLeft;
    return j;
}

// Prints a failure in the chosen format; returns the exit code (1: refused or failed).
int report(const CardError& e, bool canceled, bool asJson) {
    if (asJson) {
        std::cout << json{{"ok", false}, {"result", errorJson(e, canceled)}}.dump(2) << "\n";
    } else {
        std::cerr << "uketsuke card: " << card::cardErrorInfo(e.code).description << " ["
                  << e.toString() << "]\n";
    }
    return 1;
}

json counterJson(const std::optional<card::RetryCounter>& c) {
    if (!c)
        return nullptr;
    json j{{"state", std::string(card::retryStateName(c->state))}};
    if (c->state == card::RetryCounter::State::kTriesLeft)
        j["tries_left"] = c->triesLeft;
    return j;
}

std::string counterText(const std::optional<card::RetryCounter>& c) {
    if (!c)
        return "-";
    if (c->state == card::RetryCounter::State::kTriesLeft) {
        return std::to_string(c->triesLeft) + " tries left";
    }
    return std::string(card::retryStateName(c->state));
}

int runInfo(const terminal::Config& config, const std::string& reader, bool asJson) {
    auto service = card::CardService::open(serviceConfig(config.card, reader));
    if (!service)
        return report(service.error(), service.canceled(), asJson);
    auto info = (*service)->readInfo();
    if (!info)
        return report(info.error(), info.canceled(), asJson);

    json j{{"ok", true},
           {"reader", (*service)->readerName()},
           {"card_class", std::string(card::cardClassName(info->cardClass))},
           {"token_label", info->tokenLabel},
           {"auth_pin", counterJson(info->authPin)},
           {"verification_number_b", counterJson(info->verificationNumberB)}};
    std::optional<CardError> certError;
    if (!info->authCertificate.empty()) {
        auto check = (*service)->checkAuthCertificate(*info, std::chrono::system_clock::now());
        if (check) {
            const auto& c = check->certificate;
            j["certificate"] = {
                {"serial", c.serialHex()},
                {"issuer", c.issuer()},
                {"subject", c.subject()},
                {"not_before", std::chrono::system_clock::to_time_t(c.notBefore())},
                {"not_after", std::chrono::system_clock::to_time_t(c.notAfter())},
                {"validity", std::string(card::validityStateName(check->report.validity))},
                {"chain_trusted", check->report.chainTrusted}};
        } else {
            certError = check.error();
            j["certificate"] = {{"error", errorJson(check.error(), false)}};
            // Still show what the certificate says, so staff can read the serial and issuer.
            if (auto c = card::Certificate::fromDer(info->authCertificate)) {
                j["certificate"]["serial"] = c->serialHex();
                j["certificate"]["issuer"] = c->issuer();
            }
        }
    }
    if (asJson) {
        std::cout << j.dump(2) << "\n";
    } else {
        std::cout << "reader:              " << (*service)->readerName() << "\n"
                  << "card class:          " << card::cardClassName(info->cardClass) << "\n"
                  << "token label:         " << info->tokenLabel << "\n";
        if (j.contains("certificate")) {
            const auto& c = j["certificate"];
            std::cout << "auth cert serial:    " << c.value("serial", "-") << "\n"
                      << "auth cert issuer:    " << c.value("issuer", "-") << "\n"
                      << "validity:            "
                      << (certError ? certError->toString() : c.value("validity", "-")) << "\n";
        }
        std::cout << "auth PIN:            " << counterText(info->authPin) << "\n"
                  << "照合番号B (券面AP):  " << counterText(info->verificationNumberB) << "\n";
    }
    return certError ? 1 : 0;
}

int runPhoto(const terminal::Config& config, const std::string& reader, const std::string& birth,
             int expiryYear, std::string code, const std::string& output, bool asJson) {
    const auto birthDate = card::parseIsoDate(birth);
    if (!birthDate) {
        std::cerr << "uketsuke card photo: --birth must be YYYY-MM-DD\n";
        return 2;
    }
    auto number = card::buildVerificationNumberB(*birthDate, expiryYear, code);
    OPENSSL_cleanse(code.data(), code.size());
    if (!number)
        return report(number.error(), false, asJson);

    auto service = card::CardService::open(serviceConfig(config.card, reader));
    if (!service)
        return report(service.error(), service.canceled(), asJson);
    auto photo = (*service)->readVerifiedPhoto(std::move(number).takeValue());
    if (!photo)
        return report(photo.error(), photo.canceled(), asJson);

    std::ofstream out(output, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(photo->jp2.data()),
              static_cast<std::streamsize>(photo->jp2.size()));
    if (!out.flush()) {
        std::cerr << "uketsuke card photo: cannot write " << output << "\n";
        return 1;
    }
    if (asJson) {
        std::cout << json{{"ok", true},
                          {"file", output},
                          {"bytes", photo->jp2.size()},
                          {"width_px", photo->info.widthPx},
                          {"height_px", photo->info.heightPx},
                          {"components", photo->info.components},
                          {"signature", "verified"},
                          {"internal_authentication", "passed"}}
                         .dump(2)
                  << "\n";
    } else {
        std::cout << "saved " << output << " (" << photo->jp2.size() << " bytes, "
                  << photo->info.widthPx << "x" << photo->info.heightPx
                  << "); photo signature verified, card authenticated\n";
    }
    return 0;
}

}  // namespace

void registerCardCommands(CLI::App& app, const ConfigProvider& config, int& exitCode) {
    auto* cardCmd = app.add_subcommand("card", "My Number Card: information and chip photo");
    cardCmd->require_subcommand(1);

    struct InfoOptions {
        std::string reader;
        bool json = false;
    };
    auto info = std::make_shared<InfoOptions>();
    auto* infoCmd = cardCmd->add_subcommand(
        "info", "reader, card class, auth certificate and retry counters (consumes no try)");
    infoCmd->add_option("--reader", info->reader, "PC/SC reader name (default: first with a card)");
    infoCmd->add_flag("--json", info->json, "JSON output");
    infoCmd->callback(
        [info, config, &exitCode] { exitCode = runInfo(config(), info->reader, info->json); });

    struct PhotoOptions {
        std::string reader, birth, code, output;
        int expiryYear = 0;
        bool json = false;
    };
    auto photo = std::make_shared<PhotoOptions>();
    auto* photoCmd = cardCmd->add_subcommand(
        "photo", "read the verified chip photo with 照合番号B (birth date, card expiry, code)");
    photoCmd->add_option("--reader", photo->reader, "PC/SC reader name");
    photoCmd->add_option("--birth", photo->birth, "birth date on the card, YYYY-MM-DD")->required();
    photoCmd->add_option("--expiry-year", photo->expiryYear, "card expiry year (YYYY)")->required();
    photoCmd->add_option("--code", photo->code, "4-digit security code")->required();
    photoCmd->add_option("-o,--output", photo->output, "output JP2 file")->required();
    photoCmd->add_flag("--json", photo->json, "JSON output");
    photoCmd->callback([photo, config, &exitCode] {
        exitCode = runPhoto(config(), photo->reader, photo->birth, photo->expiryYear, photo->code,
                            photo->output, photo->json);
        OPENSSL_cleanse(photo->code.data(), photo->code.size());
    });
}

}  // namespace uketsuke::cli
