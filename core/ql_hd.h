// QL_HD marks per-element functions that run on both the CPU (core/) and the GPU (gpu/), so the two
// paths execute the very same arithmetic (DESIGN rule 4).
#pragma once

#if defined(__CUDACC__)
#define QL_HD __host__ __device__ __forceinline__
#else
#define QL_HD inline
#endif
