// FrameStore and FrameImageProvider: the pictures the screens show, held in memory only (README
// "Privacy and safety rules": face images live in memory for one session). The camera thread puts
// a downscaled live preview here; the session worker puts the decoded chip photo here for the
// 目視 screen and clears it when the session ends. QML reads them as
// "image://uketsuke/live/<revision>" and "image://uketsuke/chip/<revision>"; the revision in the
// URL makes the Image fetch again when the picture changed.
#pragma once

#include <QImage>
#include <QQuickImageProvider>
#include <memory>
#include <mutex>

namespace uketsuke::qml {

class FrameStore {
  public:
    void setLive(QImage image);
    void setChip(QImage image);
    void clearChip();
    void clearAll();
    QImage live() const;
    QImage chip() const;

  private:
    mutable std::mutex mutex_;
    QImage live_;
    QImage chip_;
};

class FrameImageProvider : public QQuickImageProvider {
  public:
    explicit FrameImageProvider(std::shared_ptr<FrameStore> store)
        : QQuickImageProvider(QQuickImageProvider::Image), store_(std::move(store)) {}
    QImage requestImage(const QString& id, QSize* size, const QSize& requestedSize) override;

  private:
    std::shared_ptr<FrameStore> store_;
};

}  // namespace uketsuke::qml
