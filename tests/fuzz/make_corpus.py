#!/usr/bin/env python3
"""Writes the libFuzzer seed corpora in tests/fuzz/corpus/<parser>/: a few tiny valid files per format
(Python standard library only), so the fuzzers start from inputs that reach deep into each parser.
Reuses the byte builders of tests/data/make_fixtures.py. Output is fixed; run from anywhere."""
import json
import os
import struct
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "data"))
import make_fixtures as fx  # noqa: E402


def write(parser, name, data):
    d = os.path.join(HERE, "corpus", parser)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def zip_bytes(members):
    import io
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, method, data in members:
            z.writestr(fx.fixed_zipinfo(name, method), data)
    return buf.getvalue()


# protobuf wire format for the ONNX seeds
def varint(v):
    out = b""
    while True:
        c = v & 0x7F
        v >>= 7
        out += bytes([c | (0x80 if v else 0)])
        if not v:
            return out


def field(num, wire, payload):
    return varint(num << 3 | wire) + payload


def ld(num, data):
    return field(num, 2, varint(len(data)) + data)


def vf(num, v):
    return field(num, 0, varint(v))


def onnx_tensor(name, dims, data_type, raw=None, floats=None, int32s=None, external=None):
    t = b"".join(vf(1, d) for d in dims) + vf(2, data_type)
    if floats is not None:
        t += ld(4, b"".join(struct.pack("<f", x) for x in floats))       # float_data, packed
    if int32s is not None:
        t += ld(5, b"".join(varint(x & 0xFFFFFFFF) for x in int32s))     # int32_data, packed
    t += ld(8, name.encode())
    if raw is not None:
        t += ld(9, raw)
    if external is not None:
        for k, v in external:
            t += ld(13, ld(1, k.encode()) + ld(2, v.encode()))
        t += vf(14, 1)                                                   # data_location = EXTERNAL
    return t


def onnx_model(tensors):
    graph = ld(2, b"g") + b"".join(ld(5, t) for t in tensors)
    return vf(1, 8) + ld(2, b"quantlens") + ld(7, graph) + ld(8, vf(2, 18))  # ir_version, producer, graph, opset


def main():
    # npy
    write("npy", "f32_2x3.npy", fx.npy("<f4", (2, 3), struct.pack("<6f", 0, 1, 2, 3, 4, 5)))
    write("npy", "i16_4.npy", fx.npy("<i2", (4,), struct.pack("<4h", -1, 2, -3, 4)))
    write("npy", "f8_fortran.npy", fx.npy(">f8", (2, 2), struct.pack(">4d", 1, 3, 2, 4), fortran=True))
    write("npy", "f16_scalar.npy", fx.npy("<f2", (), fx.f16(1.5)))
    # npz: stored and deflated members
    write("npz", "mixed.npz", zip_bytes([("a.npy", zipfile.ZIP_STORED, fx.npy("<f4", (2, 2), struct.pack("<4f", 1, 2, 3, 4))),
                                         ("b.npy", zipfile.ZIP_DEFLATED, fx.npy("<i2", (3,), struct.pack("<3h", 1, -2, 3)))]))
    write("npz", "one_deflated.npz", zip_bytes([("w.npy", zipfile.ZIP_DEFLATED, fx.npy("<f4", (4, 4), bytes(64)))]))
    # safetensors (the fuzz target also reads input[8:] as a shard index)
    write("safetensors", "f32_f16_bf16.safetensors",
          fx.safetensors([("a.weight", "F32", (2, 2), struct.pack("<4f", 1, -2, 3, -4)),
                          ("b.weight", "F16", (2,), fx.f16(0.5) + fx.f16(-1.0)),
                          ("c", "BF16", (1, 2), fx.bf16(2.0) + fx.bf16(-0.25))], {"format": "pt"}))
    write("safetensors", "ints_f8.safetensors",
          fx.safetensors([("i8", "I8", (4,), struct.pack("<4b", -1, 2, -3, 4)), ("u8", "U8", (2,), b"\x01\xff"),
                          ("i32", "I32", (1,), struct.pack("<i", -7)), ("e4m3", "F8_E4M3", (2,), b"\x38\xb8"),
                          ("f64", "F64", (), struct.pack("<d", 3.25))]))
    index = json.dumps({"metadata": {"total_size": 16}, "weight_map": {"a.weight": "model-00001-of-00002.safetensors",
                                                                       "b.weight": "model-00002-of-00002.safetensors"}}).encode()
    write("safetensors", "index.json", b"\0" * 8 + index)
    # gguf: F32/F16 tensors, Q8_0 and Q4_0 blocks, array and string metadata
    write("gguf", "q8_0.gguf", fx.tiny_gguf())
    arr = struct.pack("<IQ", 8, 2) + fx.gguf_str("a") + fx.gguf_str("bc")  # array of 2 strings
    q4_0 = fx.f16(0.25) + bytes(range(16))                                  # one Q4_0 block of 32
    write("gguf", "mixed.gguf", fx.gguf([("general.architecture", 8, fx.gguf_str("test")), ("tokenizer.ggml.tokens", 9, arr),
                                         ("general.alignment", 4, struct.pack("<I", 16)), ("f", 6, struct.pack("<f", 1.5))],
                                        [("t.f16", 1, [2, 2], fx.f16(1) + fx.f16(2) + fx.f16(3) + fx.f16(4)),
                                         ("t.q4_0", 2, [32], q4_0),
                                         ("t.f32", 0, [3], struct.pack("<3f", 1, 2, 3))], alignment=16))
    # gguf: the super-block and E8M0 types (IQ4_XS: one block of 256; MXFP4: two blocks of 32)
    iq4_xs = fx.f16(0.5) + struct.pack("<H", 0xAAAA) + bytes([0x44] * 4) + bytes(range(128))
    mxfp4 = bytes([127]) + bytes(range(16)) + bytes([1]) + bytes(range(16, 32))
    write("gguf", "iq4_xs_mxfp4.gguf", fx.gguf([("general.architecture", 8, fx.gguf_str("gpt-oss"))],
                                               [("t.iq4_xs", 23, [256], iq4_xs), ("t.mxfp4", 39, [32, 2], mxfp4)]))
    # gguf: llama.cpp's NVFP4 (one block of 64: four UE4M3 scales) and the ternary TQ1_0 / TQ2_0 (256 each)
    nvfp4 = bytes([0x38, 0x01, 0x7F, 0xF8]) + bytes(range(32))
    tq1_0 = bytes(range(0, 208, 4)) + fx.f16(0.25)
    tq2_0 = bytes(range(64)) + fx.f16(0.5)
    write("gguf", "nvfp4_ternary.gguf", fx.gguf([("general.architecture", 8, fx.gguf_str("bitnet"))],
                                                [("t.nvfp4", 40, [64], nvfp4), ("t.tq1_0", 34, [256], tq1_0),
                                                 ("t.tq2_0", 35, [256], tq2_0)]))
    # gguf: the codebook i-quants, one block of 256 each, every index and sign byte arbitrary
    def iq(size, d_first=True):
        body = bytes((37 * j + 11) % 256 for j in range(size - (2 if d_first else 0)))
        return fx.f16(0.5) + body if d_first else body
    write("gguf", "iq_codebooks.gguf", fx.gguf([("general.architecture", 8, fx.gguf_str("llama"))],
                                               [("t.iq2_xxs", 16, [256], iq(66)), ("t.iq2_xs", 17, [256], iq(74)),
                                                ("t.iq3_xxs", 18, [256], iq(98)), ("t.iq1_s", 19, [256], iq(50)),
                                                ("t.iq3_s", 21, [256], iq(110)), ("t.iq2_s", 22, [256], iq(82)),
                                                ("t.iq1_m", 29, [256], iq(56, d_first=False))]))
    # onnx: raw float, float_data, float16 (int32_data), int8 raw, an external-data reference
    write("onnx", "initializers.onnx", onnx_model([
        onnx_tensor("w_raw", [2, 2], 1, raw=struct.pack("<4f", 1, -2, 3, -4)),
        onnx_tensor("w_float_data", [3], 1, floats=[0.5, 1.5, -2.5]),
        onnx_tensor("w_f16", [2], 10, int32s=[0x3C00, 0xC000]),
        onnx_tensor("w_i8", [4], 3, raw=struct.pack("<4b", -128, -1, 0, 127))]))
    write("onnx", "external.onnx", onnx_model([onnx_tensor("w_ext", [4], 1, external=[("location", "w.bin"), ("offset", "0"), ("length", "16")])]))
    # tfjs: manifest JSON, NUL, shard bytes (offered as w.bin and group1-shard1of1.bin)
    manifest = [{"paths": ["w.bin"], "weights": [
        {"name": "dense/kernel", "shape": [2, 2], "dtype": "float32"},
        {"name": "conv/kernel", "shape": [4], "dtype": "float32", "quantization": {"dtype": "uint8", "min": -1.0, "scale": 0.5}},
        {"name": "h", "shape": [2], "dtype": "float32", "quantization": {"dtype": "float16"}}]}]
    shard = struct.pack("<4f", 1, 2, 3, 4) + bytes([0, 1, 2, 255]) + fx.f16(1.0) + fx.f16(-2.0)
    write("tfjs", "manifest.bin", json.dumps(manifest).encode() + b"\0" + shard)
    model_json = {"format": "graph-model", "weightsManifest": [{"paths": ["group1-shard1of1.bin"], "weights": [
        {"name": "q16", "shape": [2], "dtype": "float32", "quantization": {"dtype": "uint16", "min": 0.0, "scale": 0.25}},
        {"name": "i", "shape": [1], "dtype": "int32"}]}]}
    write("tfjs", "model_json.bin", json.dumps(model_json).encode() + b"\0" + struct.pack("<2Hi", 1, 2, 3))


if __name__ == "__main__":
    main()
