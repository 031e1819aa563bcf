#include "qml/bridge/staff_call_client.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace uketsuke::qml {
namespace {

// A station that is down is tried again this often while a call is open.
constexpr int kRetryMs = 2000;

}  // namespace

StaffCallClient::StaffCallClient(QString host, quint16 port, QString terminalId, QObject* parent)
    : QObject(parent), host_(std::move(host)), port_(port), terminalId_(std::move(terminalId)) {
    connect(&socket_, &QTcpSocket::connected, this, &StaffCallClient::onConnected);
    connect(&socket_, &QTcpSocket::disconnected, this, [this] {
        if (!active_.isEmpty())
            retry_.start();
    });
    connect(&socket_, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) {
        if (!active_.isEmpty())
            retry_.start();
    });
    retry_.setSingleShot(true);
    retry_.setInterval(kRetryMs);
    connect(&retry_, &QTimer::timeout, this, &StaffCallClient::connectIfNeeded);
    socket_.setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connectIfNeeded();
}

StaffCallClient::~StaffCallClient() {
    // The socket closes last (members go in reverse order): no handler may run on the members
    // already gone. The station sees the connection drop and clears this kiosk's calls.
    socket_.disconnect(this);
    retry_.stop();
    socket_.abort();
}

void StaffCallClient::setCall(const QString& reason, bool active) {
    if (active == active_.contains(reason))
        return;
    if (active)
        active_.insert(reason);
    else
        active_.remove(reason);
    if (connected())
        sendLine(reason, active);
    else
        connectIfNeeded();  // the whole set goes out once connected
}

void StaffCallClient::connectIfNeeded() {
    if (socket_.state() == QAbstractSocket::UnconnectedState)
        socket_.connectToHost(host_, port_);
}

void StaffCallClient::onConnected() {
    retry_.stop();
    for (const QString& reason : std::as_const(active_))
        sendLine(reason, true);
}

void StaffCallClient::sendLine(const QString& reason, bool active) {
    const QJsonObject line{{QStringLiteral("v"), 1},
                           {QStringLiteral("terminal"), terminalId_},
                           {QStringLiteral("reason"), reason},
                           {QStringLiteral("active"), active}};
    socket_.write(QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n');
    socket_.flush();
}

}  // namespace uketsuke::qml
