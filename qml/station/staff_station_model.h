// StaffStationModel: the staff station's list of kiosks that need a clerk, with the reason and
// since when (issue 17 "real help"). Listens for StaffCallClient lines (bridge/staff_call_client.h)
// on a TLS port (station_tls.h: mutual authentication, the station CA only); one row per
// (terminal, reason); a cleared call or a kiosk whose connection drops leaves the list.
// `callArrived` is for the station's chime. A peer without a certificate of the station CA (plain
// TCP, no client certificate, another CA) never gets past the handshake: it is refused with one log
// line ("refused <address>: <why>") and shows nothing; a line naming another kiosk than the
// certificate's CN is dropped with a log line too.
#pragma once

#include <QAbstractListModel>
#include <QDateTime>
#include <QHash>
#include <QQmlEngine>
#include <QSslSocket>
#include <QTcpServer>
#include <functional>
#include <optional>
#include <vector>

#include "qml/station/station_tls.h"

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
    Q_DISABLE_COPY_MOVE(StaffStationModel)

    // The station's TLS files (required before listen()); false with error() when unusable.
    bool setTls(const StationTlsFiles& files);
    Q_INVOKABLE bool setTls(const QString& caFile, const QString& certFile,
                            const QString& keyFile) {
        return setTls(StationTlsFiles{caFile, certFile, keyFile});
    }
    // Listens on `port` (0: any free port, see port()). false when the port is taken or no TLS
    // configuration is set (error()).
    Q_INVOKABLE bool listen(int port, const QString& address = QStringLiteral("0.0.0.0"));
    QString error() const { return error_; }
    // Peers refused since start (failed or timed-out handshakes, lines naming another kiosk).
    int refusedCount() const { return refused_; }
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
    void peerRefused(const QString& peer, const QString& why);

  private:
    struct Call {
        QString terminal;
        QString reason;
        QDateTime since;
    };
    // A TCP server that hands each new connection's descriptor over (the TLS is ours).
    class Listener : public QTcpServer {
      public:
        std::function<void(qintptr)> onIncoming;

      protected:
        void incomingConnection(qintptr descriptor) override {
            if (onIncoming)
                onIncoming(descriptor);
        }
    };
    void onIncoming(qintptr descriptor);
    void accept(QSslSocket* peer);
    void refuse(QSslSocket* peer, const QString& why);
    void onLine(QTcpSocket* peer, const QByteArray& line);
    void setCall(const QString& terminal, const QString& reason, bool active);
    void dropTerminal(const QString& terminal);

    Listener server_;
    std::optional<QSslConfiguration> tls_;
    QString error_;
    int refused_ = 0;
    std::vector<Call> calls_;
    QHash<QTcpSocket*, QString> peers_;  // connection -> its certificate's CN (the kiosk)
};

}  // namespace uketsuke::qml
