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


if __name__ == "__main__":
    main()
