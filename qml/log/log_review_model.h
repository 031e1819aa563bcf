// LogReviewModel: the confirmation log for the clinic's review screen (issue 5 "Log review":
// filter by date, method and outcome; search by session; detail view; CSV export; daily
// statistics). A read-only QML list model over terminal/log's ConfirmationLog (SQLite or
// PostgreSQL, from the terminal configuration's "log" section); no log logic lives in QML.
//
// The log never holds a face image, embedding, PIN, password or My Number (confirmation_record.h
// validates every row), so nothing here needs redaction; the detail view shows what the log has.
#pragma once

#include <memory>
#include <vector>

#include <QAbstractListModel>
#include <QQmlEngine>
#include <QString>
#include <QVariantList>
#include <QVariantMap>

#include "terminal/log/log_row.h"

namespace uketsuke::terminal {
class ConfirmationLog;
}

namespace uketsuke::qml {

class LogReviewModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    // The terminal configuration file whose "log" section names the log (default: the one given
    // to uketsuke-ui with --config, see setDefaultConfigFile()).
    Q_PROPERTY(QString configFile READ configFile WRITE setConfigFile NOTIFY configFileChanged)
    // Filters: days are YYYY-MM-DD in local time, both inclusive; "" = any method / outcome.
    Q_PROPERTY(QString fromDate READ fromDate WRITE setFromDate NOTIFY filterChanged)
    Q_PROPERTY(QString toDate READ toDate WRITE setToDate NOTIFY filterChanged)
    Q_PROPERTY(QString method READ method WRITE setMethod NOTIFY filterChanged)
    Q_PROPERTY(QString outcome READ outcome WRITE setOutcome NOTIFY filterChanged)
    // Part of a session id (case-insensitive), "" = every session.
    Q_PROPERTY(QString sessionSearch READ sessionSearch WRITE setSessionSearch NOTIFY filterChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    // Why the last refresh or export failed ("" when it worked): a stable code for Str.
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)
    Q_PROPERTY(QStringList methods READ methods CONSTANT)
    Q_PROPERTY(QStringList outcomes READ outcomes CONSTANT)

  public:
    enum Role {
        kSequenceRole = Qt::UserRole + 1,
        kSessionIdRole,
        kTerminalIdRole,
        kStartedRole,  // local "yyyy-MM-dd HH:mm:ss"
        kMethodRole,
        kOutcomeRole,
        kResultCodeRole,
        kFailureReasonRole,
        kDurationMsRole,
    };

    explicit LogReviewModel(QObject* parent = nullptr);
    ~LogReviewModel() override;
    Q_DISABLE_COPY_MOVE(LogReviewModel)

    static void setDefaultConfigFile(const QString& file);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    QString configFile() const { return configFile_; }
    void setConfigFile(const QString& file);
    QString fromDate() const { return fromDate_; }
    void setFromDate(const QString& day);
    QString toDate() const { return toDate_; }
    void setToDate(const QString& day);
    QString method() const { return method_; }
    void setMethod(const QString& method);
    QString outcome() const { return outcome_; }
    void setOutcome(const QString& outcome);
    QString sessionSearch() const { return sessionSearch_; }
    void setSessionSearch(const QString& text);
    int count() const { return static_cast<int>(rows_.size()); }
    QString error() const { return error_; }
    QStringList methods() const;
    QStringList outcomes() const;

    // Reads the rows that match the filters (newest first). false: see `error`.
    Q_INVOKABLE bool refresh();
    // Every logged field of row `row`: attempts, match distance, staff ID, consent items with
    // their times, phase durations, chain hashes.
    Q_INVOKABLE QVariantMap detail(int row) const;
    // Writes the rows shown to `path` as CSV (the format of `uketsuke log export`), atomically;
    // creates the folder.
    Q_INVOKABLE bool exportCsv(const QString& path);
    // exports/uketsuke-log-<from>_<to>.csv next to the configuration file.
    Q_INVOKABLE QString defaultExportPath() const;
    // The manager's spreadsheet CSV of the rows shown (terminal::writeSpreadsheetCsv: JST, BOM,
    // flat columns), written atomically to `path`.
    Q_INVOKABLE bool exportSpreadsheet(const QString& path);
    // Writable removable media the manager can export to: [{path, name}]. Mounted volumes under
    // /media/ or /run/media/ (where desktop and udisks mount USB sticks), plus the directories in
    // UKETSUKE_REMOVABLE_ROOTS (':'-separated: a clinic's fixed mount point, and the tests).
    Q_INVOKABLE QVariantList removableMedia() const;
    // <medium>/uketsuke-log-<from>_<to>.csv
    Q_INVOKABLE QString exportPathOn(const QString& medium) const;
    // Statistics of one local day: sessions, byMethod, byOutcome, failureReasons [{reason,
    // count}], medianSessionMs (-1 when none), staffRate (-1 when undefined).
    Q_INVOKABLE QVariantMap dayStats(const QString& day);
    Q_INVOKABLE static QString today();

  signals:
    void configFileChanged();
    void filterChanged();
    void countChanged();
    void errorChanged();

  private:
    // Writes an export atomically; sets the error text the view shows.
    bool saveExport(const QString& path, const std::string& text);
    bool openLog();
    void setError(const QString& code);
    // Sets one of the filter fields; filterChanged() only when it changes.
    void setFilter(QString& member, const QString& value);

    QString configFile_;
    QString fromDate_;
    QString toDate_;
    QString method_;
    QString outcome_;
    QString sessionSearch_;
    QString error_;
    std::unique_ptr<terminal::ConfirmationLog> log_;
    std::vector<terminal::LogRow> rows_;
};

}  // namespace uketsuke::qml
