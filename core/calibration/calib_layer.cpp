// Calibration layers: seeded generation, loading from tensors/.npy with checked shapes, and the
// output-error objective shared by every method.
#include "core/calibration/calib_layer.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <Eigen/Dense>

#include "core/npy.h"
#include "core/rng.h"

namespace ql::calib {
namespace {

// Seed of one row's stream: splitmix64 over (seed, stream, row), so rows are independent of the
// thread that generates them and neighbouring rows get unrelated streams.
std::uint64_t row_seed(std::uint64_t seed, std::uint64_t stream, std::uint64_t row) {
    std::uint64_t x = seed ^ (0x9E6C63D0676A9A99ull * (row + 1)) ^ (0xC2B2AE3D27D4EB4Full * (stream + 1));
    return Rng::splitmix64(x);
}

enum Stream : std::uint64_t { kWeights = 1, kNoise = 2, kLatent = 3, kMixing = 4, kOutliers = 5 };

// rows x cols of N(0, std^2) in float32, one Rng per row.
MatrixRF normal_matrix(std::int64_t rows, std::int64_t cols, double std, std::uint64_t seed, Stream stream) {
    MatrixRF m(rows, cols);
#pragma omp parallel for schedule(static)
    for (std::int64_t r = 0; r < rows; ++r) {
        Rng rng(row_seed(seed, stream, static_cast<std::uint64_t>(r)));
        float* p = m.data() + r * cols;
        for (std::int64_t c = 0; c < cols; ++c) p[c] = static_cast<float>(std * rng.normal());
    }
    return m;
}

void check_spec(const LayerSpec& s) {
    auto side = [](std::int64_t v, const char* what) {
        if (v <= 0 || v > 65536) throw std::invalid_argument(std::string(what) + " must be 1..65536 (got " + std::to_string(v) + ")");
    };
    side(s.out, "out features");
    side(s.in, "in features");
    side(s.tokens, "tokens");
    if (s.outlier_channels < 0) throw std::invalid_argument("outlier channels must be >= 0");
    if (!(s.outlier_scale_min > 0 && s.outlier_scale_max >= s.outlier_scale_min && std::isfinite(s.outlier_scale_max)))
        throw std::invalid_argument("outlier scale range must satisfy 0 < min <= max");
    if (!(s.correlation >= 0.0 && s.correlation < 1.0)) throw std::invalid_argument("correlation must be in [0, 1)");
    if (s.latent_rank < 0) throw std::invalid_argument("latent rank must be >= 0");
    if (!(s.weight_std >= 0.0) || !std::isfinite(s.weight_std)) throw std::invalid_argument("weight std must be finite and >= 0");
}

Error tensor_error(const Tensor& t, std::string rule) {
    return make_error(t.name.empty() ? std::string("tensor") : t.name, std::move(rule));
}

// First non-finite value's index, or -1.
std::int64_t first_nonfinite(const Tensor& t) {
    for (std::int64_t i = 0; i < t.numel(); ++i)
        if (!std::isfinite(t.values[static_cast<std::size_t>(i)])) return i;
    return -1;
}

} // namespace

MatrixRF generate_activations(const LayerSpec& spec, std::vector<std::int64_t>* outlier_channels,
                              std::vector<float>* outlier_scales) {
    check_spec(spec);
    const std::int64_t n = spec.tokens, in = spec.in;
    MatrixRF X = normal_matrix(n, in, 1.0, spec.seed, kNoise);
    if (spec.correlation > 0.0) {
        // The mixing f B is summed in double in a fixed order (no BLAS kernel, whose blocking and FMA
        // use differ between machines), so the layer is the same everywhere.
        const std::int64_t r = spec.latent_rank > 0 ? spec.latent_rank : std::clamp<std::int64_t>(in / 8, 1, 64);
        const MatrixRF F = normal_matrix(n, r, 1.0, spec.seed, kLatent);
        const MatrixRF B = normal_matrix(r, in, 1.0 / std::sqrt(static_cast<double>(r)), spec.seed, kMixing);
        const double a = std::sqrt(1.0 - spec.correlation);
        const double b = std::sqrt(spec.correlation);
#pragma omp parallel
        {
            std::vector<double> acc(static_cast<std::size_t>(in));
#pragma omp for schedule(static)
            for (std::int64_t t = 0; t < n; ++t) {
                std::fill(acc.begin(), acc.end(), 0.0);
                for (std::int64_t k = 0; k < r; ++k) {
                    const double f = F(t, k);
                    const float* brow = B.data() + k * in;
                    for (std::int64_t j = 0; j < in; ++j) acc[static_cast<std::size_t>(j)] += f * static_cast<double>(brow[j]);
                }
                float* x = X.data() + t * in;
                for (std::int64_t j = 0; j < in; ++j)
                    x[j] = static_cast<float>(a * static_cast<double>(x[j]) + b * acc[static_cast<std::size_t>(j)]);
            }
        }
    }
    // Outlier channels: the first k of a seeded permutation of the input channels.
    const std::int64_t k = std::min<std::int64_t>(spec.outlier_channels, in);
    std::vector<std::int64_t> chans;
    std::vector<float> scales;
    if (k > 0) {
        Rng rng(row_seed(spec.seed, kOutliers, 0));
        std::vector<std::int64_t> perm(static_cast<std::size_t>(in));
        for (std::int64_t j = 0; j < in; ++j) perm[static_cast<std::size_t>(j)] = j;
        for (std::int64_t j = in - 1; j > 0; --j)
            std::swap(perm[static_cast<std::size_t>(j)], perm[rng.below(static_cast<std::uint64_t>(j + 1))]);
        std::vector<std::pair<std::int64_t, float>> picked;
        for (std::int64_t i = 0; i < k; ++i) {
            const double f = spec.outlier_scale_min + (spec.outlier_scale_max - spec.outlier_scale_min) * rng.uniform();
            picked.emplace_back(perm[static_cast<std::size_t>(i)], static_cast<float>(f));
        }
        std::sort(picked.begin(), picked.end());
        for (const auto& [c, f] : picked) {
            X.col(c) *= f;
            chans.push_back(c);
            scales.push_back(f);
        }
    }
    if (outlier_channels) *outlier_channels = std::move(chans);
    if (outlier_scales) *outlier_scales = std::move(scales);
    return X;
}

CalibLayer generate_layer(const LayerSpec& spec) {
    check_spec(spec);
    CalibLayer L;
    L.name = "generated";
    const double wstd = spec.weight_std > 0 ? spec.weight_std : 1.0 / std::sqrt(static_cast<double>(spec.in));
    L.W = normal_matrix(spec.out, spec.in, wstd, spec.seed, kWeights);
    L.X = generate_activations(spec, &L.outlier_channels, &L.outlier_scales);
    return L;
}

Result<CalibLayer> layer_from_tensors(const Tensor& w, const Tensor& x) {
    if (w.rank() < 2) return tensor_error(w, "weights must have at least 2 axes [out, in] (got shape " + w.shape_string() + ")");
    if (x.rank() < 2) return tensor_error(x, "activations must have at least 2 axes [tokens, in] (got shape " + x.shape_string() + ")");
    if (w.numel() == 0) return tensor_error(w, "weights are empty (shape " + w.shape_string() + ")");
    if (x.numel() == 0) return tensor_error(x, "activations are empty (shape " + x.shape_string() + ")");
    if (w.cols() != x.cols())
        return tensor_error(x, "activations have " + std::to_string(x.cols()) + " input channels (last axis) but the weights have " +
                                   std::to_string(w.cols()) + " columns; they must match (X is tokens x in, W is out x in)");
    if (auto i = first_nonfinite(w); i >= 0)
        return tensor_error(w, "weights hold a non-finite value at flat index " + std::to_string(i) + "; calibration needs finite values");
    if (auto i = first_nonfinite(x); i >= 0)
        return tensor_error(x, "activations hold a non-finite value at flat index " + std::to_string(i) + "; calibration needs finite values");
    CalibLayer L;
    L.name = (w.name.empty() ? "W" : w.name) + " + " + (x.name.empty() ? "X" : x.name);
    L.W = Eigen::Map<const MatrixRF>(w.data(), w.rows(), w.cols());
    L.X = Eigen::Map<const MatrixRF>(x.data(), x.rows(), x.cols());
    return L;
}

Result<CalibLayer> layer_from_weight(const Tensor& w, LayerSpec spec) {
    if (w.rank() < 2) return tensor_error(w, "weights must have at least 2 axes [out, in] (got shape " + w.shape_string() + ")");
    if (w.numel() == 0) return tensor_error(w, "weights are empty (shape " + w.shape_string() + ")");
    if (auto i = first_nonfinite(w); i >= 0)
        return tensor_error(w, "weights hold a non-finite value at flat index " + std::to_string(i) + "; calibration needs finite values");
    spec.in = w.cols();
    spec.out = w.rows();
    CalibLayer L;
    try {
        L.X = generate_activations(spec, &L.outlier_channels, &L.outlier_scales);
    } catch (const std::invalid_argument& e) {
        return tensor_error(w, e.what());
    }
    L.name = (w.name.empty() ? "W" : w.name) + " + generated activations";
    L.W = Eigen::Map<const MatrixRF>(w.data(), w.rows(), w.cols());
    return L;
}

Result<CalibLayer> load_layer(const std::string& weights_npy, const std::string& activations_npy) {
    auto w = read_npy(weights_npy);
    if (!w) return w.error();
    auto x = read_npy(activations_npy);
    if (!x) return x.error();
    // Errors should name the files, not the tensors' base names.
    w->name = weights_npy;
    x->name = activations_npy;
    return layer_from_tensors(*w, *x);
}

double squared_norm(const MatrixRF& m) {
    const float* p = m.data();
    const std::int64_t n = m.size();
    double s = 0;
#pragma omp parallel for reduction(+ : s) schedule(static)
    for (std::int64_t i = 0; i < n; ++i) s += static_cast<double>(p[i]) * static_cast<double>(p[i]);
    return s;
}

LayerObjective::LayerObjective(const CalibLayer& layer) : layer_(layer) {
    Y_.noalias() = layer.X * layer.W.transpose();
    energy_ = squared_norm(Y_);
}

OutputError LayerObjective::weight_only(const MatrixRF& Wq) const {
    const MatrixRF D = layer_.W - Wq;
    MatrixRF E;
    E.noalias() = layer_.X * D.transpose();
    OutputError o;
    const double se = squared_norm(E);
    o.relative_output_error = energy_ > 0 ? se / energy_ : 0.0;
    o.output_mse = se / static_cast<double>(std::max<std::int64_t>(1, E.size()));
    o.weight_mse = squared_norm(D) / static_cast<double>(std::max<std::int64_t>(1, D.size()));
    return o;
}

OutputError LayerObjective::with_activations(const MatrixRF& Xq, const MatrixRF& Wq, const MatrixRF& Wq_original) const {
    MatrixRF E = Y_;
    E.noalias() -= Xq * Wq.transpose();
    OutputError o;
    const double se = squared_norm(E);
    o.relative_output_error = energy_ > 0 ? se / energy_ : 0.0;
    o.output_mse = se / static_cast<double>(std::max<std::int64_t>(1, E.size()));
    o.weight_mse = squared_norm(layer_.W - Wq_original) / static_cast<double>(std::max<std::int64_t>(1, Wq_original.size()));
    return o;
}

} // namespace ql::calib
