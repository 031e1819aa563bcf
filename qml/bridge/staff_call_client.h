// StaffCallClient: the kiosk's side of "call staff" (issue 17 "real help"). Each kiosk keeps the
// set of reasons it currently needs a clerk for ("patient" pressed 職員を呼ぶ, "card-left-behind",
// "stuck") and sends every change to the staff station (station/staff_station_model.h) as one
// JSON line over TCP:
//   {"v":1,"terminal":"reception-1","reason":"patient","active":true}
// After a (re)connection the whole set is sent again, so a station started late or restarted
// still shows every open call. Over TLS 1.3 with mutual authentication (station/station_tls.h):
// the kiosk sends only to a station whose certificate the station CA issued for the configured
// host (or `peerName`), and shows its own kiosk certificate. Without usable TLS files, or to a
// station that fails verification, nothing is sent and one log line says why.
// Lives on the GUI thread (QSslSocket is event driven: nothing blocks).
#pragma once

#include <QObject>
#include <QSet>
#include <QSslSocket>
#include <QString>
#include <QTimer>

#include "qml/station/station_tls.h"

namespace uketsuke::qml {

class StaffCallClient : public QObject {
    Q_OBJECT

  public:
    StaffCallClient(QString host, quint16 port, QString terminalId, const StationTlsFiles& tls,
                    QString peerName = {}, QObject* parent = nullptr);
    ~StaffCallClient() override;
    Q_DISABLE_COPY_MOVE(StaffCallClient)

    // Raises (`active`) or clears the call for `reason`; sends only when the set changes.
    void setCall(const QString& reason, bool active);
    QSet<QString> activeReasons() const { return active_; }
    bool connected() const {
        return socket_.state() == QAbstractSocket::ConnectedState && socket_.isEncrypted();
    }
    // Why calls cannot reach the station ("" when none): unusable TLS files or the last refusal.
    QString problem() const { return problem_; }

  private:
    void connectIfNeeded();
    void sendLine(const QString& reason, bool active);
    void onConnected();
    void report(const QString& problem);

    QString host_;
    quint16 port_;
    QString terminalId_;
    QString peerName_;
    bool usable_ = false;
    QString problem_;
    QSet<QString> reported_;
    QSslSocket socket_;
    QTimer retry_;
    QSet<QString> active_;
};

}  // namespace uketsuke::qml
