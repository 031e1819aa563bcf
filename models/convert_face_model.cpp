// uketsuke-model-convert: builds dlib_face_recognition_resnet_model_v1.dat (dlib's anet_type) from
// the face-api.js weights of @vladmandic/face-api (face_recognition_model-weights_manifest.json +
// its .bin shards). Implements reference/face-model.md §4 exactly:
//   * uint8 tensors are dequantised as q*scale+min in double, stored as float32; others are LE f32;
//   * every affine layer is switched to CONV_MODE before the first forward pass (§3 trap);
//   * con/affine layers are collected with visit_computational_layers (output first) and reversed;
//   * filters: dlib[((o*I+i)*KH+y)*KW+x] = tfjs[((y*KW+x)*I+i)*O+o]; biases follow the filters;
//   * fc [256,128] copied without transpose;
//   * every shape is checked; net.clean() before serialize so no activations are written.
// Usage: uketsuke-model-convert MANIFEST.json OUTPUT.dat
#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "vision/face_net.h"

namespace {

using uketsuke::vision::detail::anet_type;

struct Tensor {
    std::vector<long> shape;
    std::vector<float> values;
};

std::vector<std::uint8_t> readFile(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot open " + file.string());
    return std::vector<std::uint8_t>(std::istreambuf_iterator<char>(in), {});
}

// Reads every weight of every group in manifest order (§4 "Reading the weights").
std::map<std::string, Tensor> readWeights(const std::filesystem::path& manifestFile) {
    std::ifstream in(manifestFile);
    if (!in)
        throw std::runtime_error("cannot open " + manifestFile.string());
    const nlohmann::json manifest = nlohmann::json::parse(in);
    std::map<std::string, Tensor> tensors;
    for (const auto& group : manifest) {
        std::vector<std::uint8_t> buffer;
        for (const auto& shard : group.at("paths")) {
            const auto bytes = readFile(manifestFile.parent_path() / shard.get<std::string>());
            buffer.insert(buffer.end(), bytes.begin(), bytes.end());
        }
        std::size_t offset = 0;
        for (const auto& entry : group.at("weights")) {
            Tensor t;
            std::size_t count = 1;
            for (const auto& d : entry.at("shape")) {
                t.shape.push_back(d.get<long>());
                count *= d.get<std::size_t>();
            }
            t.values.resize(count);
            const std::string name = entry.at("name").get<std::string>();
            if (entry.contains("quantization")) {
                const auto& q = entry.at("quantization");
                if (q.at("dtype").get<std::string>() != "uint8")
                    throw std::runtime_error(name + ": unsupported quantization dtype");
                const double scale = q.at("scale").get<double>();
                const double min = q.at("min").get<double>();
                if (offset + count > buffer.size())
                    throw std::runtime_error(name + ": truncated");
                for (std::size_t i = 0; i < count; ++i)
                    t.values[i] = static_cast<float>(buffer[offset + i] * scale + min);
                offset += count;
            } else {
                if (entry.at("dtype").get<std::string>() != "float32")
                    throw std::runtime_error(name + ": unsupported dtype");
                if (offset + 4 * count > buffer.size())
                    throw std::runtime_error(name + ": truncated");
                static_assert(std::endian::native == std::endian::little);
                std::memcpy(t.values.data(), buffer.data() + offset, 4 * count);
                offset += 4 * count;
            }
            tensors.emplace(name, std::move(t));
        }
        if (offset != buffer.size())
            throw std::runtime_error("weights do not consume the shard bytes exactly");
    }
    return tensors;
}

const Tensor& get(const std::map<std::string, Tensor>& tensors, const std::string& name,
                  const std::vector<long>& shape) {
    const auto it = tensors.find(name);
    if (it == tensors.end())
        throw std::runtime_error("missing tensor " + name);
    if (it->second.shape != shape)
        throw std::runtime_error("shape mismatch for " + name);
    return it->second;
}

template <typename T>
struct IsCon : std::false_type {};
template <long NF, long NR, long NC, int SY, int SX, int PY, int PX>
struct IsCon<dlib::con_<NF, NR, NC, SY, SX, PY, PX>> : std::true_type {};
template <typename T>
struct IsFc : std::false_type {};
template <unsigned long N, dlib::fc_bias_mode M>
struct IsFc<dlib::fc_<N, M>> : std::true_type {};

struct ConRef {
    dlib::tensor* params;
    long filters, rows, cols;
};

// face-api.js unit names, input to output (§4 "Name -> layer order").
std::vector<std::string> unitNames() {
    std::vector<std::string> names{"conv32_down"};
    for (const char* unit : {"conv32_1", "conv32_2", "conv32_3", "conv64_down", "conv64_1",
                             "conv64_2", "conv64_3", "conv128_down", "conv128_1", "conv128_2",
                             "conv256_down", "conv256_1", "conv256_2", "conv256_down_out"}) {
        names.push_back(std::string(unit) + "/conv1");
        names.push_back(std::string(unit) + "/conv2");
    }
    return names;
}

void convert(const std::filesystem::path& manifest, const std::filesystem::path& output) {
    const auto tensors = readWeights(manifest);
    if (tensors.size() != 117)
        throw std::runtime_error("expected 117 tensors");

    anet_type net;
    // The trap of §3: a default affine_ is FC_MODE; the model uses one gamma/beta per channel.
    dlib::visit_computational_layers(net, [](auto& layer) {
        if constexpr (std::is_same_v<std::decay_t<decltype(layer)>, dlib::affine_>)
            layer = dlib::affine_(dlib::CONV_MODE);
    });
    // One forward pass so that every layer's setup() allocates its parameters.
    dlib::matrix<dlib::rgb_pixel> blank(150, 150);
    blank = dlib::rgb_pixel(0, 0, 0);
    (void)net(blank);

    std::vector<ConRef> cons;
    std::vector<dlib::affine_*> affines;
    dlib::tensor* fc = nullptr;
    dlib::visit_computational_layers(net, [&](auto& layer) {
        using L = std::decay_t<decltype(layer)>;
        if constexpr (IsCon<L>::value)
            cons.push_back(
                {&layer.get_layer_params(), layer.num_filters(), layer.nr(), layer.nc()});
        else if constexpr (std::is_same_v<L, dlib::affine_>)
            affines.push_back(&layer);
        else if constexpr (IsFc<L>::value)
            fc = &layer.get_layer_params();
    });
    // visit_computational_layers walks from the output towards the input.
    std::reverse(cons.begin(), cons.end());
    std::reverse(affines.begin(), affines.end());
    const auto names = unitNames();
    if (cons.size() != names.size() || affines.size() != names.size() || fc == nullptr)
        throw std::runtime_error("network does not have 29 con + 29 affine + 1 fc layers");

    std::size_t copied = 0;
    for (std::size_t u = 0; u < names.size(); ++u) {
        const ConRef& con = cons[u];
        const long O = con.filters, KH = con.rows, KW = con.cols;
        const long I = static_cast<long>(con.params->size() - O) / (O * KH * KW);
        if (static_cast<long>(con.params->size()) != O * I * KH * KW + O)
            throw std::runtime_error(names[u] + ": unexpected dlib parameter size");
        const Tensor& filters = get(tensors, names[u] + "/conv/filters", {KH, KW, I, O});
        const Tensor& bias = get(tensors, names[u] + "/conv/bias", {O});
        float* p = con.params->host();
        for (long o = 0; o < O; ++o)
            for (long i = 0; i < I; ++i)
                for (long y = 0; y < KH; ++y)
                    for (long x = 0; x < KW; ++x)
                        p[((o * I + i) * KH + y) * KW + x] =
                            filters.values[((y * KW + x) * I + i) * O + o];
        for (long o = 0; o < O; ++o)
            p[O * I * KH * KW + o] = bias.values[o];

        const Tensor& gamma = get(tensors, names[u] + "/scale/weights", {O});
        const Tensor& beta = get(tensors, names[u] + "/scale/biases", {O});
        auto g = affines[u]->get_gamma();
        auto b = affines[u]->get_beta();
        if (static_cast<long>(g.size()) != O || static_cast<long>(b.size()) != O)
            throw std::runtime_error(names[u] + ": affine layer is not in CONV_MODE");
        std::copy(gamma.values.begin(), gamma.values.end(), g.host());
        std::copy(beta.values.begin(), beta.values.end(), b.host());
        copied += filters.values.size() + bias.values.size() + 2 * O;
    }
    const Tensor& fcWeights = get(tensors, "fc", {256, 128});
    if (fc->size() != fcWeights.values.size())
        throw std::runtime_error("fc: unexpected dlib parameter size");
    std::copy(fcWeights.values.begin(), fcWeights.values.end(), fc->host());
    copied += fcWeights.values.size();

    net.clean();
    dlib::serialize(output.string()) << net;
    std::cout << "uketsuke-model-convert: " << copied << " parameters from " << tensors.size()
              << " tensors -> " << output.string() << "\n";
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: uketsuke-model-convert MANIFEST.json OUTPUT.dat\n";
        return 2;
    }
    try {
        convert(argv[1], argv[2]);
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "uketsuke-model-convert: " << e.what() << "\n";
        return 1;
    }
}
