// uketsuke-ui-demo: the kiosk with the demo panel (`uketsuke ui --demo` execs it; the
// uketsuke-sim package ships it). The configuration's "sim" section names the virtual card's
// control socket and the personas; --persona is the card in the reader at the start, and its
// holder's photo is the camera unless --camera names another source.
#include <iostream>
#include <memory>

#include "qml/demo/demo_card.h"
#include "qml/kiosk_main.h"
#include "terminal/config.h"

namespace {

using uketsuke::qml::BridgeOptions;
using uketsuke::qml::SessionBridge;
using uketsuke::qml::demo::DemoCard;

class DemoExtension final : public uketsuke::qml::KioskExtension {
  public:
    void addOptions(QCommandLineParser& cli) override { cli.addOptions({demoOpt_, personaOpt_}); }

    std::string configure(const QCommandLineParser& cli, BridgeOptions& options) override {
        auto config = uketsuke::terminal::loadConfig(options.configPath);
        if (!config)
            return config.error().message;
        auto settings = uketsuke::sim::SimSettings::fromConfig(config.value());
        if (!settings)
            return settings.error();
        auto card =
            DemoCard::create(std::move(settings).takeValue(), cli.value(personaOpt_).toStdString());
        if (!card)
            return card.error();
        card_ = std::move(card).takeValue();
        if (options.cameraSpec.empty() || options.cameraSpec == "persona")
            options.cameraSpec = card_->cameraSpecFor(card_->persona().toStdString());
        options.cardFrontSource = [card = card_.get()] { return card->cardFront(); };
        return {};
    }

    QObject* attach(SessionBridge& bridge) override {
        card_->attach(bridge);
        return card_.get();
    }

  private:
    QCommandLineOption demoOpt_{QStringLiteral("demo"),
                                QStringLiteral("show the demo panel (always on in this build)")};
    QCommandLineOption personaOpt_{QStringLiteral("persona"),
                                   QStringLiteral("persona of the virtual card in the reader"),
                                   QStringLiteral("P"), QStringLiteral("normal")};
    std::unique_ptr<DemoCard> card_;  // outlives the bridge (runKiosk returns first)
};

}  // namespace

int main(int argc, char** argv) {
    DemoExtension demo;
    return uketsuke::qml::runKiosk(argc, argv, &demo);
}
