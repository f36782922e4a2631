#!/usr/bin/env python3
"""Independent facts about an ONNX file for the loader tests: a minimal protobuf wire-format walk
(no protobuf or onnx package) that lists the graph's initializers with name, data type, dims,
element count and the CRC-32 and float64 sum of their values. Usage: onnx_facts.py MODEL.onnx"""
import struct
import sys
import zlib


def varint(b, i):
    shift = v = 0
    while True:
        c = b[i]
        i += 1
        v |= (c & 0x7F) << shift
        shift += 7
        if c < 0x80:
            return v, i


def fields(b, start, end):
    """Yields (field number, wire type, value or (offset, length)) of one message."""
    i = start
    while i < end:
        tag, i = varint(b, i)
        num, wt = tag >> 3, tag & 7
        if wt == 0:
            v, i = varint(b, i)
            yield num, wt, v
        elif wt == 1:
            yield num, wt, b[i:i + 8]
            i += 8
        elif wt == 5:
            yield num, wt, b[i:i + 4]
            i += 4
        elif wt == 2:
            n, i = varint(b, i)
            yield num, wt, (i, n)
            i += n
        else:
            raise ValueError("group wire type")


def tensor(b, off, n):
    t = {"dims": [], "raw": None, "floats": [], "name": "", "type": 0}
    for num, wt, v in fields(b, off, off + n):
        if num == 1:
            if wt == 0:
                t["dims"].append(v)
            else:
                j = v[0]
                while j < v[0] + v[1]:
                    d, j = varint(b, j)
                    t["dims"].append(d)
        elif num == 2:
            t["type"] = v
        elif num == 8:
            t["name"] = b[v[0]:v[0] + v[1]].decode()
        elif num == 9:
            t["raw"] = b[v[0]:v[0] + v[1]]
        elif num == 4:
            t["floats"].append(b[v[0]:v[0] + v[1]] if wt == 2 else v)
    return t


def main(path):
    b = open(path, "rb").read()
    graph = [v for num, wt, v in fields(b, 0, len(b)) if num == 7][0]
    inits = [tensor(b, *v) for num, wt, v in fields(b, graph[0], graph[0] + graph[1]) if num == 5]
    total = 0
    for t in inits:
        count = 1
        for d in t["dims"]:
            count *= d
        total += count
        data = t["raw"] if t["raw"] is not None else b"".join(t["floats"])
        vals = struct.unpack("<%df" % (len(data) // 4), data) if t["type"] == 1 else []
        print("%-60s type %2d dims %-20s count %7d crc32 %08x sum %.17g" %
              (t["name"], t["type"], t["dims"], count, zlib.crc32(data), sum(vals)))
    print("initializers", len(inits), "elements", total)


if __name__ == "__main__":
    main(sys.argv[1])
