// StaffStationModel: the staff station's list of kiosks that need a clerk, with the reason and
// since when (issue 17 "real help"). Listens for StaffCallClient lines (bridge/staff_call_client.h)
// on a TCP port; one row per (terminal, reason); a cleared call or a kiosk whose connection drops
// leaves the list. `callArrived` is for the station's chime.
#pragma once

#include <QAbstractListModel>
#include <QDateTime>
#include <QHash>
#include <QQmlEngine>
#include <QTcpServer>
#include <vector>

namespace uketsuke::qml {

class StaffStationModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(int port READ port NOTIFY listeningChanged)
    Q_PROPERTY(bool listening READ listening NOTIFY listeningChanged)

  public:
    enum Role { TerminalRole = Qt::UserRole + 1, ReasonRole, SinceRole };

    explicit StaffStationModel(QObject* parent = nullptr);
    ~StaffStationModel() override;

    // Listens on `port` (0: any free port, see port()). false when the port is taken.
    Q_INVOKABLE bool listen(int port, const QString& address = QStringLiteral("0.0.0.0"));
    int port() const { return server_.isListening() ? server_.serverPort() : 0; }
    bool listening() const { return server_.isListening(); }
    int count() const { return static_cast<int>(calls_.size()); }
    // "terminal:reason" of row `row` (tests).
    Q_INVOKABLE QString key(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

  signals:
    void countChanged();
    void listeningChanged();
    void callArrived(const QString& terminal, const QString& reason);

  private:
    struct Call {
        QString terminal;
        QString reason;
        QDateTime since;
    };
    void onConnection();
    void onLine(QTcpSocket* peer, const QByteArray& line);
    void setCall(const QString& terminal, const QString& reason, bool active);
    void dropTerminal(const QString& terminal);

    QTcpServer server_;
    std::vector<Call> calls_;
    QHash<QTcpSocket*, QString> peers_;  // connection -> the terminal it speaks for
};

}  // namespace uketsuke::qml
