#include "qml/station/staff_station_model.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSslSocket>
#include <QTimer>

namespace uketsuke::qml {
namespace {

constexpr qsizetype kMaxLineBytes = 4096;           // a call line is ~100 bytes
constexpr int kHandshakeTimeoutMs = 5000;           // a peer that never completes TLS is dropped
constexpr const char* kPeerName = "uketsukeKiosk";  // the authenticated CN, on the socket
constexpr const char* kRefused = "uketsukeRefused";

QString describe(const QTcpSocket* peer) {
    return QStringLiteral("%1:%2").arg(peer->peerAddress().toString()).arg(peer->peerPort());
}

}  // namespace

StaffStationModel::StaffStationModel(QObject* parent) : QAbstractListModel(parent) {
    server_.onIncoming = [this](qintptr descriptor) { onIncoming(descriptor); };
}

StaffStationModel::~StaffStationModel() {
    // The peers are children (deleted after the members): their handlers must not touch peers_
    // or calls_ any more.
    server_.onIncoming = nullptr;
    for (QTcpSocket* peer : findChildren<QTcpSocket*>())
        peer->disconnect(this);
}

bool StaffStationModel::setTls(const StationTlsFiles& files) {
    QString error;
    auto config = stationTlsConfiguration(files, &error);
    error_ = config ? QString() : error;
    tls_ = std::move(config);
    return tls_.has_value();
}

bool StaffStationModel::listen(int port, const QString& address) {
    server_.close();
    if (!tls_) {
        if (error_.isEmpty())
            error_ = QStringLiteral("TLS is required: no station certificate set");
        emit listeningChanged();
        return false;
    }
    const bool ok = server_.listen(QHostAddress(address), static_cast<quint16>(port));
    emit listeningChanged();
    return ok;
}

// A new TCP connection: it must complete the TLS handshake with a client certificate of the
// station CA within kHandshakeTimeoutMs, or it is refused; nothing it sends is read before.
void StaffStationModel::onIncoming(qintptr descriptor) {
    auto* peer = new QSslSocket(this);
    if (!tls_ || !peer->setSocketDescriptor(descriptor)) {
        delete peer;
        return;
    }
    peer->setSslConfiguration(*tls_);
    connect(peer, &QSslSocket::encrypted, this, [this, peer] { accept(peer); });
    connect(peer, &QSslSocket::sslErrors, this, [this, peer](const QList<QSslError>& errors) {
        QStringList why;
        for (const QSslError& e : errors)
            why << e.errorString();
        refuse(peer, why.join(QStringLiteral("; ")));
    });
    connect(peer, &QSslSocket::errorOccurred, this, [this, peer](QAbstractSocket::SocketError) {
        if (!peer->property(kPeerName).isValid())
            refuse(peer, peer->errorString());
    });
    connect(peer, &QSslSocket::disconnected, this, [this, peer] {
        if (!peer->property(kPeerName).isValid())  // (isEncrypted() is false once closed)
            refuse(peer, QStringLiteral("closed before completing the TLS handshake"));
        // A kiosk that went away (restarted, unplugged) leaves no stale call behind.
        dropTerminal(peers_.take(peer));
        peer->deleteLater();
    });
    QTimer::singleShot(kHandshakeTimeoutMs, peer, [this, peer] {
        if (!peer->property(kPeerName).isValid())
            refuse(peer,
                   QStringLiteral("no TLS handshake within %1 s").arg(kHandshakeTimeoutMs / 1000));
    });
    peer->startServerEncryption();
}

void StaffStationModel::refuse(QSslSocket* peer, const QString& why) {
    if (peer->property(kRefused).toBool())
        return;  // one line per peer, not one per error
    peer->setProperty(kRefused, true);
    ++refused_;
    qWarning("uketsuke-station: refused %s: %s", qPrintable(describe(peer)), qPrintable(why));
    emit peerRefused(describe(peer), why);
    peer->abort();
}

// Handshake done: the peer showed a certificate of the station CA (VerifyPeer). Its CN names it.
void StaffStationModel::accept(QSslSocket* peer) {
    const QString name = certificateName(peer->peerCertificate());
    if (name.isEmpty()) {
        refuse(peer, QStringLiteral("no common name in the client certificate"));
        return;
    }
    peer->setProperty(kPeerName, name);
    connect(peer, &QTcpSocket::readyRead, this, [this, peer] {
        while (peer->canReadLine())
            onLine(peer, peer->readLine(kMaxLineBytes).trimmed());
        if (peer->bytesAvailable() > kMaxLineBytes)
            peer->abort();  // not our protocol
    });
    if (peer->canReadLine())
        emit peer->readyRead();
}

void StaffStationModel::onLine(QTcpSocket* peer, const QByteArray& line) {
    const QJsonObject o = QJsonDocument::fromJson(line).object();
    const QString terminal = o.value(QStringLiteral("terminal")).toString();
    const QString reason = o.value(QStringLiteral("reason")).toString();
    if (o.value(QStringLiteral("v")).toInt() != 1 || terminal.isEmpty() || reason.isEmpty())
        return;
    const QString certified = peer->property(kPeerName).toString();
    if (terminal != certified) {
        ++refused_;
        qWarning(
            "uketsuke-station: dropped a call from %s: it names kiosk \"%s\", its certificate "
            "\"%s\"",
            qPrintable(describe(peer)), qPrintable(terminal), qPrintable(certified));
        emit peerRefused(describe(peer), QStringLiteral("terminal does not match the certificate"));
        return;
    }
    peers_[peer] = terminal;
    setCall(terminal, reason, o.value(QStringLiteral("active")).toBool());
}

void StaffStationModel::setCall(const QString& terminal, const QString& reason, bool active) {
    for (std::size_t i = 0; i < calls_.size(); ++i) {
        if (calls_[i].terminal != terminal || calls_[i].reason != reason)
            continue;
        if (!active) {
            const int row = static_cast<int>(i);
            beginRemoveRows({}, row, row);
            calls_.erase(calls_.begin() + row);
            endRemoveRows();
            emit countChanged();
        }
        return;
    }
    if (!active)
        return;
    const int row = count();
    beginInsertRows({}, row, row);
    calls_.push_back({terminal, reason, QDateTime::currentDateTime()});
    endInsertRows();
    emit countChanged();
    emit callArrived(terminal, reason);
}

void StaffStationModel::dropTerminal(const QString& terminal) {
    if (terminal.isEmpty())
        return;
    for (int row = count() - 1; row >= 0; --row) {
        if (calls_[static_cast<std::size_t>(row)].terminal == terminal)
            setCall(terminal, calls_[static_cast<std::size_t>(row)].reason, false);
    }
}

QString StaffStationModel::key(int row) const {
    if (row < 0 || row >= count())
        return {};
    const Call& c = calls_[static_cast<std::size_t>(row)];
    return c.terminal + QLatin1Char(':') + c.reason;
}

int StaffStationModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : count();
}

QVariant StaffStationModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Call& c = calls_[static_cast<std::size_t>(index.row())];
    switch (role) {
        case TerminalRole:
            return c.terminal;
        case ReasonRole:
            return c.reason;
        case SinceRole:
            return c.since.toString(QStringLiteral("HH:mm:ss"));
        default:
            return {};
    }
}

QHash<int, QByteArray> StaffStationModel::roleNames() const {
    return {{TerminalRole, "terminal"}, {ReasonRole, "reason"}, {SinceRole, "since"}};
}

}  // namespace uketsuke::qml
