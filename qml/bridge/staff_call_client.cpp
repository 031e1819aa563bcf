#include "qml/bridge/staff_call_client.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace uketsuke::qml {
namespace {

// A station that is down is tried again this often while a call is open.
constexpr int kRetryMs = 2000;

}  // namespace

StaffCallClient::StaffCallClient(QString host, quint16 port, QString terminalId,
                                 const StationTlsFiles& tls, QString peerName, QObject* parent)
    : QObject(parent),
      host_(std::move(host)),
      port_(port),
      terminalId_(std::move(terminalId)),
      peerName_(std::move(peerName)) {
    QString error;
    if (const auto config = stationTlsConfiguration(tls, &error)) {
        socket_.setSslConfiguration(*config);
        usable_ = true;
    } else {
        report(QStringLiteral("not used: %1").arg(error));
    }
    // Calls go out only once the station proved its certificate (encrypted, not connected).
    connect(&socket_, &QSslSocket::encrypted, this, &StaffCallClient::onConnected);
    connect(&socket_, &QSslSocket::sslErrors, this, [this](const QList<QSslError>& errors) {
        QStringList why;
        for (const QSslError& e : errors)
            why << e.errorString();
        report(QStringLiteral("refused the station: %1").arg(why.join(QStringLiteral("; "))));
    });
    connect(&socket_, &QTcpSocket::disconnected, this, [this] {
        if (!active_.isEmpty())
            retry_.start();
    });
    connect(&socket_, &QSslSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) {
        // The station being down or away is not a security problem: the retry handles it.
        const auto error = socket_.error();
        if (error != QAbstractSocket::ConnectionRefusedError &&
            error != QAbstractSocket::HostNotFoundError &&
            error != QAbstractSocket::RemoteHostClosedError)
            report(QStringLiteral("no secure connection: %1").arg(socket_.errorString()));
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
    if (usable_ && socket_.state() == QAbstractSocket::UnconnectedState)
        socket_.connectToHostEncrypted(host_, port_, peerName_.isEmpty() ? host_ : peerName_);
}

// One log line per distinct problem until the link works (the retry repeats them every 2 s).
void StaffCallClient::report(const QString& problem) {
    problem_ = problem;
    if (reported_.contains(problem))
        return;
    reported_.insert(problem);
    qWarning("uketsuke-ui: staff station %s:%u: %s", qPrintable(host_), unsigned{port_},
             qPrintable(problem));
}

void StaffCallClient::onConnected() {
    retry_.stop();
    problem_.clear();
    reported_.clear();
    for (const QString& reason : std::as_const(active_))
        sendLine(reason, true);
}

void StaffCallClient::sendLine(const QString& reason, bool active) {
    if (!socket_.isEncrypted())
        return;
    const QJsonObject line{{QStringLiteral("v"), 1},
                           {QStringLiteral("terminal"), terminalId_},
                           {QStringLiteral("reason"), reason},
                           {QStringLiteral("active"), active}};
    socket_.write(QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n');
    socket_.flush();
}

}  // namespace uketsuke::qml
