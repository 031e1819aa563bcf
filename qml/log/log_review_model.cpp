#include "qml/log/log_review_model.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include <QDate>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStorageInfo>

#include <nlohmann/json.hpp>

#include "terminal/log/confirmation_log.h"
#include "terminal/log/log_config.h"
#include "terminal/log/log_export.h"
#include "terminal/log/log_stats.h"
#include "terminal/session/failure_reason.h"

namespace uketsuke::qml {
namespace {

QString& defaultConfigFile() {
    static QString file;
    return file;
}

QDateTime parseUtc(const std::string& text) {
    return QDateTime::fromString(QString::fromStdString(text), Qt::ISODateWithMs);
}

// A stored failure reason in today's spelling (rows written before the reason table are mapped,
// terminal/session/failure_reason.h), so the screen finds its text. A reason that is neither is
// reported and shown as stored (the screen then says "other reason").
QString reasonCode(const std::string& stored, std::initializer_list<terminal::SessionOutcome> as) {
    std::string error;
    for (const auto outcome : as) {
        auto reason = terminal::readStoredReason(stored, outcome);
        if (reason)
            return QString::fromStdString(terminal::reasonWire(reason.value()));
        error = reason.error();
    }
    qWarning("log review: %s", error.c_str());
    return QString::fromStdString(stored);
}

QString reasonCode(const std::string& stored, const std::string& outcome) {
    const auto o = terminal::sessionOutcomeFromName(outcome);
    if (!o)  // reading the row reported it corrupt already
        return QString::fromStdString(stored);
    return reasonCode(stored, {*o});
}

QString localTime(const std::string& utc) {
    const QDateTime t = parseUtc(utc);
    return t.isValid() ? t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                       : QString::fromStdString(utc);
}

qint64 durationMs(const terminal::LogRow& r) {
    const QDateTime a = parseUtc(r.startedAt), b = parseUtc(r.endedAt);
    return a.isValid() && b.isValid() ? a.msecsTo(b) : -1;
}

}  // namespace

LogReviewModel::LogReviewModel(QObject* parent)
    : QAbstractListModel(parent), configFile_(defaultConfigFile()) {
    fromDate_ = toDate_ = today();
}

LogReviewModel::~LogReviewModel() = default;

void LogReviewModel::setDefaultConfigFile(const QString& file) {
    defaultConfigFile() = file;
}

QString LogReviewModel::today() {
    return QDate::currentDate().toString(Qt::ISODate);
}

QStringList LogReviewModel::methods() const {
    QStringList out{QString()};
    for (const auto& [_, name] : terminal::kIdentityMethodNames)
        out << QString::fromUtf8(name.data(), static_cast<qsizetype>(name.size()));
    return out;
}

QStringList LogReviewModel::outcomes() const {
    return {QString(), QStringLiteral("confirmed"), QStringLiteral("refused"),
            QStringLiteral("aborted"), QStringLiteral("error")};
}

int LogReviewModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : count();
}

QHash<int, QByteArray> LogReviewModel::roleNames() const {
    return {{kSequenceRole, "sequence"},     {kSessionIdRole, "sessionId"},
            {kTerminalIdRole, "terminalId"}, {kStartedRole, "started"},
            {kMethodRole, "method"},         {kOutcomeRole, "outcome"},
            {kResultCodeRole, "resultCode"}, {kFailureReasonRole, "failureReason"},
            {kDurationMsRole, "durationMs"}};
}

QVariant LogReviewModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() < 0 || index.row() >= count())
        return {};
    const auto& r = rows_[static_cast<std::size_t>(index.row())];
    switch (role) {
        case kSequenceRole:
            return QVariant::fromValue(static_cast<qlonglong>(r.sequence));
        case kSessionIdRole:
            return QString::fromStdString(r.sessionId);
        case kTerminalIdRole:
            return QString::fromStdString(r.terminalId);
        case kStartedRole:
            return localTime(r.startedAt);
        case kMethodRole:
            return QString::fromStdString(r.identityMethod);
        case kOutcomeRole:
            return QString::fromStdString(r.outcome);
        case kResultCodeRole:
            return QString::fromStdString(r.resultCode);
        case kFailureReasonRole:
            return reasonCode(r.failureReason, r.outcome);
        case kDurationMsRole:
            return QVariant::fromValue(static_cast<qlonglong>(durationMs(r)));
        default:
            return {};
    }
}

void LogReviewModel::setConfigFile(const QString& file) {
    if (file == configFile_)
        return;
    configFile_ = file;
    log_.reset();
    emit configFileChanged();
}

void LogReviewModel::setFilter(QString& member, const QString& value) {
    if (value == member)
        return;
    member = value;
    emit filterChanged();
}

void LogReviewModel::setFromDate(const QString& v) {
    setFilter(fromDate_, v);
}
void LogReviewModel::setToDate(const QString& v) {
    setFilter(toDate_, v);
}
void LogReviewModel::setMethod(const QString& v) {
    setFilter(method_, v);
}
void LogReviewModel::setOutcome(const QString& v) {
    setFilter(outcome_, v);
}
void LogReviewModel::setSessionSearch(const QString& v) {
    setFilter(sessionSearch_, v);
}

void LogReviewModel::setError(const QString& code) {
    if (code == error_)
        return;
    error_ = code;
    emit errorChanged();
}

bool LogReviewModel::openLog() {
    if (log_)
        return true;
    std::ifstream in(configFile_.toStdString());
    if (!in) {
        setError(QStringLiteral("log-config-missing"));
        return false;
    }
    const auto doc = nlohmann::json::parse(in, nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || !doc.contains("log")) {
        setError(QStringLiteral("log-config-invalid"));
        return false;
    }
    auto config = terminal::LogConfig::fromJson(
        doc.at("log"), QFileInfo(configFile_).absoluteDir().absolutePath().toStdString());
    if (!config) {
        setError(QStringLiteral("log-config-invalid"));
        return false;
    }
    auto log = terminal::openConfirmationLog(config.value());
    if (!log) {
        setError(QStringLiteral("log-unavailable"));
        return false;
    }
    log_ = std::move(log).takeValue();
    return true;
}

bool LogReviewModel::refresh() {
    const auto from = terminal::localDayRange(fromDate_.toStdString());
    const auto to = terminal::localDayRange(toDate_.toStdString());
    if (!from || !to || to->to <= from->from) {
        setError(QStringLiteral("log-bad-dates"));
        return false;
    }
    if (!openLog())
        return false;
    terminal::LogQuery q;
    q.from = from->from;
    q.to = to->to;
    if (!method_.isEmpty()) {
        q.method = terminal::identityMethodFromString(method_.toStdString());
        if (!q.method) {
            setError(QStringLiteral("log-bad-filter"));
            return false;
        }
    }
    if (!outcome_.isEmpty()) {
        q.outcome = terminal::sessionOutcomeFromString(outcome_.toStdString());
        if (!q.outcome) {
            setError(QStringLiteral("log-bad-filter"));
            return false;
        }
    }
    auto rows = log_->query(q);
    if (!rows) {
        // A dropped connection (PostgreSQL restarted): reopen on the next refresh.
        log_.reset();
        setError(QStringLiteral("log-unavailable"));
        return false;
    }
    std::vector<terminal::LogRow> kept;
    const std::string needle = sessionSearch_.trimmed().toLower().toStdString();
    for (auto& r : rows.value()) {
        if (!needle.empty()) {
            std::string id = r.sessionId;
            std::transform(id.begin(), id.end(), id.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            if (id.find(needle) == std::string::npos)
                continue;
        }
        kept.push_back(std::move(r));
    }
    std::reverse(kept.begin(), kept.end());  // newest first
    beginResetModel();
    rows_ = std::move(kept);
    endResetModel();
    emit countChanged();
    setError(QString());
    return true;
}

QVariantMap LogReviewModel::detail(int row) const {
    if (row < 0 || row >= count())
        return {};
    const auto& r = rows_[static_cast<std::size_t>(row)];
    QVariantMap m;
    m[QStringLiteral("sequence")] = static_cast<qlonglong>(r.sequence);
    m[QStringLiteral("sessionId")] = QString::fromStdString(r.sessionId);
    m[QStringLiteral("terminalId")] = QString::fromStdString(r.terminalId);
    m[QStringLiteral("started")] = localTime(r.startedAt);
    m[QStringLiteral("ended")] = localTime(r.endedAt);
    m[QStringLiteral("durationMs")] = static_cast<qlonglong>(durationMs(r));
    m[QStringLiteral("cardClass")] = QString::fromStdString(r.cardClass);
    m[QStringLiteral("method")] = QString::fromStdString(r.identityMethod);
    m[QStringLiteral("outcome")] = QString::fromStdString(r.outcome);
    m[QStringLiteral("resultCode")] = QString::fromStdString(r.resultCode);
    m[QStringLiteral("failureReason")] = reasonCode(r.failureReason, r.outcome);
    m[QStringLiteral("staffId")] = r.staffId ? QString::fromStdString(*r.staffId) : QString();
    m[QStringLiteral("matchDistance")] = r.matchDistance ? QVariant(*r.matchDistance) : QVariant();
    const auto attempts = nlohmann::json::parse(r.attempts, nullptr, false);
    if (attempts.is_object()) {
        m[QStringLiteral("faceAttempts")] = attempts.value("face", 0);
        m[QStringLiteral("pinAttempts")] = attempts.value("pin", 0);
        m[QStringLiteral("staffAttempts")] = attempts.value("staff", 0);
    }
    QVariantList consent;
    const auto c = nlohmann::json::parse(r.consent, nullptr, false);
    if (c.is_object() && c.contains("items") && c.at("items").is_array()) {
        m[QStringLiteral("consentVersion")] = QString::fromStdString(c.value("version", ""));
        for (const auto& item : c.at("items")) {
            consent.push_back(
                QVariantMap{{QStringLiteral("id"), QString::fromStdString(item.value("id", ""))},
                            {QStringLiteral("agreed"), item.value("agreed", false)},
                            {QStringLiteral("at"), localTime(item.value("at", ""))}});
        }
    }
    m[QStringLiteral("consent")] = consent;
    QVariantList phases;
    const auto p = nlohmann::json::parse(r.phaseMs, nullptr, false);
    if (p.is_object()) {
        for (const auto& [phase, ms] : p.items())
            phases.push_back(QVariantMap{{QStringLiteral("phase"), QString::fromStdString(phase)},
                                         {QStringLiteral("ms"), ms.get<qlonglong>()}});
    }
    m[QStringLiteral("phases")] = phases;
    m[QStringLiteral("rowHash")] = QString::fromStdString(r.rowHash);
    return m;
}

QString LogReviewModel::defaultExportPath() const {
    const QDir dir = QFileInfo(configFile_).absoluteDir();
    return dir.filePath(QStringLiteral("exports/uketsuke-log-%1_%2.csv").arg(fromDate_, toDate_));
}

bool LogReviewModel::saveExport(const QString& path, const std::string& text) {
    QSaveFile file(path);  // temp file + rename: a billing clerk never opens half a file
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(text.data(), static_cast<qint64>(text.size())) !=
            static_cast<qint64>(text.size()) ||
        !file.commit()) {
        setError(QStringLiteral("log-export-failed"));
        return false;
    }
    setError(QString());
    return true;
}

bool LogReviewModel::exportCsv(const QString& path) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    std::vector<terminal::LogRow> ordered(rows_.rbegin(), rows_.rend());  // log order
    std::ostringstream out;
    terminal::writeCsv(out, ordered);
    return saveExport(path, out.str());
}

bool LogReviewModel::exportSpreadsheet(const QString& path) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    std::vector<terminal::LogRow> ordered(rows_.rbegin(), rows_.rend());  // log order
    std::ostringstream out;
    if (!terminal::writeSpreadsheetCsv(out, ordered)) {
        setError(QStringLiteral("log-corrupt"));
        return false;
    }
    return saveExport(path, out.str());
}

QVariantList LogReviewModel::removableMedia() const {
    QVariantList media;
    auto add = [&media](const QString& path, const QString& name) {
        const QFileInfo dir(path);
        if (!dir.isDir() || !dir.isWritable())
            return;
        for (const QVariant& m : std::as_const(media)) {
            if (m.toMap().value(QStringLiteral("path")) == path)
                return;
        }
        media.push_back(
            QVariantMap{{QStringLiteral("path"), path},
                        {QStringLiteral("name"), name.isEmpty() ? dir.fileName() : name}});
    };
    for (const QStorageInfo& v : QStorageInfo::mountedVolumes()) {
        const QString root = v.rootPath();
        if (v.isValid() && v.isReady() && !v.isReadOnly() &&
            (root.startsWith(QLatin1String("/media/")) ||
             root.startsWith(QLatin1String("/run/media/"))))
            add(root, v.displayName());
    }
    const QString extra = qEnvironmentVariable("UKETSUKE_REMOVABLE_ROOTS");
    for (const QString& root : extra.split(QLatin1Char(':'), Qt::SkipEmptyParts))
        add(root, QString());
    return media;
}

QString LogReviewModel::exportPathOn(const QString& medium) const {
    return QDir(medium).filePath(QStringLiteral("uketsuke-log-%1_%2.csv").arg(fromDate_, toDate_));
}

QVariantMap LogReviewModel::dayStats(const QString& day) {
    const auto range = terminal::localDayRange(day.toStdString());
    if (!range) {
        setError(QStringLiteral("log-bad-dates"));
        return {};
    }
    if (!openLog())
        return {};
    terminal::LogQuery q;
    q.from = range->from;
    q.to = range->to;
    auto rows = log_->query(q);
    if (!rows) {
        log_.reset();
        setError(QStringLiteral("log-unavailable"));
        return {};
    }
    auto stats = terminal::computeDayStats(rows.value(), day.toStdString());
    if (!stats) {
        setError(QStringLiteral("log-corrupt"));
        return {};
    }
    const auto& s = stats.value();
    QVariantMap byMethod, byOutcome;
    for (const auto& [k, v] : s.byMethod)
        byMethod[QString::fromStdString(k)] = static_cast<qlonglong>(v);
    for (const auto& [k, v] : s.byOutcome)
        byOutcome[QString::fromStdString(k)] = static_cast<qlonglong>(v);
    QVariantList reasons;
    for (const auto& [reason, n] : s.failureReasons)
        // Counted by stored text; an old bare code is read as a refusal, then as an error.
        reasons.push_back(QVariantMap{
            {QStringLiteral("reason"), reasonCode(reason, {terminal::SessionOutcome::kRefused,
                                                           terminal::SessionOutcome::kError,
                                                           terminal::SessionOutcome::kAborted})},
            {QStringLiteral("count"), static_cast<qlonglong>(n)}});
    setError(QString());
    return {
        {QStringLiteral("day"), day},
        {QStringLiteral("sessions"), static_cast<qlonglong>(s.sessions)},
        {QStringLiteral("byMethod"), byMethod},
        {QStringLiteral("byOutcome"), byOutcome},
        {QStringLiteral("failureReasons"), reasons},
        {QStringLiteral("medianSessionMs"), static_cast<qlonglong>(s.medianSessionMs.value_or(-1))},
        {QStringLiteral("staffRate"), s.staffRate.value_or(-1.0)}};
}

}  // namespace uketsuke::qml
