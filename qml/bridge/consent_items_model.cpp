#include "qml/bridge/consent_items_model.h"

#include "terminal/session/consent.h"

namespace uketsuke::qml {

void ConsentItemsModel::setCatalog(const terminal::ConsentCatalog& catalog) {
    std::vector<Item> items;
    for (const auto& item : catalog.items) {
        const QString label = QString::fromStdString(item.label);
        items.push_back({QString::fromStdString(item.id), label,
                         item.labelEn.empty() ? label : QString::fromStdString(item.labelEn),
                         item.informationSharing});
    }
    const QString comprehensive = QString::fromStdString(catalog.comprehensiveLabel);
    setItems(QString::fromStdString(catalog.version), comprehensive,
             catalog.comprehensiveLabelEn.empty()
                 ? comprehensive
                 : QString::fromStdString(catalog.comprehensiveLabelEn),
             std::move(items));
}

void ConsentItemsModel::setItems(QString version, QString comprehensive, QString comprehensiveEn,
                                 std::vector<Item> items) {
    version_ = std::move(version);
    comprehensive_ = std::move(comprehensive);
    comprehensiveEn_ = std::move(comprehensiveEn);
    all_ = std::move(items);
    rebuild();
}

void ConsentItemsModel::setQualificationOnly(bool qualificationOnly) {
    if (qualificationOnly == qualificationOnly_)
        return;
    qualificationOnly_ = qualificationOnly;
    rebuild();
}

void ConsentItemsModel::rebuild() {
    beginResetModel();
    shown_.clear();
    for (const auto& item : all_) {
        if (!(qualificationOnly_ && item.informationSharing))
            shown_.push_back(item);
    }
    endResetModel();
    emit catalogChanged();
}

int ConsentItemsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(shown_.size());
}

QVariant ConsentItemsModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Item& item = shown_[static_cast<std::size_t>(index.row())];
    switch (role) {
        case Qt::DisplayRole:
        case LabelRole:
            return item.label;
        case ItemIdRole:
            return item.id;
        case LabelEnRole:
            return item.labelEn;
        case InformationSharingRole:
            return item.informationSharing;
        default:
            return {};
    }
}

QHash<int, QByteArray> ConsentItemsModel::roleNames() const {
    return {{ItemIdRole, "itemId"},
            {LabelRole, "label"},
            {LabelEnRole, "labelEn"},
            {InformationSharingRole, "informationSharing"}};
}

QStringList ConsentItemsModel::itemIds() const {
    QStringList ids;
    for (const auto& item : shown_)
        ids << item.id;
    return ids;
}

QString ConsentItemsModel::labelOf(const QString& id, const QString& language) const {
    for (const auto& item : all_) {
        if (item.id == id)
            return language == QLatin1String("en") ? item.labelEn : item.label;
    }
    return {};
}

}  // namespace uketsuke::qml
