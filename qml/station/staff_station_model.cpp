#include "qml/station/staff_station_model.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>

namespace uketsuke::qml {
namespace {

constexpr qsizetype kMaxLineBytes = 4096;  // a call line is ~100 bytes

}  // namespace

StaffStationModel::StaffStationModel(QObject* parent) : QAbstractListModel(parent) {
    connect(&server_, &QTcpServer::newConnection, this, &StaffStationModel::onConnection);
}

StaffStationModel::~StaffStationModel() {
    // The peers are children (deleted after the members): their disconnect handlers must not
    // touch peers_ or calls_ any more.
    for (QTcpSocket* peer : findChildren<QTcpSocket*>())
        peer->disconnect(this);
}

bool StaffStationModel::listen(int port, const QString& address) {
    server_.close();
    const bool ok = server_.listen(QHostAddress(address), static_cast<quint16>(port));
    emit listeningChanged();
    return ok;
}

void StaffStationModel::onConnection() {
    while (QTcpSocket* peer = server_.nextPendingConnection()) {
        peer->setParent(this);
        connect(peer, &QTcpSocket::readyRead, this, [this, peer] {
            while (peer->canReadLine())
                onLine(peer, peer->readLine(kMaxLineBytes).trimmed());
            if (peer->bytesAvailable() > kMaxLineBytes)
                peer->abort();  // not our protocol
        });
        connect(peer, &QTcpSocket::disconnected, this, [this, peer] {
            // A kiosk that went away (restarted, unplugged) leaves no stale call behind.
            dropTerminal(peers_.take(peer));
            peer->deleteLater();
        });
    }
}

void StaffStationModel::onLine(QTcpSocket* peer, const QByteArray& line) {
    const QJsonObject o = QJsonDocument::fromJson(line).object();
    const QString terminal = o.value(QStringLiteral("terminal")).toString();
    const QString reason = o.value(QStringLiteral("reason")).toString();
    if (o.value(QStringLiteral("v")).toInt() != 1 || terminal.isEmpty() || reason.isEmpty())
        return;
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
