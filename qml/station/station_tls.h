// StationTls: the TLS of the kiosk <-> staff station link (issue 17). Both ends authenticate:
// the station shows a server certificate and the kiosks client certificates, all issued by the
// clinic's own station CA (the only trust anchor: the system's CAs are not trusted here). TLS 1.3
// only. The station takes a kiosk's name from its certificate's common name (CN = the kiosk's
// log terminal_id), so one kiosk cannot raise calls in another's name.
// Test material: sim/pki/make-station-pki.sh (build/pki/station).
#pragma once

#include <QSslConfiguration>
#include <QString>
#include <optional>

namespace uketsuke::qml {

struct StationTlsFiles {
    QString caFile;    // PEM: the station CA (trust anchor for the peer)
    QString certFile;  // PEM: this end's certificate
    QString keyFile;   // PEM: its private key (EC or RSA, unencrypted; mode 0600)
    bool complete() const { return !caFile.isEmpty() && !certFile.isEmpty() && !keyFile.isEmpty(); }
};

// The configuration of either end, or nullopt with `*error` saying which file is missing or
// unreadable. Never logs key material.
std::optional<QSslConfiguration> stationTlsConfiguration(const StationTlsFiles& files,
                                                         QString* error);

// The common name of a certificate ("" when none).
QString certificateName(const QSslCertificate& certificate);

}  // namespace uketsuke::qml
