// Listing the res folder's result files (see result_folder.h).
#include "terminal/result_file/result_folder.h"

#include <pugixml.hpp>

namespace uketsuke::terminal {
namespace {

constexpr std::uintmax_t kMaxResultFileBytes = 1 << 20;

}  // namespace

std::optional<std::string> readArbitraryFileIdentifier(const std::filesystem::path& file) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(file, ec);
    if (ec || size > kMaxResultFileBytes)
        return std::nullopt;
    pugi::xml_document doc;
    if (!doc.load_file(file.c_str()))
        return std::nullopt;
    const auto node = doc.child("XmlMsg").child("MessageHeader").child("ArbitraryFileIdentifier");
    if (!node)
        return std::nullopt;
    return std::string(node.text().get());
}

std::vector<ResultFolderEntry> listResultFiles(const std::filesystem::path& folder) {
    std::vector<ResultFolderEntry> out;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.empty() || name[0] == '.' || entry.path().extension() != ".xml" ||
            !entry.is_regular_file(ec))
            continue;
        out.push_back({name, readArbitraryFileIdentifier(entry.path()).value_or("")});
    }
    return out;
}

}  // namespace uketsuke::terminal
