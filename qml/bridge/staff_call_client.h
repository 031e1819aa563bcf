// StaffCallClient: the kiosk's side of "call staff" (issue 17 "real help"). Each kiosk keeps the
// set of reasons it currently needs a clerk for ("patient" pressed 職員を呼ぶ, "card-left-behind",
// "stuck") and sends every change to the staff station (station/staff_station_model.h) as one
// JSON line over TCP:
//   {"v":1,"terminal":"reception-1","reason":"patient","active":true}
// After a (re)connection the whole set is sent again, so a station started late or restarted
// still shows every open call. Plain TCP on the clinic's LAN: no TLS and no authentication yet
// (a named limitation; the station only displays, it sends nothing back).
// Lives on the GUI thread (QTcpSocket is event driven: nothing blocks).
#pragma once

#include <QObject>
#include <QSet>
#include <QString>
#include <QTcpSocket>
#include <QTimer>

namespace uketsuke::qml {

class StaffCallClient : public QObject {
    Q_OBJECT

  public:
    StaffCallClient(QString host, quint16 port, QString terminalId, QObject* parent = nullptr);
    ~StaffCallClient() override;

    // Raises (`active`) or clears the call for `reason`; sends only when the set changes.
    void setCall(const QString& reason, bool active);
    QSet<QString> activeReasons() const { return active_; }
    bool connected() const { return socket_.state() == QAbstractSocket::ConnectedState; }

  private:
    void connectIfNeeded();
    void sendLine(const QString& reason, bool active);
    void onConnected();

    QString host_;
    quint16 port_;
    QString terminalId_;
    QTcpSocket socket_;
    QTimer retry_;
    QSet<QString> active_;
};

}  // namespace uketsuke::qml
