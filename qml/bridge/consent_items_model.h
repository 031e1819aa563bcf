// ConsentItemsModel: the consent screen's items, straight from the consent data
// (terminal/data/consent.json through terminal::ConsentCatalog; issue 4/5,
// qualification-domain.md §3 steps 5-8). In the grace period (qualification only) the information
// items are not asked, as recordConsent() records them: the model leaves them out.
#pragma once

#include <QAbstractListModel>
#include <QQmlEngine>
#include <vector>

namespace uketsuke::terminal {
struct ConsentCatalog;
}

namespace uketsuke::qml {

class ConsentItemsModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("owned by SessionModel")
    Q_PROPERTY(QString comprehensiveLabel READ comprehensiveLabel NOTIFY catalogChanged)
    Q_PROPERTY(QString comprehensiveLabelEn READ comprehensiveLabelEn NOTIFY catalogChanged)
    Q_PROPERTY(QString version READ version NOTIFY catalogChanged)
    Q_PROPERTY(int count READ count NOTIFY catalogChanged)

  public:
    enum Role { ItemIdRole = Qt::UserRole + 1, LabelRole, LabelEnRole, InformationSharingRole };

    struct Item {
        QString id;
        QString label;
        QString labelEn;  // the Japanese label when the data has no English one
        bool informationSharing = true;
    };

    explicit ConsentItemsModel(QObject* parent = nullptr) : QAbstractListModel(parent) {}

    void setCatalog(const terminal::ConsentCatalog& catalog);
    // For test doubles: the same shape without a catalog file.
    void setItems(QString version, QString comprehensive, QString comprehensiveEn,
                  std::vector<Item> items);
    void setQualificationOnly(bool qualificationOnly);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    QString comprehensiveLabel() const { return comprehensive_; }
    QString comprehensiveLabelEn() const { return comprehensiveEn_; }
    QString version() const { return version_; }
    int count() const { return rowCount(); }
    // The ids the screen asks about (for the per-item answers).
    Q_INVOKABLE QStringList itemIds() const;
    // The label of any catalog item (shown or not) in `language`; "" for an unknown id (the log
    // review names logged consent items with it).
    Q_INVOKABLE QString labelOf(const QString& id, const QString& language) const;

  signals:
    void catalogChanged();

  private:
    void rebuild();

    QString version_, comprehensive_, comprehensiveEn_;
    std::vector<Item> all_;
    std::vector<Item> shown_;
    bool qualificationOnly_ = false;
};

}  // namespace uketsuke::qml
