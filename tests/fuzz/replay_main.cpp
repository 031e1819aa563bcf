// A main() for the fuzz targets when they are built without libFuzzer (g++): runs every file
// of the given files or directories through LLVMFuzzerTestOneInput, so CTest always replays the
// seed corpus and any saved crash inputs.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

int runFile(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    const std::vector<std::uint8_t> data((std::istreambuf_iterator<char>(in)),
                                         std::istreambuf_iterator<char>());
    return LLVMFuzzerTestOneInput(data.data(), data.size());
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t count = 0;
    for (int i = 1; i < argc; ++i) {
        const std::filesystem::path p = argv[i];
        if (std::filesystem::is_directory(p)) {
            for (const auto& e : std::filesystem::recursive_directory_iterator(p)) {
                if (!e.is_regular_file())
                    continue;
                runFile(e.path());
                ++count;
            }
        } else if (std::filesystem::is_regular_file(p)) {
            runFile(p);
            ++count;
        } else {
            std::cerr << "no such input: " << p << "\n";
            return 2;
        }
    }
    std::cout << "replayed " << count << " inputs\n";
    // An empty corpus would make the test pass without exercising anything.
    return count > 0 ? 0 : 1;
}
