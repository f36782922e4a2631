// NumPy .npy files: read any supported dtype into a float32 Tensor, write float32 and int8 arrays.
// The header is parsed strictly by its grammar (never evaluated); every claim is checked against the
// file size before anything is allocated. Supported: format versions 1.0, 2.0, 3.0; dtypes <f4 <f2 <f8
// |i1 |u1 <i2 <u2 <i4 <u4 <i8 <u8 |b1 and their big-endian forms; C and Fortran order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/tensor.h"

namespace ql {

// The checked header of a .npy file or .npz member: how to read the data that follows it.
struct NpyHeader {
    int major_version = 1;             // 1, 2 or 3
    DType dtype = DType::F32;          // element type as stored
    int item_size = 4;                 // bytes per element
    bool big_endian = false;
    bool fortran_order = false;        // true: the first axis varies fastest in the file
    std::vector<std::int64_t> shape;   // numpy order, as in the header
    std::int64_t numel = 0;
    std::uint64_t data_offset = 0;     // bytes from the start of the file to the first element
    std::uint64_t data_bytes = 0;      // numel * item_size, equal to what the file holds
};

// Parses the header from the first `available` bytes of a file whose full size is `total_size`
// (available < total_size for a compressed npz member of which only the beginning was inflated) and
// checks the data size it implies against total_size exactly.
Result<NpyHeader> parse_npy_header(const std::uint8_t* data, std::size_t available, std::uint64_t total_size,
                                   const std::string& file_label);
// Converts the data bytes (exactly h.data_bytes) to a float32 C-order tensor named `name`.
Tensor decode_npy_data(const NpyHeader& h, const std::uint8_t* data, std::string name);

// Reads a whole .npy file; the tensor's name is the file's base name without ".npy".
Result<Tensor> read_npy(const std::string& path);
// Parses .npy bytes already in memory (npz members, fuzzing); file_label names the source in errors.
Result<Tensor> parse_npy(const std::uint8_t* data, std::size_t size, const std::string& file_label);

// Writes float32 little-endian, C order, format 1.0 (2.0 when the header needs it). Atomic: writes
// PATH.tmp then renames, so an existing file is never left half-written.
Status write_npy(const std::string& path, const Tensor& t);
// Writes int8 codes ('|i1') with the given shape, atomically.
Status write_npy_int8(const std::string& path, const std::vector<std::int64_t>& shape,
                      const std::int8_t* codes);

} // namespace ql
