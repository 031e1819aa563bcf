#include "qml/station/station_tls.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>

namespace uketsuke::qml {
namespace {

bool readFile(const QString& path, QByteArray* out) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    *out = file.readAll();
    return true;
}

}  // namespace

std::optional<QSslConfiguration> stationTlsConfiguration(const StationTlsFiles& files,
                                                         QString* error) {
    if (!QSslSocket::supportsSsl()) {
        *error = QStringLiteral("no TLS backend (Qt's OpenSSL plugin) is available");
        return std::nullopt;
    }
    if (!files.complete()) {
        *error = QStringLiteral("TLS is required: the CA, certificate and key files must be set");
        return std::nullopt;
    }
    QByteArray pem;
    if (!readFile(files.caFile, &pem)) {
        *error = QStringLiteral("cannot read the CA file %1").arg(files.caFile);
        return std::nullopt;
    }
    const QList<QSslCertificate> cas = QSslCertificate::fromData(pem, QSsl::Pem);
    if (cas.isEmpty()) {
        *error = QStringLiteral("no PEM certificate in the CA file %1").arg(files.caFile);
        return std::nullopt;
    }
    if (!readFile(files.certFile, &pem)) {
        *error = QStringLiteral("cannot read the certificate file %1").arg(files.certFile);
        return std::nullopt;
    }
    const QList<QSslCertificate> chain = QSslCertificate::fromData(pem, QSsl::Pem);
    if (chain.isEmpty()) {
        *error = QStringLiteral("no PEM certificate in %1").arg(files.certFile);
        return std::nullopt;
    }
    if (!readFile(files.keyFile, &pem)) {
        *error = QStringLiteral("cannot read the key file %1").arg(files.keyFile);
        return std::nullopt;
    }
    QSslKey key(pem, QSsl::Ec, QSsl::Pem);
    if (key.isNull())
        key = QSslKey(pem, QSsl::Rsa, QSsl::Pem);
    pem.fill('\0');
    if (key.isNull()) {
        *error = QStringLiteral("no usable private key in %1").arg(files.keyFile);
        return std::nullopt;
    }
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setProtocol(QSsl::TlsV1_3OrLater);
    config.setCaCertificates(cas);  // only the station CA, not the system's
    config.setLocalCertificateChain(chain);
    config.setPrivateKey(key);
    config.setPeerVerifyMode(QSslSocket::VerifyPeer);  // the server requires a client certificate
    config.setPeerVerifyDepth(2);
    return config;
}

QString certificateName(const QSslCertificate& certificate) {
    const QStringList names = certificate.subjectInfo(QSslCertificate::CommonName);
    return names.isEmpty() ? QString() : names.first();
}

}  // namespace uketsuke::qml
