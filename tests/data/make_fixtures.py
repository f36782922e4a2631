#!/usr/bin/env python3
"""Writes the small binary fixtures in tests/data/ with the Python standard library only (no numpy):
npy bytes are built by hand from the format's definition and zipped with zipfile (stored and deflated
members). The values are listed in the tests that read them. Run from anywhere; output is fixed."""
import os
import struct
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))


def npy(descr, shape, data, fortran=False):
    shape_txt = "(" + "".join("%d, " % d for d in shape)
    shape_txt = (shape_txt[:-2] + ("," if len(shape) == 1 else "") if shape else "(") + ")"
    d = "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (descr, "True" if fortran else "False", shape_txt)
    d += " " * ((64 - (10 + len(d) + 1) % 64) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(d)) + d.encode() + data


def fixed_zipinfo(name, method):
    zi = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
    zi.compress_type = method
    zi.external_attr = 0o644 << 16
    return zi


def main():
    out = os.path.join(HERE, "npz")
    os.makedirs(out, exist_ok=True)
    with zipfile.ZipFile(os.path.join(out, "mixed.npz"), "w") as z:
        # a: float32 2x3, values 0..5, stored
        z.writestr(fixed_zipinfo("a.npy", zipfile.ZIP_STORED), npy("<f4", (2, 3), struct.pack("<6f", 0, 1, 2, 3, 4, 5)))
        # b: int16 [-1, 2, -3, 4], deflated
        z.writestr(fixed_zipinfo("b.npy", zipfile.ZIP_DEFLATED), npy("<i2", (4,), struct.pack("<4h", -1, 2, -3, 4)))
        # c: big-endian float64 2x2 [[1, 2], [3, 4]] in Fortran order (stored column by column), deflated
        z.writestr(fixed_zipinfo("c.npy", zipfile.ZIP_DEFLATED), npy(">f8", (2, 2), struct.pack(">4d", 1, 3, 2, 4), fortran=True))
        # d: 1000 float32 zeros deflated (compresses well: exercises inflating a whole member)
        z.writestr(fixed_zipinfo("sub/d.npy", zipfile.ZIP_DEFLATED), npy("<f4", (10, 100), bytes(4000)))
    with zipfile.ZipFile(os.path.join(out, "not_npy_member.npz"), "w") as z:
        z.writestr(fixed_zipinfo("a.npy", zipfile.ZIP_STORED), npy("<f4", (1,), struct.pack("<f", 1)))
        z.writestr(fixed_zipinfo("README.txt", zipfile.ZIP_STORED), b"hello")
    with zipfile.ZipFile(os.path.join(out, "bad_member_header.npz"), "w") as z:
        z.writestr(fixed_zipinfo("a.npy", zipfile.ZIP_DEFLATED), npy("<f4", (3,), struct.pack("<2f", 1, 2)))
    # A zip laid out like PyTorch's checkpoints (ARCHIVE/data.pkl + ARCHIVE/data/0); the pickle bytes
    # are inert (protocol 2 header, then STOP) and are never read.
    with zipfile.ZipFile(os.path.join(out, "torch_like.pt"), "w") as z:
        z.writestr(fixed_zipinfo("archive/data.pkl", zipfile.ZIP_STORED), b"\x80\x02}q\x00.")
        z.writestr(fixed_zipinfo("archive/data/0", zipfile.ZIP_STORED), bytes(16))
    os.makedirs(os.path.join(HERE, "models"), exist_ok=True)
    with open(os.path.join(HERE, "models", "tiny_model.safetensors"), "wb") as f:
        f.write(tiny_model())
    with open(os.path.join(HERE, "models", "tiny_q8_0.gguf"), "wb") as f:
        f.write(tiny_gguf())
    with open(os.path.join(HERE, "models", "tiny_fp4.gguf"), "wb") as f:
        f.write(tiny_fp4_gguf())
    with open(os.path.join(HERE, "models", "tiny_iq.gguf"), "wb") as f:
        f.write(tiny_iq_gguf())


def f16(v):
    return struct.pack("<e", v)


def bf16(v):
    return struct.pack("<f", v)[2:]  # the upper half of a float32 (the values here are exact in bf16)


def safetensors(tensors, metadata=None):
    """tensors: list of (name, dtype, shape, data bytes), laid out back to back in this order."""
    import json
    header, data = {}, b""
    if metadata is not None:
        header["__metadata__"] = metadata
    for name, dtype, shape, raw in tensors:
        header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    return struct.pack("<Q", len(h)) + h + data


def tiny_model_value(i, scale):
    # a fixed, uneven pattern in [-1.4, 1.4] x scale; multiples of 1/10 are exact neither in f16 nor bf16,
    # so the pattern uses multiples of 1/8, which every dtype here stores exactly
    return ((i * 37 + 11) % 23 - 11) / 8.0 * scale


def tiny_model():
    """A miniature transformer's names: tests/app/test_model_browser.cpp lists these shapes."""
    spec = [("model.embed_tokens.weight", "F32", (16, 8), 1.0),
            ("model.layers.0.self_attn.q_proj.weight", "F16", (8, 8), 0.5),
            ("model.layers.0.self_attn.k_proj.weight", "F32", (4, 8), 0.5),
            ("model.layers.0.mlp.up_proj.weight", "BF16", (12, 8), 0.25),
            ("model.layers.0.input_layernorm.weight", "F32", (8,), 1.0),
            ("model.layers.1.self_attn.q_proj.weight", "F32", (8, 8), 0.5),
            ("model.layers.1.mlp.up_proj.weight", "F32", (12, 8), 0.25),
            ("model.norm.weight", "F32", (8,), 1.0),
            ("lm_head.weight", "F32", (16, 8), 1.0)]
    out = []
    for name, dtype, shape, scale in spec:
        n = 1
        for d in shape:
            n *= d
        vals = [tiny_model_value(i, scale) for i in range(n)]
        pack = {"F32": lambda v: struct.pack("<f", v), "F16": f16, "BF16": bf16}[dtype]
        out.append((name, dtype, shape, b"".join(pack(v) for v in vals)))
    return safetensors(out, {"format": "pt", "source": "QuantLens test fixture"})


def gguf_str(s):
    b = s.encode()
    return struct.pack("<Q", len(b)) + b


def gguf(kvs, tensors, alignment=32):
    """GGUF v3. kvs: list of (key, type id, packed value); tensors: (name, ggml type, ne list, data)."""
    out = b"GGUF" + struct.pack("<IQQ", 3, len(tensors), len(kvs))
    for key, vtype, value in kvs:
        out += gguf_str(key) + struct.pack("<I", vtype) + value
    offset, blobs = 0, b""
    for name, gtype, ne, raw in tensors:
        out += gguf_str(name) + struct.pack("<I", len(ne)) + b"".join(struct.pack("<Q", d) for d in ne)
        out += struct.pack("<IQ", gtype, offset)
        pad = (alignment - len(raw) % alignment) % alignment
        blobs += raw + bytes(pad)
        offset += len(raw) + pad
    out += bytes((alignment - len(out) % alignment) % alignment)
    return out + blobs


def q8_0_row(values):
    """ggml Q8_0 blocks of 32: fp16 d = amax / 127, then round(x / d) as int8 (as quantize_row_q8_0_ref)."""
    out = b""
    for b in range(0, len(values), 32):
        block = values[b:b + 32]
        amax = max(abs(v) for v in block)
        d = amax / 127.0
        out += f16(d) + struct.pack("<32b", *[int(round(v / d)) if d else 0 for v in block])
    return out


def tiny_gguf():
    """blk.0.attn_q.weight: Q8_0, numpy shape (2, 32); blk.0.attn_norm.weight: F32 (32,)."""
    q = [(i % 16 - 8) * 16 for i in range(64)]  # -128..112 in steps of 16
    vals = [v / 128.0 for v in q]
    norm = [1.0 + i / 32.0 for i in range(32)]
    kvs = [("general.architecture", 8, gguf_str("llama")), ("general.quantization_version", 4, struct.pack("<I", 2))]
    tensors = [("blk.0.attn_q.weight", 8, [32, 2], q8_0_row(vals)),
               ("blk.0.attn_norm.weight", 0, [32], struct.pack("<32f", *norm))]
    return gguf(kvs, tensors)


def tiny_fp4_gguf():
    """blk.0.ffn_up.weight: llama.cpp NVFP4, numpy shape (2, 64); blk.0.ffn_down.weight: MXFP4, (2, 32)."""
    nvfp4 = b"".join(bytes([0x38, 0x40, 0x30, 0x38]) + bytes((7 * j + r) % 256 for j in range(32)) for r in range(2))
    mxfp4 = b"".join(bytes([126 + r]) + bytes(range(16 * r, 16 * r + 16)) for r in range(2))
    kvs = [("general.architecture", 8, gguf_str("llama"))]
    tensors = [("blk.0.ffn_up.weight", 40, [64, 2], nvfp4), ("blk.0.ffn_down.weight", 39, [32, 2], mxfp4)]
    return gguf(kvs, tensors)


def tiny_iq_gguf():
    """blk.0.ffn_up.weight: IQ2_XXS, numpy shape (2, 256): d = 2, every index codebook entry 0 (all level 8), no
    signs, scale nibble 3 in row 0 (2 x 3.5 / 4 x 8 = 14) and 1 in row 1 (6). blk.0.ffn_down.weight: IQ3_S,
    (1, 256): d = 1, entry 0 (all level 1), scale nibbles 0 (1 x 1 = 1)."""
    def iq2_xxs_block(scale):
        return f16(2.0) + b"".join(bytes(4) + struct.pack("<I", scale << 28) for _ in range(8))
    iq2 = iq2_xxs_block(3) + iq2_xxs_block(1)
    iq3 = f16(1.0) + bytes(64) + bytes(8) + bytes(32) + bytes(4)
    kvs = [("general.architecture", 8, gguf_str("llama"))]
    tensors = [("blk.0.ffn_up.weight", 16, [256, 2], iq2), ("blk.0.ffn_down.weight", 21, [256, 1], iq3)]
    return gguf(kvs, tensors)


if __name__ == "__main__":
    main()
