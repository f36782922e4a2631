#!/usr/bin/env python3
"""Independent facts about a TensorFlow.js weights manifest for the loader tests, computed with the
Python standard library from the manifest JSON and the .bin shards: weight count, parameters, dtypes,
and per weight the CRC-32 of its stored bytes and the float64 sum of its values (uint8/uint16 affine:
q * scale + min rounded to float32, as TF.js does). Usage: tfjs_facts.py MANIFEST.json"""
import json
import math
import os
import struct
import sys
import zlib


def main(path):
    doc = json.load(open(path))
    groups = doc["weightsManifest"] if isinstance(doc, dict) else doc
    folder = os.path.dirname(path)
    n = params = quantized = 0
    for g in groups:
        buf = b"".join(open(os.path.join(folder, p), "rb").read() for p in g["paths"])
        off = 0
        for w in g["weights"]:
            count = math.prod(w["shape"])
            q = w.get("quantization")
            if q and q["dtype"] in ("uint8", "uint16"):
                size = 1 if q["dtype"] == "uint8" else 2
                raw = buf[off:off + count * size]
                qs = raw if size == 1 else struct.unpack("<%dH" % count, raw)
                vals = [struct.unpack("<f", struct.pack("<f", v * q["scale"] + q["min"]))[0] for v in qs]
                quantized += 1
            else:
                size = 4
                raw = buf[off:off + count * 4]
                vals = struct.unpack("<%df" % count, raw)
            off += count * size
            n += 1
            params += count
            print("%-50s %-22s %-8s crc32 %08x sum %.17g first %.9g" % (w["name"], w["shape"], q["dtype"] if q else w["dtype"],
                                                                      zlib.crc32(raw), math.fsum(vals), vals[0] if vals else 0))
        print("group bytes", len(buf), "used", off)
    print("weights", n, "params", params, "quantized", quantized)


if __name__ == "__main__":
    main(sys.argv[1])
