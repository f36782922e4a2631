#!/usr/bin/env python3
"""Writes core/ggml_iq_grids.cpp: the codebooks of ggml's IQ1_S/IQ1_M, IQ2_XXS/IQ2_XS/IQ2_S and
IQ3_XXS/IQ3_S formats, read out of ggml's own dequantizers.

The codebooks are part of the formats' definitions (each stored index picks 8 or 4 values from a fixed
list), so QuantLens must use the very same lists. This script asks ggml's dequantize_row_* for every
index in turn, with a block scale of 1 and no signs, and writes what comes back as level numbers: 2 bits
per value for IQ1 (-1, 0, 1) and IQ2 (8, 25, 43), 3 bits for IQ3 (IQ3_XXS 4, 12, ..., 52, 62; IQ3_S
1, 3, ..., 15), value 0 in the lowest bits. It also checks that the sign table is the 7 stored bits plus
their parity, which QuantLens computes instead of storing.

    scripts/fetch-ggml-reference.sh
    python3 scripts/make-iq-grids.py .cache/ggml-reference/libggml-base.so > core/ggml_iq_grids.cpp

tests/core/test_ggml_reference.cpp checks the decoders built on these tables against the same library.
"""
import ctypes
import struct
import sys

lib = ctypes.CDLL(sys.argv[1])
ONE = struct.pack('<H', 0x3C00)  # fp16 1.0


def dequantize(name, blocks, nblocks):
    f = getattr(lib, name)
    f.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_float), ctypes.c_int64]
    y = (ctypes.c_float * (256 * nblocks))()
    f(bytes(blocks), y, 256 * nblocks)
    return list(y)


def entries(y, width, scale, offset=0.0):
    out = []
    for k in range(len(y) // width):
        vals = []
        for v in y[k * width:(k + 1) * width]:
            t = v * scale - offset
            assert t == round(t), (v, scale, offset)
            vals.append(int(round(t)))
        out.append(vals)
    return out


def split(first, groups, per, high_bits):
    """Indices first, first + 1, ... as ggml's low index bytes (qs) and, per group of `per` indices, their
    high bits packed high_bits apart into one word each (qh)."""
    qs, qh = bytearray(), []
    for g in range(groups):
        h = 0
        for l in range(per):
            i = first + g * per + l
            qs.append(i & 255)
            h |= (i >> 8) << (high_bits * l)
        qh.append(h)
    return qs, qh


def iq2xxs():  # 4 index bytes and a 32-bit sign/scale word per 32 values; scale 0: (0.5 + 0) / 4
    blocks = bytearray()
    for b in range(256 // 32):
        blocks += ONE
        for ib in range(8):
            blocks += bytes(b * 32 + ib * 4 + l for l in range(4)) + bytes(4)
    return entries(dequantize('dequantize_row_iq2_xxs', blocks, 8), 8, 8)


def iq2xs():  # 16-bit words: 9-bit index, 7 sign bits; then 8 scale bytes
    blocks = bytearray()
    for b in range(512 // 32):
        blocks += ONE + b''.join(struct.pack('<H', b * 32 + k) for k in range(32)) + bytes(8)
    return entries(dequantize('dequantize_row_iq2_xs', blocks, 16), 8, 8)


def iq2s():  # 8 low index bits per byte, 2 high bits per index in qh, sign bytes, scales
    blocks = bytearray()
    for b in range(1024 // 32):
        qs, qh = split(b * 32, 8, 4, 2)
        blocks += ONE + qs + bytes(32) + bytes(qh) + bytes(8)
    return entries(dequantize('dequantize_row_iq2_s', blocks, 32), 8, 8)


def iq3xxs():  # 64 index bytes (4 values each), then scale/sign words; scale 0: (0.5 + 0) / 2
    blocks = bytearray()
    for b in range(256 // 64):
        blocks += ONE + bytes(range(b * 64, b * 64 + 64)) + bytes(32)
    return entries(dequantize('dequantize_row_iq3_xxs', blocks, 4), 4, 4)


def iq3s():  # 8 low index bits per byte, the 9th bit in qh; scale 0: 1 + 2 * 0
    blocks = bytearray()
    for b in range(512 // 64):
        qs, qh = split(b * 64, 8, 8, 1)
        blocks += ONE + qs + bytes(qh) + bytes(32) + bytes(4)
    return entries(dequantize('dequantize_row_iq3_s', blocks, 8), 4, 1)


def iq1s():  # 8 low index bits per byte, 3 high bits per index in the 16-bit qh; d (2 * 0 + 1) (g + 1/8)
    blocks = bytearray()
    for b in range(2048 // 32):
        qs, qh = split(b * 32, 8, 4, 3)
        blocks += ONE + qs + b''.join(struct.pack('<H', h) for h in qh)
    return entries(dequantize('dequantize_row_iq1_s', blocks, 64), 8, 1, 0.125)


def check_signs():
    first = iq2xxs()[0]
    assert all(v > 0 for v in first)
    for s in range(128):
        y = dequantize('dequantize_row_iq2_xxs', ONE + bytes(4) + struct.pack('<I', s) + bytes(56), 1)
        got = sum(1 << j for j in range(8) if y[j] < 0)
        assert got == s | ((bin(s).count('1') & 1) << 7), (s, got)


def packed(grid, levels, bits):
    index = {v: i for i, v in enumerate(levels)}
    return [sum(index[v] << (bits * j) for j, v in enumerate(e)) for e in grid]


def emit(name, ctype, words, per_line):
    lines = [f'const {ctype} {name}[{len(words)}] = {{']
    width = 4 if ctype == 'std::uint16_t' else 3
    for i in range(0, len(words), per_line):
        lines.append('    ' + ' '.join(f'0x{w:0{width}x},' for w in words[i:i + per_line]))
    lines.append('};')
    return '\n'.join(lines)


check_signs()
tables = [
    ('kIq2xxsGrid', iq2xxs(), [8, 25, 43], 2),
    ('kIq2xsGrid', iq2xs(), [8, 25, 43], 2),
    ('kIq2sGrid', iq2s(), [8, 25, 43], 2),
    ('kIq3xxsGrid', iq3xxs(), [4, 12, 20, 28, 36, 44, 52, 62], 3),
    ('kIq3sGrid', iq3s(), [1, 3, 5, 7, 9, 11, 13, 15], 3),
    ('kIq1sGrid', iq1s(), [-1, 0, 1], 2),
]
print('// The codebooks of ggml\'s IQ1_S/IQ1_M, IQ2_XXS/IQ2_XS/IQ2_S and IQ3_XXS/IQ3_S formats (see')
print('// ggml_iq_grids.h), written by scripts/make-iq-grids.py from ggml\'s own dequantizers. Do not edit.')
print('#include "core/ggml_iq_grids.h"')
print()
print('namespace ql::ggml {')
print()
for name, grid, levels, bits in tables:
    assert all(v in levels for e in grid for v in e), name
    ctype = 'std::uint16_t' if bits * len(grid[0]) <= 16 else 'std::uint32_t'
    print(emit(name, ctype, packed(grid, levels, bits), 16))
    print()
print('} // namespace ql::ggml')
