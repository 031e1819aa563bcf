#include "qml/bridge/frame_store.h"

namespace uketsuke::qml {

void FrameStore::setLive(QImage image) {
    std::lock_guard lock(mutex_);
    live_ = std::move(image);
}

void FrameStore::setChip(QImage image) {
    std::lock_guard lock(mutex_);
    chip_ = std::move(image);
}

void FrameStore::clearChip() {
    std::lock_guard lock(mutex_);
    // Overwrite before release: the chip photo is personal data (QImage frees without wiping).
    if (!chip_.isNull() && chip_.isDetached())
        chip_.fill(Qt::black);
    chip_ = QImage();
}

void FrameStore::clearAll() {
    clearChip();
    std::lock_guard lock(mutex_);
    live_ = QImage();
}

QImage FrameStore::live() const {
    std::lock_guard lock(mutex_);
    return live_;
}

QImage FrameStore::chip() const {
    std::lock_guard lock(mutex_);
    return chip_;
}

QImage FrameImageProvider::requestImage(const QString& id, QSize* size,
                                        const QSize& requestedSize) {
    QImage image = id.startsWith(QLatin1String("chip")) ? store_->chip() : store_->live();
    if (image.isNull()) {
        // An empty picture, not an error: the screen shows its placeholder text.
        image = QImage(4, 3, QImage::Format_RGB32);
        image.fill(Qt::black);
    }
    if (requestedSize.isValid() && !requestedSize.isEmpty())
        image = image.scaled(requestedSize, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    if (size)
        *size = image.size();
    return image;
}

}  // namespace uketsuke::qml
